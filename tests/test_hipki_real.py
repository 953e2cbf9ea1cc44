"""The HiPKI Local Server as it really answers (DOMAIN.md, "Checked against real
artifacts"): the real healthy answer and each real variant get their own verdict and fix
in both languages; the client contacts only the configured host and port."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import codes, run_cli
from helpers import run_probes as run
from stack.certs import PLANTED_DN_SERIAL, PLANTED_ID_LAST4
from stack.hipki_double import HipkiDouble, real_answer

import kb as kb_pkg
from diagwizard.core.config import Config, Hipki
from diagwizard.system.adapters.linux import LinuxAdapter
from kb.loader import load_dirs


def check(double: HipkiDouble, only: tuple[str, ...] = ("middleware.hipki",)) -> dict:
    return run(LinuxAdapter(), list(only), Config(hipki=Hipki(base_url=double.url)))


@pytest.fixture(scope="module")
def kb():
    return load_dirs([Path(kb_pkg.__file__).resolve().parent])


def test_real_healthy_answer_is_ok(hipki: HipkiDouble, write_config) -> None:
    hipki.set(real_answer("healthy"))
    r = run_cli(
        "check",
        "--json",
        "--only",
        "middleware.hipki",
        "--only",
        "pkcs11.certs",
        "--lang",
        "en",
        env={"DIAGWIZARD_CONFIG": str(write_config([], hipki_url=hipki.url))},
    )
    res = {x["id"]: x for x in r.json()["results"]}
    hip, certs = res["middleware.hipki"], res["pkcs11.certs"]
    assert hip["status"] == "ok" and hip["findings"] == []
    assert hip["facts"]["server_version"] == "1.3.8"
    assert hip["facts"]["library_version"] == "1.001"
    assert hip["facts"]["cryptoki_version"] == "2.04"
    assert [c["role"] for c in hip["facts"]["certificate_list"]] == [
        "chain",
        "chain",
        "user",
        "user",
    ]
    assert certs["status"] == "ok" and certs["findings"] == []
    assert certs["facts"]["chain"] == ["GRCA G3", "MOICA G3"]
    assert certs["facts"]["user_certificates"] == 2
    assert certs["summary"].endswith("(MOICA G3) (2 user certificates); chain: GRCA G3, MOICA G3")
    for planted in ("TP03000012345678", PLANTED_DN_SERIAL, PLANTED_ID_LAST4):
        assert planted not in r.out, planted


@pytest.mark.parametrize(
    ("name", "status", "found", "entry"),
    [
        ("no_reader", "fail", ["middleware.E039"], "hipki-reader-card"),
        ("no_card", "fail", ["middleware.E040"], "hipki-reader-card"),
        ("unknown_token", "warn", ["middleware.W036"], "hipki-wrong-card"),
        ("not_gpki_card", "fail", ["middleware.E045"], "hipki-wrong-card"),
        ("untrusted_site", "fail", ["middleware.E027"], "hipki-untrusted-site"),
        ("exec_timeout", "fail", ["middleware.E041"], "hipki-exec-timeout"),
        ("function_failed", "warn", ["middleware.W046", "middleware.W047"], "hipki-library-error"),
    ],
)
def test_real_variants_get_their_own_verdict_and_fix(
    hipki: HipkiDouble, kb, name: str, status: str, found: list[str], entry: str
) -> None:
    hipki.set(real_answer(name))
    res = check(hipki)["middleware.hipki"]
    assert res.status == status
    assert codes(res) == found
    for f in res.findings:
        assert kb.for_code(f.code)[0].id == entry
        zh, en = f.render("zh-TW"), f.render("en")
        assert zh != en and "{" not in zh + en
        assert not any("一" <= ch <= "鿿" for ch in en)  # English text is English


@pytest.mark.parametrize(
    ("ret", "minor", "found", "text"),
    [
        (0x76000999, 0, "middleware.W042", "the user cancelled"),
        (0x7610000C, 0, "middleware.E043", "certificate was not found"),
        (0x76500001, 0, "middleware.E044", "not yet valid"),
        (0x83000100 - 2**32, 0, "middleware.E045", "not a government PKI card"),
        (0x76100009, 0x150, "middleware.W048", "buffer too small"),
        (0x76300004, 0, "middleware.W046", "0x76300004: Signing failed"),
        (0x12345678, 0, "middleware.W030", "0x12345678"),
    ],
)
def test_codes_from_the_vendor_table(
    hipki: HipkiDouble, ret: int, minor: int, found: str, text: str
) -> None:
    doc = real_answer("untrusted_site") | {"ret_code": ret, "last_error": minor}
    hipki.set(doc)
    res = check(hipki)["middleware.hipki"]
    finding = next(f for f in res.findings if f.code == found)
    assert text in finding.render("en")


def test_an_unusable_field_is_named_and_the_rest_is_read(hipki: HipkiDouble) -> None:
    doc = real_answer("healthy")
    doc["libraryVersion"] = {"major": 1}
    doc["slots"][0]["token"]["flags"] = "1037"
    hipki.set(doc)
    results = check(hipki, ("middleware.hipki", "pkcs11.certs"))
    res = results["middleware.hipki"]
    assert res.status == "warn"
    assert codes(res) == ["middleware.W037", "middleware.W037"]
    messages = " ".join(f.render("en") for f in res.findings)
    assert "libraryVersion" in messages and "slots[0].token.flags" in messages
    assert "HiPKI Local Server 1.3.8 answers" == res.summary.en
    assert results["pkcs11.certs"].status == "ok"  # the certificates were still read


@pytest.mark.parametrize(
    ("name", "status", "found"),
    [("pin_locked", "fail", "pkcs11.E052"), ("pin_count_low", "warn", "pkcs11.W050")],
)
def test_pin_state_from_hipki_token_flags(
    hipki: HipkiDouble, name: str, status: str, found: str
) -> None:
    hipki.set(real_answer(name))
    res = check(hipki, ("middleware.hipki", "pkcs11.pin"))["pkcs11.pin"]
    assert res.status == status and codes(res) == [found]
    assert res.fact("sources") == ["hipki"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"HELLO\r\n\r\n", "BadStatusLine"),
        (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", "LineTooLong"),
        (b"HTTP/1.1 200 OK\r\n" + b"X-H: 1\r\n" * 150 + b"\r\n", "HTTPException"),
    ],
    ids=["status-line", "long-header", "many-headers"],
)
def test_broken_http_is_a_malformed_answer_with_its_reason(
    hipki: HipkiDouble, raw: bytes, reason: str
) -> None:
    hipki.set_raw(raw)
    res = check(hipki)["middleware.hipki"]
    assert res.status == "fail" and codes(res) == ["middleware.E021"]
    assert reason in res.findings[0].render("en")


# -- only the configured host and port ---------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[HipkiDouble]:
    with HipkiDouble(host="127.0.0.2") as other:
        yield other


def test_redirect_to_another_address_is_a_finding_and_not_followed(
    hipki: HipkiDouble, elsewhere: HipkiDouble
) -> None:
    hipki.redirect(f"{elsewhere.url}/pkcs11info?withcert=true")
    res = check(hipki)["middleware.hipki"]
    assert res.status == "fail" and codes(res) == ["middleware.E038"]
    assert "127.0.0.2" in res.findings[0].render("en")
    assert elsewhere.requests == []  # never contacted


def test_redirect_to_a_name_makes_no_lookup(
    hipki: HipkiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def spy(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        looked_up.append(host.decode() if isinstance(host, bytes) else str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    hipki.redirect("http://hipki-elsewhere.example:61161/pkcs11info", status=301)
    res = check(hipki)["middleware.hipki"]
    assert codes(res) == ["middleware.E038"]
    assert set(looked_up) <= {"127.0.0.1"}


def test_a_proxy_in_the_environment_is_not_used(
    hipki: HipkiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as proxy:
        proxy.bind(("127.0.0.1", 0))
        proxy.listen(1)
        proxy.setblocking(False)
        url = f"http://127.0.0.1:{proxy.getsockname()[1]}"
        for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(var, url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        hipki.set(real_answer("healthy"))
        assert check(hipki)["middleware.hipki"].status == "ok"
        with pytest.raises(BlockingIOError):
            proxy.accept()  # nobody connected to the proxy


def test_answer_files_follow_domain_md() -> None:
    """The double's data files keep the real types: float versions, integer dates (0 after
    2038), signed negative codes, the CA chain first."""
    doc = real_answer("healthy")
    assert isinstance(doc["libraryVersion"], float) and isinstance(doc["cryptokiVersion"], float)
    certs = doc["slots"][0]["token"]["certs"]
    assert [c["label"] for c in certs[:2]] == ["ROOT CA Cert", "CA Cert"]
    assert all(isinstance(c["notBeforeT"], int) for c in certs)
    assert certs[2]["notAfterT"] == 0  # the user certificate ends after 2038
    assert real_answer("not_gpki_card")["ret_code"] < 0
    assert json.dumps(real_answer("unknown_token")["slots"][0]["token"]) == '"unknown token"'
