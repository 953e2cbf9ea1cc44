"""The one-line probe result shape: status and summary derive from what was found."""

from __future__ import annotations

import pytest

from diagwizard.api.probe import probe
from diagwizard.core.model import FindingDef, Severity, Status, found, ok
from diagwizard.core.text import Text

GONE = FindingDef("demo.E001", Text("讀卡機 {name} 不見了", "Reader {name} is gone"))
OLD = FindingDef("demo.W002", Text("驅動程式太舊", "The driver is old"))
NOTE = FindingDef("demo.I003", Text("找到兩台讀卡機", "Two readers found"))


def test_status_and_summary_come_from_the_worst_finding() -> None:
    res = found(OLD(), GONE(name="ACS"), NOTE())
    assert res.status is Status.FAIL
    assert res.summary.get("zh-TW") == "讀卡機 ACS 不見了"
    assert res.summary.get("en") == "Reader ACS is gone"
    assert found(NOTE(), OLD()).status is Status.WARN
    assert found(NOTE()).status is Status.OK


def test_explicit_status_and_summary_win() -> None:
    res = found(OLD(), status=Status.SKIP, summary=Text("略過", "Skipped"), facts={"a": 1})
    assert (res.status, res.summary.get("en"), res.fact("a")) == (Status.SKIP, "Skipped", 1)
    with pytest.raises(ValueError):
        found()


def test_ok_keeps_info_findings_and_marks_personal_facts() -> None:
    res = ok(Text("正常", "Fine"), NOTE(), personal={"name": "王小明"})
    assert res.status is Status.OK and [f.code for f in res.findings] == ["demo.I003"]
    assert res.facts["name"].personal


@probe("demo.reader", "讀卡機", "Reader")
def _reader(ctx: object) -> object:
    return ok(Text("", ""))


def test_codes_are_collected_from_the_module_constants() -> None:
    assert [c.code for c in _reader.codes] == ["demo.E001", "demo.W002", "demo.I003"]
    assert [s.rank for s in Severity] == sorted(s.rank for s in Severity)
    assert Status.FAIL.rank > Status.WARN.rank > Status.OK.rank
