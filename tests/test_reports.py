"""Reports and case codes: redaction in every format, self-contained HTML, case codes that
survive the phone, and helpdesk mode."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import psutil
import pytest
from helpers import examples, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from stack.certs import PLANTED_ID_LAST4, PLANTED_NAME, PLANTED_SERIAL
from stack.pkcs11_fixtures import SOFTHSM_MODULE

from diagwizard.core.model import Status
from diagwizard.diagnosis import casecode

BOOK = casecode.current_codebook()
PLANTED_LOGIN = "wangxm"  # a person's login name; root or Administrator would be shown


def _local_ips() -> list[str]:
    return [
        a.address
        for addrs in psutil.net_if_addrs().values()
        for a in addrs
        if a.family == socket.AF_INET and not a.address.startswith("127.")
    ]


@pytest.fixture
def planted_reports(soft_tokens, write_config, tmp_path: Path):
    """A real scenario (SoftHSM token with a certificate full of personal data), reported
    in all three formats."""
    token = soft_tokens["healthy"]
    cfg = write_config([SOFTHSM_MODULE])
    out = {}
    for fmt in ("json", "md", "html"):
        path = tmp_path / f"report.{fmt}"
        r = run_cli(
            "check",
            "--config",
            str(cfg),
            "--lang",
            "zh-TW",
            "--report",
            str(path),
            env={**token.env, "LOGNAME": PLANTED_LOGIN},  # getpass reads LOGNAME first
        )
        assert "Traceback" not in r.err
        out[fmt] = path.read_text()
    return token, out


def test_no_planted_personal_data_in_any_report(planted_reports) -> None:
    token, reports = planted_reports
    secrets = [
        PLANTED_NAME,
        PLANTED_ID_LAST4,
        f"{PLANTED_SERIAL:X}",
        token.serial,
        PLANTED_LOGIN,
        socket.gethostname(),
        *_local_ips(),
    ]
    for fmt, text in reports.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked into the {fmt} report"
        assert "[personal-" in text


def test_placeholders_are_consistent(planted_reports) -> None:
    _, reports = planted_reports
    doc = json.loads(reports["json"])
    certs = next(r for r in doc["results"] if r["id"] == "pkcs11.certs")
    placeholder = certs["facts"]["subjects"][0]
    assert placeholder.startswith("[personal-")
    assert placeholder in certs["summary"]  # the same name, the same placeholder
    assert reports["md"].count(placeholder) >= 1 and reports["html"].count(placeholder) >= 1


def test_html_is_self_contained(planted_reports) -> None:
    html = planted_reports[1]["html"]
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh-TW"' in html
    for external in ("<script", "<link", "src=", "@import", "url("):
        assert external not in html
    assert "<style>" in html and "DW2-" in html
    assert "✔ 正常" in html  # status as a word, not colour alone


def test_markdown_has_results_and_fixes(planted_reports) -> None:
    md = planted_reports[1]["md"]
    assert md.startswith("# diagwizard 診斷報告")
    assert "| 狀態 | 檢查項目 | 摘要 |" in md and "## 建議處理順序" in md


def test_include_personal_turns_redaction_off_with_a_warning(
    soft_tokens, write_config, tmp_path: Path
) -> None:
    path = tmp_path / "r.md"
    r = run_cli(
        "check",
        "--config",
        str(write_config([SOFTHSM_MODULE])),
        "--report",
        str(path),
        "--include-personal",
        "--lang",
        "en",
        env=soft_tokens["healthy"].env,
    )
    assert PLANTED_NAME in path.read_text()
    assert "personal data" in r.err
    assert "contains personal data" in path.read_text()


def test_bad_report_format_is_a_usage_error(tmp_path: Path) -> None:
    r = run_cli("check", "--report", str(tmp_path / "r.txt"), "--lang", "en")
    assert r.code == 2 and "json, md or html" in r.err and "Traceback" not in r.err


# -- case codes --------------------------------------------------------------------------


def test_decode_reads_the_code_check_produced(write_config) -> None:
    r = run_cli("check", "--json", "--config", str(write_config([])), "--lang", "en")
    doc = r.json()
    code = doc["case_code"]
    assert code.startswith("DW2-") and len(code) <= 40
    state = casecode.decode(code)
    statuses = {x["id"]: x["status"] for x in doc["results"]}
    assert {k: v[0].value for k, v in state.results.items()} == {
        k: v for k, v in statuses.items() if k in state.results
    }
    decoded = run_cli("decode", code, "--lang", "en")
    assert decoded.code == 0
    assert "HiPKI Local Server" in decoded.out and "middleware.E020" in decoded.out
    assert "The HiPKI Local Server is not running" in decoded.out  # the fix, from the KB


def test_decode_rejects_a_mistyped_code() -> None:
    state = casecode.CaseState("windows", {"pcsc.service": (Status.FAIL, "pcsc.E002")})
    code = casecode.encode(state)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    r = run_cli("decode", wrong, "--lang", "en")
    assert r.code == 2 and "mistyped" in r.err and "Traceback" not in r.err
    r = run_cli("decode", "XYZ-1234", "--lang", "en")
    assert r.code == 2 and "DW2" in r.err


def test_decode_rejects_another_version() -> None:
    other = casecode.Codebook(BOOK.probes[:-1], BOOK.questions)
    code = casecode.encode(casecode.CaseState("linux", {}), other)
    with pytest.raises(casecode.CaseCodeError) as info:
        casecode.decode(code)
    assert "another diagwizard version" in info.value.render("en")


def test_codes_read_naturally() -> None:
    code = casecode.encode(casecode.CaseState("linux", {}))
    assert set(code) <= set("DW2-0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert casecode.decode(code.lower().replace("-", " ")).platform == "linux"  # typed loosely


@st.composite
def case_states(draw: st.DrawFn) -> casecode.CaseState:
    platform = draw(st.sampled_from(["linux", "windows", "macos"]))
    results: dict[str, tuple[Status, str]] = {}
    for p in BOOK.probes:
        if platform not in p.platforms:
            continue
        if any(results.get(n, (Status.OK, ""))[0] not in (Status.OK, Status.WARN) for n in p.needs):
            results[p.id] = (Status.SKIP, "runner.I001")
            continue
        status = draw(
            st.sampled_from(
                [Status.OK, Status.WARN, Status.FAIL, Status.ERROR, Status.TIMEOUT, Status.SKIP]
            )
        )
        code = ""
        if status in (Status.WARN, Status.FAIL, Status.ERROR, Status.TIMEOUT):
            code = draw(st.sampled_from(["", *BOOK.finding_codes(p)]))
        results[p.id] = (status, code)
    answers = {q: draw(st.sampled_from(opts)) for q, opts in BOOK.questions if draw(st.booleans())}
    return casecode.CaseState(platform, results, answers)


@given(case_states())
@settings(max_examples=examples(150))
def test_encode_then_decode_gives_back_the_input(state: casecode.CaseState) -> None:
    back = casecode.decode(casecode.encode(state, BOOK), BOOK)
    assert back.platform == state.platform and back.answers == state.answers
    assert back.results == state.results
