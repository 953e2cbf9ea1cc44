"""Command-line text in the person's language, wrapped the Chinese way."""

from __future__ import annotations

import itertools
import time

import pytest
from fake_engine import FakeEngine
from helpers import run_cli
from rich.console import Console

from checks import middleware
from diagwizard.core.model import Status, result
from diagwizard.core.redact import Redactor
from diagwizard.core.text import Text
from diagwizard.diagnosis.outcome import build
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.ui import reports
from diagwizard.ui.cli.render import LiveLines
from diagwizard.ui.textwrap_cjk import CLOSING, cell_width


def test_probes_headers_follow_the_language() -> None:
    zh = run_cli("probes", "--lang", "zh-TW")
    assert zh.code == 0
    header = zh.out.splitlines()[0].split()
    assert header == ["代碼", "檢查項目", "類別", "需要先檢查", "平台"]
    assert "讀卡機與卡片" in zh.out
    en = run_cli("probes", "--lang", "en")
    assert en.out.splitlines()[0].split() == ["id", "title", "area", "needs", "platforms"]


def _canned_results():
    engine = FakeEngine()
    return engine, engine.results


def test_check_output_wraps_the_chinese_way() -> None:
    engine, results = _canned_results()
    for width in (50, 61, 80):
        lines = LiveLines(engine.probes, "zh-TW", Redactor())
        lines.console = Console(width=width, record=True, highlight=False)
        lines.summary(build(engine.probes, results, platform="linux"))
        text = lines.console.export_text()
        assert "跨平台網頁元件沒有回應" in text.replace("\n", "").replace(" ", "")
        labels = tuple(status.label.zh for status in Status)
        for line in text.splitlines():
            assert cell_width(line.rstrip()) <= width, line
            rest = line.strip().removeprefix(next((x for x in labels if line.startswith(x)), ""))
            assert not rest.strip() or rest.strip()[0] not in CLOSING, line


def test_markdown_report_wraps_findings_with_a_hanging_indent() -> None:
    engine, results = _canned_results()
    long_reason = "伺服器拒絕連線，請確認跨平台網頁元件已啟動，並且沒有被防毒軟體或防火牆阻擋。" * 2
    results["middleware.hipki"] = result(
        Status.FAIL,
        Text("沒有執行", "Not running"),
        middleware.HIPKI_DOWN(),  # the headline
        middleware.HIPKI_BAD(field="ret_code", expected=long_reason),  # more evidence, under it
    )
    diagnosis = Diagnosis(dict(engine.probes), dict(results))
    doc = reports.report_document(
        engine.probes,
        diagnosis,
        lang="zh-TW",
        platform="linux",
        started_at=time.time(),
        duration_ms=0,
    )
    md = reports.render_markdown(doc, diagnosis, "zh-TW")
    assert "### 問題 2：跨平台網頁元件沒有回應，可能沒有在執行" in md
    tail = md[md.index("- 跨平台網頁元件的回應格式不正確") :].splitlines()
    block = tail[:1] + list(itertools.takewhile(lambda line: line.startswith("  "), tail[1:]))
    assert len(block) > 1  # the long message wrapped
    for line in block[1:]:
        assert line.startswith("  ") and line.strip()[0] not in CLOSING, line
    assert all(cell_width(line) <= reports.MD_WIDTH for line in block)


@pytest.mark.parametrize(
    ("lang", "fail", "warn", "areas"),
    [
        ("zh-TW", "✘ 失敗", "! 注意", ["讀卡機與卡片", "元件", "憑證", "網路", "系統"]),
        (
            "en",
            "✘ FAIL",
            "! WARN",
            ["Reader and card", "Components", "Certificates", "Network", "System"],
        ),
    ],
)
def test_terminal_and_reports_say_the_same_status_words(
    lang: str, fail: str, warn: str, areas: list[str]
) -> None:
    """The status column reads the same in the terminal and the Markdown report, and the
    terminal groups the checks in the guide's area order."""
    engine, results = _canned_results()
    lines = LiveLines(engine.probes, lang, Redactor())
    lines.console = Console(width=120, record=True, highlight=False)
    lines.summary(build(engine.probes, results, platform="linux"))
    text = lines.console.export_text()
    card = engine.probes["pcsc.card"].title.get(lang)
    pin = engine.probes["pkcs11.pin"].title.get(lang)
    assert any(line.startswith(fail) and card in line for line in text.splitlines())
    assert any(line.startswith(warn) and pin in line for line in text.splitlines())
    headings = [text.index(f"\n{a}\n") for a in areas]
    assert headings == sorted(headings)

    diagnosis = Diagnosis(dict(engine.probes), dict(results))
    doc = reports.report_document(
        engine.probes, diagnosis, lang=lang, platform="linux", started_at=time.time(), duration_ms=0
    )
    md = reports.render_markdown(doc, diagnosis, lang)
    assert any(row.startswith(f"| {fail} | {card}") for row in md.splitlines())
    assert any(row.startswith(f"| {warn} | {pin}") for row in md.splitlines())


def test_the_case_code_line_uses_the_full_width_colon_in_chinese() -> None:
    zh = run_cli("check", "--lang", "zh-TW")
    assert "案件代碼（請告訴客服人員）：DW2-" in zh.out, zh.out[-300:]
    en = run_cli("check", "--lang", "en")
    assert "Case code (read it to the helpdesk): DW2-" in en.out
