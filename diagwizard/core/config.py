"""The one TOML configuration file: every endpoint any probe touches is set here.

Search order: ``--config FILE``, then ``$DIAGWIZARD_CONFIG``, then
``<user config dir>/diagwizard/config.toml``. A missing default file means defaults;
a malformed file is a :class:`ConfigError` naming the file, the key and what was expected.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from pathlib import Path
from typing import Annotated

import msgspec

from diagwizard.core import safefile
from diagwizard.core.errors import UserError
from diagwizard.core.sanitize import clean
from diagwizard.core.words import errors

DEFAULT_LOGIN_URL = "https://cert.gcis.nat.gov.tw/"
DEFAULT_HOSTS = [
    "cert.gcis.nat.gov.tw",
    "gcis.nat.gov.tw",
    "moica.nat.gov.tw",
    "ee-moica.moi.gov.tw",
    "crl-moica.moi.gov.tw",
]


# A configuration is a few hundred bytes; anything near this is not one.
CONFIG_LIMIT = safefile.MB

# Finite, positive, and short enough that a mistyped value cannot make a check hang.
MAX_SECONDS = 600.0
Seconds = Annotated[float, msgspec.Meta(gt=0, le=MAX_SECONDS)]
Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]


class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class Targets(_Section):
    login_url: str = DEFAULT_LOGIN_URL
    hosts: list[str] = msgspec.field(default_factory=lambda: list(DEFAULT_HOSTS))


class DnsServer(_Section):
    host: str
    port: Port = 53


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
    max_skew_seconds: Annotated[float, msgspec.Meta(gt=0, le=86400)] = 300.0


class Timeouts(_Section):
    overall: Seconds = 20.0
    network: Seconds = 4.0
    probes: dict[str, float] = msgspec.field(default_factory=dict)


# A team's case database; the SQLite file of ``diagwizard.cases`` when empty.
CASES_URL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "sqlite")


class Cases(_Section):
    # "" = a SQLite file in the user data folder; a team: "postgresql://user@host/db".
    # $DIAGWIZARD_CASES_URL, when set, wins over this.
    url: str = ""
    agent: Annotated[str, msgspec.Meta(max_length=80)] = ""  # the name cases are logged under
    # A wave: at least wave_min_count cases of one problem in the last hour, and at least
    # wave_factor times its hourly average over the rest of the window.
    wave_min_count: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 10
    wave_factor: Annotated[float, msgspec.Meta(ge=1, le=1000)] = 3.0
    timeout: Seconds = 5.0  # waiting for the team's database server


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
    cases: Cases = msgspec.field(default_factory=Cases)
    source: str = ""  # where it came from; not read from the file

    def __post_init__(self) -> None:
        if self.lang not in ("", "zh-TW", "en"):
            raise msgspec.ValidationError("Expected `zh-TW` or `en` - at `$.lang`")
        for probe_id, seconds in self.timeouts.probes.items():
            if not (math.isfinite(seconds) and 0 < seconds <= MAX_SECONDS):
                raise msgspec.ValidationError(
                    f"Expected seconds > 0 and <= {MAX_SECONDS:g}, got {seconds!r}"
                    f" - at `$.timeouts.probes[{probe_id!r}]`"
                )
        _check_url(self.targets.login_url, "targets.login_url", ("http", "https"))
        _check_url(self.hipki.base_url, "hipki.base_url", ("http", "https"))
        if "://" in self.proxy.pac_url:  # else a file path
            _check_url(self.proxy.pac_url, "proxy.pac_url", ("http", "https", "file"))
        if self.proxy.url and self.proxy.url.lower() != "direct":
            url = self.proxy.url if "://" in self.proxy.url else f"http://{self.proxy.url}"
            _check_url(url, "proxy.url", ("http", "https", "socks5", "socks5h", "socks4"))
        if self.cases.url:
            check_cases_url(self.cases.url, "cases.url")


def check_cases_url(value: str, key: str) -> None:
    """A database URL with a scheme diagwizard stores cases in; the value is not echoed
    (it may hold a password)."""
    expected = "Expected a database URL (postgresql://user@host/db or sqlite:///path)"
    try:
        url = urllib.parse.urlsplit(value)
        url.port  # noqa: B018 (raises ValueError when out of range)
    except ValueError:
        raise msgspec.ValidationError(f"{expected} with a port 1-65535 - at `$.{key}`") from None
    if url.scheme.lower() not in CASES_URL_SCHEMES or url.port == 0:
        raise msgspec.ValidationError(f"{expected} - at `$.{key}`")


def _check_url(value: str, key: str, schemes: tuple[str, ...]) -> None:
    """A URL that parses, with an allowed scheme, a host (except file:) and a valid port."""
    expected = f"Expected a URL ({' or '.join(s + '://' for s in schemes)}...)"
    try:
        url = urllib.parse.urlsplit(value)
        url.port  # noqa: B018 (raises ValueError when out of range)
    except ValueError:
        raise msgspec.ValidationError(f"{expected} with a port 1-65535 - at `$.{key}`") from None
    if url.scheme.lower() not in schemes or (url.scheme != "file" and not url.hostname):
        raise msgspec.ValidationError(f"{expected}, got {value!r} - at `$.{key}`")
    if url.port == 0:
        raise msgspec.ValidationError(f"{expected} with a port 1-65535 - at `$.{key}`")


class ConfigError(UserError):
    pass


_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$\.?(?P<path>[^`]*)`)?$", re.S)
_INDEX = re.compile(r"\[(?P<q>['\"])(?P<key>.*?)(?P=q)\]")


def dotted(path: str) -> str:
    """msgspec's ``timeouts.probes['a.b']`` as a TOML dotted key: ``timeouts.probes."a.b"``."""

    def key(m: re.Match[str]) -> str:
        k = m.group("key")
        return "." + (k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else '"' + k + '"')

    return _INDEX.sub(key, path)


def _explain(path: Path, exc: Exception) -> ConfigError:
    m = _AT.match(str(exc))
    what = m.group("what") if m else str(exc)
    key = dotted(m.group("path")) if m and m.group("path") else ""
    return ConfigError(
        errors.CONFIG_INVALID if key else errors.CONFIG_INVALID_TOP,
        file=clean(str(path)),
        key=clean(key),
        what=clean(what),
    )


def default_path() -> Path:
    from platformdirs import user_config_dir  # lazy: start-up time, only without a config

    return Path(user_config_dir("diagwizard")) / "config.toml"


def load(explicit: str | None = None) -> Config:
    """Load the configuration following the documented search order."""
    chosen = explicit or os.environ.get("DIAGWIZARD_CONFIG")
    path = Path(chosen) if chosen else default_path()
    if not path.exists():
        if chosen:
            raise ConfigError(
                errors.CONFIG_NOT_FOUND, file=clean(str(path))
            )
        return Config()
    shown = clean(str(path))
    try:
        data = safefile.read_bytes(path, CONFIG_LIMIT)
        text = data.decode("utf-8-sig")  # Notepad saves UTF-8 with a byte-order mark
        cfg = msgspec.toml.decode(text, type=Config)
    except safefile.Refused as exc:
        raise ConfigError(errors.CONFIG_REFUSED, file=shown, why=exc) from None
    except OSError as exc:
        raise ConfigError(
            errors.CONFIG_UNREADABLE,
            file=shown,
            err=exc.strerror or str(exc),
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            errors.CONFIG_NOT_UTF8,
            file=shown,
            pos=exc.start + 1,
        ) from None
    except RecursionError:
        raise ConfigError(
            errors.CONFIG_TOO_DEEP,
            file=shown,
        ) from None
    except msgspec.ValidationError as exc:
        raise _explain(path, exc) from None
    except msgspec.DecodeError as exc:
        raise ConfigError(
            errors.CONFIG_NOT_TOML,
            file=shown,
            err=clean(str(exc)),
        ) from None
    cfg.source = str(path)
    return cfg


def probe_timeout(cfg: Config, probe_id: str, default: float) -> float:
    return cfg.timeouts.probes.get(probe_id, default)
