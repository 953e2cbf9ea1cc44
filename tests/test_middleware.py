"""Middleware probes: HiCOS and SafeSign through the Windows adapter with recorded state,
and the HiPKI Local Server through its real client against a local test double."""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

import pytest
from helpers import check, codes, run_cli
from helpers import run_probes as run
from stack.certs import der, make_card_cert
from stack.hipki_double import HipkiDouble, answer
from stack.pkcs11_fixtures import SOFTHSM_MODULE, b64

from diagwizard.core.config import Config, Hipki
from diagwizard.engine.engine import Engine
from diagwizard.system.adapters.linux import LinuxAdapter
from diagwizard.system.adapters.windows import WindowsAdapter
from diagwizard.system.formats.binfmt import library_archs


def pe_stub(path: Path, machine: int) -> Path:
    """The first bytes of a PE file: enough to read its machine type."""
    head = bytearray(0x80)
    head[0:2] = b"MZ"
    struct.pack_into("<I", head, 0x3C, 0x40)
    head[0x40:0x44] = b"PE\0\0"
    struct.pack_into("<H", head, 0x44, machine)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(head))
    return path


def recorded_windows(
    tmp_path: Path, uninstall: list[dict[str, str]], files: dict[str, int]
) -> WindowsAdapter:
    windir = tmp_path / "Windows"
    for rel, machine in files.items():
        pe_stub(windir / rel, machine)
    return WindowsAdapter(
        service_status=lambda n: "running",
        uninstall=lambda: uninstall,
        windir=windir,
    )


HICOS_ENTRY = {"DisplayName": "HiCOS PKI Smart Card", "DisplayVersion": "3.2.2.00702"}
BOTH = {"System32/HiCOSPKCS11.dll": 0x8664, "SysWOW64/HiCOSPKCS11.dll": 0x14C}


def test_pe_arch_detection(tmp_path: Path) -> None:
    assert library_archs(pe_stub(tmp_path / "a.dll", 0x8664)) == ("x86_64",)
    assert library_archs(pe_stub(tmp_path / "b.dll", 0x14C)) == ("x86",)


def test_hicos_installed_both_architectures(tmp_path: Path) -> None:
    res = run(recorded_windows(tmp_path, [HICOS_ENTRY], BOTH), ["middleware.hicos"])[
        "middleware.hicos"
    ]
    assert res.status == "ok"
    assert res.fact("version") == "3.2.2.00702"
    assert sorted(a for lib in res.fact("libraries") for a in lib["archs"]) == ["x86", "x86_64"]


def test_hicos_only_one_architecture(tmp_path: Path) -> None:
    res = run(
        recorded_windows(tmp_path, [HICOS_ENTRY], {"System32/HiCOSPKCS11.dll": 0x8664}),
        ["middleware.hicos"],
    )
    assert codes(res["middleware.hicos"]) == ["middleware.W002"]


def test_hicos_outdated(tmp_path: Path) -> None:
    old = {"DisplayName": "HiCOS PKI Smart Card", "DisplayVersion": "2.1.9"}
    res = run(recorded_windows(tmp_path, [old], BOTH), ["middleware.hicos"])["middleware.hicos"]
    assert res.status == "warn" and codes(res) == ["middleware.W003"]


def test_hicos_not_installed(tmp_path: Path) -> None:
    res = run(recorded_windows(tmp_path, [], {}), ["middleware.hicos"])["middleware.hicos"]
    assert res.status == "fail" and codes(res) == ["middleware.E001"]


def test_hicos_on_linux_uses_the_configured_path(tmp_path: Path) -> None:
    res = run(LinuxAdapter(), ["middleware.hicos"])["middleware.hicos"]
    assert res.status == "skip" and codes(res) == ["middleware.I004"]
    cfg = Config()
    cfg.pkcs11.hicos = SOFTHSM_MODULE  # any real library stands in for the HiCOS one
    res = run(LinuxAdapter(), ["middleware.hicos"], cfg)["middleware.hicos"]
    assert res.status == "ok" and res.fact("libraries")[0]["archs"] == ["x86_64"]


def test_safesign_conflict_and_faq7_tg_card(tmp_path: Path) -> None:
    safesign = {"DisplayName": "SafeSign Standard", "DisplayVersion": "1.0.8"}
    adapter = recorded_windows(
        tmp_path, [HICOS_ENTRY, safesign], {**BOTH, "System32/aetpkss1.dll": 0x14C}
    )
    with HipkiDouble() as double:
        double.set(answer(serial="TG12345678901234"))
        cfg = Config(hipki=Hipki(base_url=double.url))
        res = run(adapter, ["middleware"], cfg)
    found = codes(res["middleware.safesign"])
    assert found == ["middleware.E010", "middleware.E011"]
    assert res["middleware.safesign"].status == "fail"


def test_safesign_alone_without_tg_card(tmp_path: Path) -> None:
    adapter = recorded_windows(tmp_path, [{"DisplayName": "SafeSign"}], {})
    res = run(adapter, ["middleware.safesign"])
    assert codes(res["middleware.safesign"]) == ["middleware.E010"]


# -- HiPKI Local Server ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ret_code", "code"),
    [
        (0x76000006, "middleware.E022"),
        (0x76100001, "middleware.E023"),
        (0x76100003, "middleware.E024"),
        (0x76100006, "middleware.E025"),
        (0x7600000F, "middleware.E026"),
        (0x76000031, "middleware.E027"),
        (0x76500002, "middleware.E028"),
        (0x83000101, "middleware.E029"),
        (0x83000104, "middleware.E029"),
        (0x12345678, "middleware.W030"),
    ],
)
def test_hipki_ret_codes(hipki: HipkiDouble, ret_code: int, code: str) -> None:
    hipki.set(answer(ret_code=ret_code, serial=""))
    res = run(
        Engine.create(Config(), plugins=False).os,
        ["middleware.hipki"],
        Config(hipki=Hipki(base_url=hipki.url)),
    )
    assert codes(res["middleware.hipki"]) == [code]
    assert ("GET", "/pkcs11info?withcert=true") in hipki.requests


@pytest.mark.parametrize(
    ("minor", "code"),
    [
        (0xA0, "middleware.W031"),
        (0xA2, "middleware.W032"),
        (0xA4, "middleware.E033"),
        (0x80000002, "middleware.W034"),
        (0x80000001, "middleware.E035"),
    ],
)
def test_hipki_minor_codes(hipki: HipkiDouble, minor: int, code: str) -> None:
    hipki.set(answer(ret_code=0x76100006, last_error=minor))
    res = run(
        Engine.create(Config(), plugins=False).os,
        ["middleware.hipki"],
        Config(hipki=Hipki(base_url=hipki.url)),
    )
    assert codes(res["middleware.hipki"])[-1] == code


def test_hipki_codes_as_strings_and_unknown_token(hipki: HipkiDouble) -> None:
    doc = answer(serial="unknown token")
    doc["ret_code"] = "0x00000000"
    hipki.set(doc)
    res = run(
        Engine.create(Config(), plugins=False).os,
        ["middleware.hipki"],
        Config(hipki=Hipki(base_url=hipki.url)),
    )
    assert codes(res["middleware.hipki"]) == ["middleware.W036"]


def test_hipki_healthy_reports_versions(hipki: HipkiDouble, write_config) -> None:
    r, found = check(write_config([], hipki_url=hipki.url), "middleware.hipki")
    (res,) = found.values()
    assert res["status"] == "ok"
    assert res["facts"]["server_version"] == "1.3.8"
    assert res["facts"]["library_version"] == "1.001"  # a JSON float in the real answer
    assert "TP00000000000001" not in r.out  # the card number never leaves in --json
    # The person's own terminal shows their own card number; --redact hides it there too.
    env = {"DIAGWIZARD_CONFIG": str(write_config([], hipki_url=hipki.url))}
    base = ("check", "--only", "middleware.hipki", "--verbose", "--lang", "en")
    assert "Card number: TP00000000000001" in run_cli(*base, env=env).out
    assert "TP00000000000001" not in run_cli(*base, "--redact", env=env).out


@pytest.mark.parametrize(
    ("body", "status", "field", "reason"),
    [
        (b"<html>not json</html>", 200, "(body)", "JSON"),
        (b'{"ret_code": NaN}', 200, "(body)", "JSON"),
        (b"[" * 200_000 + b"]" * 200_000, 200, "(body)", "nested too deep"),
        (b'{"ret_code": [1]}', 200, "ret_code", "32-bit number"),
        (b'{"serverVersion": "1"}', 200, "ret_code", "missing"),
        (b"[1, 2]", 200, "(top level)", "an object"),
        (b"{}", 500, "HTTP status", "got 500"),
    ],
    ids=["html", "nan", "deep", "ret-list", "no-ret", "array", "http-500"],
)
def test_hipki_malformed_answers_name_the_field(
    hipki: HipkiDouble, write_config, body: bytes, status: int, field: str, reason: str
) -> None:
    hipki.set(body, status)
    r, found = check(write_config([], hipki_url=hipki.url), "middleware.hipki")
    (res,) = found.values()
    assert res["status"] == "fail"
    assert res["findings"][0]["code"] == "middleware.E021"
    assert field in res["findings"][0]["message"]
    assert reason in res["findings"][0]["message"]
    assert "Traceback" not in r.err


def test_hipki_not_running(write_config) -> None:
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run_cli(
        "check",
        "--json",
        "--only",
        "middleware.hipki",
        env={"DIAGWIZARD_CONFIG": str(write_config([], hipki_url=f"http://127.0.0.1:{port}"))},
    )
    (res,) = r.json()["results"]
    assert res["findings"][0]["code"] == "middleware.E020"
    assert res["findings"][0]["kb"][0] == "hipki-not-running"
    # The headline is in the person's words; the socket error stays in the facts.
    message = res["findings"][0]["message"]
    assert "Errno" not in message and "refused" not in message.lower(), message
    assert "Connection refused" in res["facts"]["reason"]


def test_hipki_black_hole_is_bounded_by_the_network_timeout(write_config) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(0)  # accepts the connection, never answers
        port = s.getsockname()[1]
        started = time.monotonic()
        r = run_cli(
            "check",
            "--json",
            "--only",
            "middleware.hipki",
            env={
                "DIAGWIZARD_CONFIG": str(
                    write_config([], hipki_url=f"http://127.0.0.1:{port}", network=1.0)
                )
            },
        )
        assert time.monotonic() - started < 1.0 + 3.0
    (res,) = r.json()["results"]
    assert res["findings"][0]["code"] == "middleware.E020"


def test_pin_state_combines_hipki_report(hipki: HipkiDouble, soft_tokens, write_config) -> None:
    hipki.set(answer(ret_code=0x76100006, last_error=0xA4, certs=[]))
    cfg = write_config([SOFTHSM_MODULE], hipki_url=hipki.url)
    r = run_cli(
        "check",
        "--json",
        "--config",
        str(cfg),
        "--only",
        "pkcs11",
        "--only",
        "middleware.hipki",
        "--lang",
        "en",
        env=soft_tokens["healthy"].env,
    )
    res = {x["id"]: x for x in r.json()["results"]}
    assert res["pkcs11.pin"]["status"] == "fail"
    found = res["pkcs11.pin"]["findings"]
    assert [f["code"] for f in found] == ["pkcs11.E052", "pkcs11.I055", "pkcs11.I056"]
    assert found[1]["message"].endswith("says: -")  # SoftHSM's flags: no PIN problem
    assert found[2]["message"].endswith("says: LOCKED")
    assert res["pkcs11.pin"]["facts"]["said"]["hipki"] == ["USER_PIN_LOCKED"]


def test_certs_come_from_hipki_when_no_module(hipki: HipkiDouble, test_ca, write_config) -> None:
    hipki.set(answer(certs=[b64(der(make_card_cert(test_ca)))]))
    cfg = write_config([], hipki_url=hipki.url)
    r = run_cli(
        "check",
        "--json",
        "--config",
        str(cfg),
        "--only",
        "pkcs11.certs",
        "--only",
        "middleware.hipki",
        "--lang",
        "en",
    )
    res = {x["id"]: x for x in r.json()["results"]}
    assert res["pkcs11.certs"]["status"] == "ok"
    assert res["pkcs11.certs"]["facts"]["source"] == "hipki"
