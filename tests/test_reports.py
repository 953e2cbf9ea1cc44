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


def test_markdown_leads_with_the_verdict_then_fixes_then_the_table(planted_reports) -> None:
    md = planted_reports[1]["md"]
    assert md.startswith("# diagwizard 診斷報告")
    verdict = md.index("**✘ 找到 ")
    first_fix = md.index("#### 處理方式（Linux）：")
    table = md.index("| 狀態 | 檢查項目 | 說明 |")
    details = md.index("## 詳細資料")
    assert verdict < md.index("### 問題 1：") < first_fix < table < details
    assert "問題 1：" in md[table:details]  # the table marks what each problem rests on
    assert "由問題 " in md[table:details] and "未檢查，因為" in md[table:details]
    assert "pcsc.service" not in md[:details] and "`pcsc.service`" in md[details:]


def test_html_leads_with_the_verdict_then_fixes_then_the_table(planted_reports) -> None:
    html = planted_reports[1]["html"]
    verdict = html.index('<p class="verdict">✘ 找到 ')
    table = html.index("<table>")
    details = html.index("<h2>詳細資料")
    assert verdict < html.index("<h3>問題 1：") < html.index("<h4>處理方式（Linux）：") < table
    assert table < details
    assert "由問題 " in html[table:details] and "未檢查，因為" in html[table:details]
    assert "pcsc.service" not in html[:details] and "<code>pcsc.service</code>" in html[details:]


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


@pytest.mark.parametrize(
    ("platform", "steps", "elsewhere"),
    [
        (
            "linux",
            [
                "1. Install pcscd: `sudo apt install pcscd`.",
                "2. Start it and have it start at boot: `sudo systemctl enable --now pcscd.socket`.",
            ],
            "services.msc",
        ),
        ("windows", ["1. Press Win+R and run `services.msc`."], "apt install"),
    ],
)
def test_the_service_fix_in_a_report_is_this_systems_numbered_from_one(
    platform: str, steps: list[str], elsewhere: str
) -> None:
    """Issue 29: on Linux the smart-card service fix listed the Windows steps 1–3 first and
    the Linux ones as 4–5."""
    from checks import pcsc
    from diagwizard.core.model import result
    from diagwizard.core.text import Text
    from diagwizard.diagnosis.session import Diagnosis
    from diagwizard.engine import registry
    from diagwizard.ui import reports

    probes = registry.load(plugins=False).probes
    stopped = result(Status.FAIL, Text("沒有執行", "Not running"), pcsc.STOPPED())
    diagnosis = Diagnosis(dict(probes), {"pcsc.service": stopped})
    doc = reports.report_document(
        probes, diagnosis, lang="en", platform=platform, started_at=0.0, duration_ms=0
    )
    md = reports.render_markdown(doc, diagnosis, "en")
    start = md.index("#### ")
    fix = md[start : md.index("\n## ", start)]
    numbered = [line for line in fix.splitlines() if line[:1].isdigit()]
    assert numbered[: len(steps)] == steps
    assert elsewhere not in fix and "macOS" not in fix.split("\n", 2)[2]
