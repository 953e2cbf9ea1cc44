"""Fixtures for the PKCS#11 and HiPKI stack: SoftHSM2 tokens, the PIV card, broken modules,
the HiPKI Local Server double, and a config file pointing the CLI at them."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stack.certs import (
    der,
    duplicate_first_extension,
    make_ca,
    make_card_cert,
    make_moica_user_cert,
    real_ca,
)
from stack.hipki_double import HipkiDouble
from stack.modules import build_broken
from stack.softhsm import SoftToken, make_token

OPENSC_MODULE = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture(scope="session")
def test_ca():
    return make_ca()


@pytest.fixture(scope="session")
def soft_tokens(tmp_path_factory: pytest.TempPathFactory, test_ca) -> dict[str, SoftToken]:
    """One SoftHSM2 token per scenario, each in its own token directory."""
    now = dt.datetime.now(dt.UTC)
    ca = test_ca
    root = tmp_path_factory.mktemp("softhsm")

    def cert(**kw: object) -> bytes:
        return der(make_card_cert(ca, **kw))  # type: ignore[arg-type]

    return {
        "healthy": make_token(
            root / "healthy",
            "MOICA-like",
            [(cert(), b"SIGN"), (cert(purpose="encrypt", serial=77), b"KEYX")],
        ),
        "expired": make_token(
            root / "expired",
            "expired",
            [
                (
                    cert(
                        not_before=now - dt.timedelta(days=2000),
                        not_after=now - dt.timedelta(days=3),
                    ),
                    b"SIGN",
                )
            ],
        ),
        "not_yet": make_token(
            root / "not_yet", "not-yet", [(cert(not_before=now + dt.timedelta(days=5)), b"SIGN")]
        ),
        "expiring": make_token(
            root / "expiring", "expiring", [(cert(not_after=now + dt.timedelta(days=10)), b"SIGN")]
        ),
        "corrupt": make_token(
            root / "corrupt", "corrupt", [(b"\x30\x82\x01\x00not a certificate", b"SIGN")]
        ),
        "count_low": make_token(
            root / "count_low", "count-low", [(cert(), b"SIGN")], wrong_logins=1
        ),
        "no_certs": make_token(root / "no_certs", "empty", []),
        # As real MOICA cards store it: the CA chain beside the user's certificate.
        "real_chain": make_token(
            root / "real_chain",
            "HiCOS PKI Smart Card",
            [
                (real_ca("GRCA-G3"), b"ROOTCACert"),
                (real_ca("MOICA-G3"), b"CACert"),
                (der(make_moica_user_cert()), b"SIGN"),
            ],
        ),
        # The chain only: a card whose user certificates are gone (FAQ 4-style).
        "chain_only": make_token(
            root / "chain_only",
            "HiCOS PKI Smart Card",
            [(real_ca("GRCA-G3"), b"ROOTCACert"), (real_ca("MOICA-G3"), b"CACert")],
        ),
        "duplicate_extension": make_token(
            root / "duplicate_extension",
            "dup-ext",
            [
                (real_ca("MOICA-G3"), b"CACert"),
                (duplicate_first_extension(der(make_moica_user_cert(serial=78))), b"KEYX"),
                (der(make_moica_user_cert()), b"SIGN"),
            ],
        ),
    }


@pytest.fixture(scope="session")
def broken_modules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("modules")
    return {"crash": build_broken(out, "CRASH"), "hang": build_broken(out, "HANG")}


@pytest.fixture
def hipki() -> Iterator[HipkiDouble]:
    with HipkiDouble() as double:
        yield double
    assert not [r for r in double.requests if "/sign" in r[1]], "a diagnosis must never call /sign"


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """write_config(modules=[...], hipki_url=..., overall=..., probes={...}) -> path."""

    def write(
        modules: list[str] = (),
        hipki_url: str = "http://127.0.0.1:9",
        overall: float = 20.0,
        probes: dict[str, float] | None = None,
        network: float = 2.0,
        extra: str = "",
    ) -> Path:
        path = tmp_path / "diagwizard.toml"
        mods = ", ".join(f'"{m}"' for m in modules)
        per = ", ".join(f'"{k}" = {v}' for k, v in (probes or {}).items())
        path.write_text(
            '[targets]\nlogin_url = "https://127.0.0.1:9/"\nhosts = []\n[dns]\nsystem_resolver = false\n\n'
            f'[pkcs11]\nmodules = [{mods}]\n\n[hipki]\nbase_url = "{hipki_url}"\n\n'
            f"[timeouts]\noverall = {overall}\nnetwork = {network}\nprobes = {{ {per} }}\n{extra}"
        )
        return path

    return write


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
