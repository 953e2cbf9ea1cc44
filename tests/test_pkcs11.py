"""PKCS#11 probes against real modules: SoftHSM2 tokens, OpenSC over pcscd with an emulated
PIV card, and deliberately broken modules built with gcc. Nothing here may use a PIN try."""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path

import jsonschema
import pytest
from helpers import SCHEMA, check, codes, fresh_python
from stack.certs import (
    OID_CERT_TYPE_VALUE,
    PLANTED_DN_SERIAL,
    PLANTED_ID_LAST4,
    PLANTED_NAME,
    PLANTED_SERIAL,
    der,
    make_ca,
    make_card_cert,
    make_moica_user_cert,
    real_ca,
)
from stack.modules import elf32_stub, not_a_library
from stack.piv import PIV_ATR, PivCard
from stack.pkcs11_fixtures import OPENSC_MODULE, SOFTHSM_MODULE
from stack.softhsm import make_token

from diagwizard.system.formats.certinfo import analyse, label


def test_healthy_token(soft_tokens, write_config) -> None:
    tok = soft_tokens["healthy"]
    cfg = write_config([SOFTHSM_MODULE])
    r, res = check(cfg, "pkcs11", env=tok.env)
    assert res["pkcs11.token"]["status"] == "ok"
    assert res["pkcs11.token"]["facts"]["tokens"][0]["flags"].count("TOKEN_INITIALIZED") == 1
    certs = res["pkcs11.certs"]
    assert certs["status"] == "ok"
    by_purpose = {c["purpose"]: c for c in certs["facts"]["certificates"]}
    assert set(by_purpose) == {"sign", "encrypt"}
    assert by_purpose["sign"]["ca"] == "MOICA" and by_purpose["sign"]["generation"] == "G2"
    assert by_purpose["sign"]["eku"] == ["clientAuth"]
    assert res["pkcs11.pin"]["status"] == "ok"
    assert codes(res["pkcs11.pin"]) == ["pkcs11.I054"]  # says plainly that it is not proof
    jsonschema.validate(r.json(), json.loads(SCHEMA.read_text()))


def test_personal_data_from_the_card_is_redacted(soft_tokens, write_config) -> None:
    tok = soft_tokens["healthy"]
    cfg = write_config([SOFTHSM_MODULE])
    r, res = check(cfg, "pkcs11", env=tok.env)
    for planted in (PLANTED_NAME, tok.serial, f"{PLANTED_SERIAL:X}"):
        assert planted not in r.out, planted
    # The four ID digits on their own: SoftHSM's random slot ids may contain them by chance.
    assert not re.search(rf"(?<!\d){PLANTED_ID_LAST4}(?!\d)", r.out)
    assert res["pkcs11.certs"]["facts"]["id_last4"][0].startswith("[personal-")
    assert res["pkcs11.certs"]["facts"]["subjects"][0].startswith("[personal-")
    r2, res2 = check(cfg, "pkcs11", env=tok.env, extra=("--include-personal",))
    assert PLANTED_NAME in res2["pkcs11.certs"]["summary"]
    assert tok.serial in r2.out


@pytest.mark.parametrize(
    ("scenario", "status", "code", "kb"),
    [
        ("expired", "fail", "pkcs11.E060", "cert-validity"),
        ("not_yet", "fail", "pkcs11.E061", "cert-validity"),
        ("expiring", "warn", "pkcs11.W062", "cert-validity"),
        ("corrupt", "fail", "pkcs11.W063", "cert-unreadable"),
        ("no_certs", "fail", "pkcs11.E064", "cert-unreadable"),
    ],
)
def test_certificate_problems(
    soft_tokens, write_config, scenario: str, status: str, code: str, kb: str
) -> None:
    r, res = check(write_config([SOFTHSM_MODULE]), "pkcs11", env=soft_tokens[scenario].env)
    certs = res["pkcs11.certs"]
    assert certs["status"] == status
    assert code in codes(certs)
    assert kb in next(f for f in certs["findings"] if f["code"] == code)["kb"]
    assert "Traceback" not in r.err


def test_count_low_is_a_warning(soft_tokens, write_config) -> None:
    _, res = check(write_config([SOFTHSM_MODULE]), "pkcs11", env=soft_tokens["count_low"].env)
    pin = res["pkcs11.pin"]
    assert pin["status"] == "warn" and codes(pin) == ["pkcs11.W050"]
    assert "tries are being used up" in pin["findings"][0]["message"]
    assert pin["findings"][0]["kb"][0] == "faq05-wrong-pin"


# -- OpenSC over the real pcscd with the emulated PIV card ------------------------------


@pytest.fixture
def piv_card(insert_card, test_ca):
    card = PivCard(der(make_card_cert(test_ca)))
    insert_card(atr=PIV_ATR, handler=card)
    return card


@pytest.mark.parametrize(
    ("retries", "status", "code"), [(1, "fail", "pkcs11.E051"), (0, "fail", "pkcs11.E052")]
)
def test_opensc_pin_flags_from_the_cards_counter(
    piv_card, write_config, retries: int, status: str, code: str
) -> None:
    piv_card.retries = retries
    _, res = check(write_config([OPENSC_MODULE]), "pkcs11")
    assert (
        "USER_PIN_FINAL_TRY" in res["pkcs11.token"]["facts"]["tokens"][0]["flags"] or retries == 0
    )
    pin = res["pkcs11.pin"]
    assert pin["status"] == status and codes(pin) == [code]
    assert piv_card.retries == retries  # reading the state used no try


def test_full_check_leaves_the_retry_counter_unchanged(piv_card, write_config) -> None:
    piv_card.retries = 2
    r, res = check(write_config([OPENSC_MODULE]))
    assert res["pkcs11.token"]["status"] == "ok"
    assert res["pkcs11.certs"]["facts"]["certificates"][0]["ca"] == "MOICA"
    assert piv_card.retries == 2
    verifies = [a for a in piv_card.log if len(a) > 1 and a[1] == 0x20]
    assert all(len(a) <= 5 for a in verifies), (
        "only the empty status VERIFY (no PIN data) may be sent"
    )
    assert PLANTED_NAME not in r.out  # OpenSC labels the token with the holder's name


# -- modules that are missing, wrong, crash or hang ------------------------------------


def test_missing_module(write_config, tmp_path: Path) -> None:
    _, res = check(write_config([str(tmp_path / "nope.so")]), "pkcs11")
    assert codes(res["pkcs11.token"]) == ["pkcs11.E041"]


def test_not_a_library(write_config, tmp_path: Path) -> None:
    _, res = check(write_config([str(not_a_library(tmp_path / "junk.so"))]), "pkcs11")
    assert res["pkcs11.token"]["status"] == "fail"
    assert codes(res["pkcs11.token"]) == ["pkcs11.E043"]


def test_wrong_architecture(write_config, tmp_path: Path) -> None:
    _, res = check(write_config([str(elf32_stub(tmp_path / "lib32.so"))]), "pkcs11")
    assert codes(res["pkcs11.token"]) == ["pkcs11.E042"]
    assert "x86" in res["pkcs11.token"]["findings"][0]["message"]


def test_crashing_module_is_a_result(broken_modules, write_config) -> None:
    r, res = check(write_config([str(broken_modules["crash"])]), "pkcs11")
    assert r.code == 1
    assert res["pkcs11.token"]["status"] == "error"
    assert codes(res["pkcs11.token"]) == ["pkcs11.E044"]
    assert "SIGSEGV" in res["pkcs11.token"]["findings"][0]["message"]
    assert res["pkcs11.token"]["findings"][0]["kb"][0] == "hicos-missing"


def test_hanging_module_times_out(broken_modules, write_config) -> None:
    cfg = write_config([str(broken_modules["hang"])], probes={"pkcs11.token": 2.0})
    started = time.monotonic()
    _r, res = check(cfg, "pkcs11")
    assert time.monotonic() - started < 2.0 + 5.0
    assert res["pkcs11.token"]["status"] == "timeout"
    assert codes(res["pkcs11.token"]) == ["pkcs11.E045"]
    assert res["pkcs11.pin"]["status"] == "skip"


@pytest.mark.parametrize(("broken", "code"), [("hang", "pkcs11.E045"), ("crash", "pkcs11.E044")])
def test_a_broken_module_loses_only_its_own_results(
    broken_modules, soft_tokens, write_config, broken: str, code: str
) -> None:
    """Each module is scanned in its own child: a module that hangs or crashes beside a
    healthy one costs only its own results; the card and its certificates still show."""
    bad = str(broken_modules[broken])
    cfg = write_config([bad, SOFTHSM_MODULE], probes={"pkcs11.token": 2.0})
    _, res = check(cfg, "pkcs11", env=soft_tokens["healthy"].env, extra=("--include-personal",))
    tok = res["pkcs11.token"]
    assert tok["status"] == "warn"
    assert codes(tok) == [code]
    assert broken_modules[broken].name in tok["findings"][0]["message"]  # names the module
    assert [t["module"] for t in tok["facts"]["tokens"]] == [SOFTHSM_MODULE]
    assert res["pkcs11.certs"]["status"] == "ok"
    assert res["pkcs11.pin"]["status"] == "ok"


def test_hanging_modules_are_waited_for_at_the_same_time(
    broken_modules, soft_tokens, write_config, tmp_path: Path
) -> None:
    """Two hanging modules within one 2 s limit: one after the other they would need
    4 s and the runner would cut the whole probe off (losing the healthy token too)."""
    second = tmp_path / "libbroken_hang_copy.so"
    second.write_bytes(broken_modules["hang"].read_bytes())
    cfg = write_config(
        [str(broken_modules["hang"]), str(second), SOFTHSM_MODULE], probes={"pkcs11.token": 2.0}
    )
    _, res = check(cfg, "pkcs11.token", env=soft_tokens["healthy"].env)
    tok = res["pkcs11.token"]
    assert codes(tok) == ["pkcs11.E045", "pkcs11.E045"]
    assert "libbroken_hang_copy.so" in tok["findings"][1]["message"]
    assert len(tok["facts"]["tokens"]) == 1


def test_certificate_from_a_non_government_ca(tmp_path: Path, write_config) -> None:
    other = make_ca(ou="Example Corp CA", key_id=bytes(20))
    token = make_token(tmp_path / "hsm", "other", [(der(make_card_cert(other)), b"SIGN")])
    _, res = check(write_config([SOFTHSM_MODULE]), "pkcs11", env=token.env)
    assert codes(res["pkcs11.certs"]) == ["pkcs11.I065"]
    assert res["pkcs11.certs"]["facts"]["certificates"][0]["ca"] == ""


# -- certificates as they sit on real cards ----------------------------------------------


def test_real_chain_and_one_user_certificate(soft_tokens, write_config) -> None:
    """GRCA-G3 (ROOTCACert) + MOICA-G3 (CACert) + a user certificate: the chain is the
    chain, never the user's certificate and never "non-government"."""
    r, res = check(write_config([SOFTHSM_MODULE]), "pkcs11", env=soft_tokens["real_chain"].env)
    certs = res["pkcs11.certs"]
    assert certs["status"] == "ok" and codes(certs) == []
    assert certs["facts"]["chain"] == ["GRCA G3", "MOICA G3"]
    assert certs["facts"]["user_certificates"] == 1
    (user,) = [c for c in certs["facts"]["certificates"] if c["role"] == "user"]
    assert (user["ca"], user["generation"], user["purpose"]) == ("MOICA", "G3", "sign")
    assert user["attributes"] == {"2.16.886.1.100.2.1": OID_CERT_TYPE_VALUE}
    assert certs["summary"].endswith("(MOICA G3); chain: GRCA G3, MOICA G3")
    for planted in (PLANTED_DN_SERIAL, PLANTED_ID_LAST4, f"{PLANTED_SERIAL:X}"):
        assert planted not in r.out, planted


def test_the_scan_child_reads_certificates_without_the_kb(soft_tokens) -> None:
    """The PKCS#11 child reads each certificate but leaves naming its CA to the parent,
    which has the KB: the child never loads it."""
    code = (
        "import json, sys\n"
        "from diagwizard.system.transport import pkcs11_scan\n"
        f"report = pkcs11_scan.scan({SOFTHSM_MODULE!r}, analyse=True)\n"
        "infos = [c.info for t in report.tokens for c in t.certificates]\n"
        "print(json.dumps({'infos': [[i.ok, i.issuer_names, i.issuer_key_id, i.ca] for i in infos],\n"
        "    'loaded': sorted(m for m in sys.modules if m.startswith('kb'))}))\n"
    )
    got = json.loads(fresh_python(code, soft_tokens["real_chain"].env))
    assert got["loaded"] == []
    assert len(got["infos"]) == 3 and all(ok and names for ok, names, _, _ in got["infos"])
    assert sum(bool(key_id) for _, _, key_id, _ in got["infos"]) >= 2  # the root may have none
    assert {ca for *_, ca in got["infos"]} == {""}  # placed by the parent, from the KB


def test_a_card_with_only_its_chain_has_no_user_certificate(soft_tokens, write_config) -> None:
    """Real GRCA-G3 + MOICA-G3 and nothing else: never read as the user's certificate."""
    _, res = check(write_config([SOFTHSM_MODULE]), "pkcs11", env=soft_tokens["chain_only"].env)
    certs = res["pkcs11.certs"]
    assert certs["status"] == "fail"
    assert codes(certs) == ["pkcs11.E066"]
    assert certs["facts"]["chain"] == ["GRCA G3", "MOICA G3"]
    assert certs["facts"]["user_certificates"] == 0


def test_a_certificate_cryptography_rejects_is_one_finding(soft_tokens, write_config) -> None:
    r, res = check(
        write_config([SOFTHSM_MODULE]), "pkcs11", env=soft_tokens["duplicate_extension"].env
    )
    certs = res["pkcs11.certs"]
    assert certs["status"] == "warn"
    assert codes(certs) == ["pkcs11.W063"]
    assert "Duplicate" in certs["findings"][0]["message"]
    assert certs["facts"]["user_certificates"] == 1  # the other certificates were analysed
    assert certs["facts"]["chain"] == ["MOICA G3"]
    assert "Traceback" not in r.err


@pytest.mark.parametrize(
    ("name", "is_ca", "issuer"),
    [
        ("GRCA-G1", "GRCA G1", "GRCA G1"),
        ("GRCA-G2", "GRCA G2", "GRCA G2"),
        ("GRCA-G3", "GRCA G3", "GRCA G3"),
        ("MOICA-G2", "MOICA G2", "GRCA G2"),
        ("MOICA-G3", "MOICA G3", "GRCA G3"),
        ("MOEACA-G2", "MOEACA G2", "GRCA G2"),
        ("MOEACA-G3", "MOEACA G3", "GRCA G3"),
    ],
)
def test_real_ca_certificates_are_named_by_key_id(name: str, is_ca: str, issuer: str) -> None:
    info = analyse(base64.b64encode(real_ca(name)).decode(), cka_id_hex=b"CACert".hex())
    assert info.ok and info.role == "chain" and info.purpose == ""
    assert label(info.subject_ca, info.subject_generation) == is_ca
    assert label(info.ca, info.generation) == issuer


@pytest.mark.parametrize(
    ("aki", "expected"),
    [
        ("B620C8CFBE518AA454B978D304D10AB2CC7E2F46", "MOICA G1"),
        ("FA9B3467" + "00" * 16, "MOICA G2"),
        ("99447A02" + "00" * 16, "MOEACA G2"),
        ("46CC59F8" + "00" * 16, "MOEACA G3"),
    ],
)
def test_user_certificate_generation_from_its_aki(aki: str, expected: str) -> None:
    cert = der(make_moica_user_cert(aki=bytes.fromhex(aki)))
    info = analyse(base64.b64encode(cert).decode())
    assert info.role == "user" and label(info.ca, info.generation) == expected
