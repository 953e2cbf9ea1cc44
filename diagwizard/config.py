"""The one TOML configuration file: every endpoint any probe touches is set here.

Search order: ``--config FILE``, then ``$DIAGWIZARD_CONFIG``, then
``<user config dir>/diagwizard/config.toml``. A missing default file means defaults;
a malformed file is a :class:`ConfigError` naming the file, the key and what was expected.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import msgspec

from diagwizard.errors import UserError
from diagwizard.model import Text

DEFAULT_LOGIN_URL = "https://cert.gcis.nat.gov.tw/"
DEFAULT_HOSTS = [
    "cert.gcis.nat.gov.tw",
    "gcis.nat.gov.tw",
    "moica.nat.gov.tw",
    "ee-moica.moi.gov.tw",
    "crl-moica.moi.gov.tw",
]


class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class Targets(_Section):
    login_url: str = DEFAULT_LOGIN_URL
    hosts: list[str] = msgspec.field(default_factory=lambda: list(DEFAULT_HOSTS))


class DnsServer(_Section):
    host: str
    port: int = 53


class Dns(_Section):
    servers: list[DnsServer] = msgspec.field(default_factory=list)
    # Also ask the operating system's resolver (what the browser uses).
    system_resolver: bool = True


class Proxy(_Section):
    # "" = discover (env, OS settings, PAC); "direct" = no proxy; else a proxy URL.
    url: str = ""
    pac_url: str = ""


class Pkcs11(_Section):
    # Extra PKCS#11 modules to inspect (HiCOS is discovered where its location is known).
    modules: list[str] = msgspec.field(default_factory=list)
    # The HiCOS library, where the platform has no known location (Linux).
    hicos: str = ""


class Hipki(_Section):
    base_url: str = "http://127.0.0.1:61161"


class Tls(_Section):
    # Extra CA bundle to trust in addition to the OS store (tests, private roots).
    ca_file: str = ""


class Clock(_Section):
    max_skew_seconds: float = 300.0


class Timeouts(_Section):
    overall: float = 20.0
    network: float = 4.0
    probes: dict[str, float] = msgspec.field(default_factory=dict)


class Config(_Section):
    lang: str = ""
    targets: Targets = msgspec.field(default_factory=Targets)
    dns: Dns = msgspec.field(default_factory=Dns)
    proxy: Proxy = msgspec.field(default_factory=Proxy)
    pkcs11: Pkcs11 = msgspec.field(default_factory=Pkcs11)
    hipki: Hipki = msgspec.field(default_factory=Hipki)
    tls: Tls = msgspec.field(default_factory=Tls)
    clock: Clock = msgspec.field(default_factory=Clock)
    timeouts: Timeouts = msgspec.field(default_factory=Timeouts)
    source: str = ""  # where it came from; not read from the file

    def __post_init__(self) -> None:
        if self.lang not in ("", "zh-TW", "en"):
            raise msgspec.ValidationError("Expected `zh-TW` or `en` - at `$.lang`")
        if self.timeouts.overall <= 0 or self.timeouts.network <= 0:
            raise msgspec.ValidationError("Expected a positive number of seconds - at `$.timeouts`")


class ConfigError(UserError):
    pass


_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$\.?(?P<path>[^`]*)`)?$")


def _explain(path: Path, exc: Exception) -> ConfigError:
    m = _AT.match(str(exc))
    what = m.group("what") if m else str(exc)
    key = (m.group("path") if m else None) or "(top level)"
    return ConfigError(
        Text(
            "設定檔 {file} 有誤：欄位 {key}：{what}",
            "Config file {file} is invalid: key {key}: {what}",
        ),
        file=str(path),
        key=key,
        what=what,
    )


def default_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("diagwizard")) / "config.toml"


def load(explicit: str | None = None) -> Config:
    """Load the configuration following the documented search order."""
    chosen = explicit or os.environ.get("DIAGWIZARD_CONFIG")
    path = Path(chosen) if chosen else default_path()
    if not path.exists():
        if chosen:
            raise ConfigError(
                Text("找不到設定檔 {file}", "Config file {file} not found"), file=str(path)
            )
        return Config()
    try:
        data = path.read_bytes()
        cfg = msgspec.toml.decode(data, type=Config)
    except OSError as exc:
        raise ConfigError(
            Text("無法讀取設定檔 {file}：{err}", "Cannot read config file {file}: {err}"),
            file=str(path),
            err=exc.strerror or str(exc),
        ) from None
    except msgspec.DecodeError as exc:
        raise ConfigError(
            Text(
                "設定檔 {file} 不是有效的 TOML：{err}",
                "Config file {file} is not valid TOML: {err}",
            ),
            file=str(path),
            err=str(exc),
        ) from None
    except msgspec.ValidationError as exc:
        raise _explain(path, exc) from None
    cfg.source = str(path)
    return cfg


def probe_timeout(cfg: Config, probe_id: str, default: float) -> float:
    return cfg.timeouts.probes.get(probe_id, default)
