"""A diagnosis a person can trust: one outcome per run, rendered by every view.

An offline machine (the loopback stack with every name answered NXDOMAIN by two DNS
servers) must give exactly one network problem in the terminal, the JSON, the Markdown
report, ``decode``, the wizard and helpdesk mode; the person's own message puts its fix
first; a re-check says fixed or still failing; ``--only`` mistakes are usage errors.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import jsonschema
import pytest
from fake_engine import FakeEngine
from helpers import LOOPBACK_CONFIG, SCHEMA, run_cli
from stack.dnsserver import DnsServer
from test_tui import screen_text
from textual.widgets import OptionList

from checks import pcsc, pkcs11
from checks.network import reach
from diagwizard.core import config
from diagwizard.core.model import Status, result
from diagwizard.core.text import Text
from diagwizard.diagnosis import outcome
from diagwizard.engine import registry
from diagwizard.engine.engine import Engine
from diagwizard.ui.cli.decode import decoded_outcome
from diagwizard.ui.tui.app import WizardApp, make_app
from diagwizard.ui.tui.helpdesk import make_helpdesk
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.screens.summary import SummaryScreen
from diagwizard.ui.tui.widgets import Prose

SIZE = (100, 30)
NET = ("--only", "net", "--only", "sys.clock")
LOCKED = "Token Locked use Management Tools to Unlock Token"


@pytest.fixture
def offline(net_config):
    """A machine where no name resolves: two resolvers, three hosts, all NXDOMAIN."""
    with DnsServer({}) as a, DnsServer({}) as b:
        yield net_config("https://login.test/", ["a.test", "b.test"], dns=[a.port, b.port])


# -- offline: one problem everywhere ----------------------------------------------------------


def test_offline_json_has_one_dns_problem_explaining_the_rest(offline) -> None:
    r = run_cli("check", "--json", "--lang", "en", "--config", str(offline), *NET)
    doc = r.json()
    jsonschema.validate(doc, __import__("json").loads(SCHEMA.read_text()))
    assert r.code == 1
    assert doc["count"] == 1 and len(doc["problems"]) == 1
    problem = doc["problems"][0]
    assert problem["kb"] == "dns-failure" and problem["sources"] == ["net.dns"]
    dns = next(x for x in doc["results"] if x["id"] == "net.dns")
    assert problem["message"] == dns["findings"][0]["message"]  # the headline: what was found
    assert problem["title"] == "DNS cannot resolve the login site"  # the entry heads the fix
    assert "net.reach" in problem["explains"]
    assert sorted(problem["facts"]["hosts"]) == ["a.test", "b.test", "login.test"]
    # one line per site (both resolvers agree); which resolvers said so is in the facts
    assert len(dns["findings"]) == 3
    (resolvers,) = problem["facts"]["resolvers"]
    assert resolvers.count("127.0.0.1:") == 2
    clock = next(x for x in doc["results"] if x["id"] == "sys.clock")
    assert clock["status"] == "skip" and clock["findings"] == []
    assert "sent no time" not in clock["summary"]  # unreachable, not "no Date header"


@pytest.mark.parametrize(
    ("lang", "count_line", "skip_words"),
    [
        ("zh-TW", "發現 1 個需要處理的問題，請依上列順序處理。", "未檢查，因為"),
        (
            "en",
            "Found 1 problem(s) to fix; work through them in the order above.",
            "Not checked, because",
        ),
    ],
)
def test_offline_terminal_and_decode_say_one_problem(
    offline, tmp_path: Path, lang: str, count_line: str, skip_words: str
) -> None:
    report = tmp_path / "r.md"
    r = run_cli("check", "--lang", lang, "--config", str(offline), *NET, "--report", str(report))
    assert r.code == 1
    assert count_line in r.out
    assert r.out.count("kb show dns-failure") == 1  # one fix line, not fifteen
    assert skip_words in r.out
    assert "請依下列說明處理" not in r.out
    md = report.read_text(encoding="utf-8")
    assert ("需要處理的問題（1）" if lang != "en" else "Problems to fix (1)") in md

    code = re.search(r"DW2(-[0-9A-Z]+)+", r.out).group(0)  # type: ignore[union-attr]
    decoded = run_cli("decode", code, "--lang", lang)
    assert decoded.code == 0
    first = decoded.out.splitlines()[:2]
    assert code in first[0] and "linux" in first[0]  # case code and platform first
    assert first[1] == ("需要處理的問題：1 個" if lang != "en" else "Problems to fix: 1")
    body, details = decoded.out.split("詳細資料" if lang != "en" else "Details (for")
    assert "net.E0" not in body and "runner." not in body  # internal ids only in details
    assert "net.E010" in details
    assert "{" not in decoded.out  # every placeholder filled


async def test_offline_in_the_wizard_and_helpdesk(offline, monkeypatch) -> None:
    monkeypatch.setenv("DIAGWIZARD_CONFIG", str(offline))
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.open_check(only=["net", "sys.clock"])
        await pilot.pause()  # the screen asks the app to run its checks
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Found 1 problem(s)" in text and "DNS cannot resolve the login site" in text
        code = re.search(r"DW2(-[0-9A-Z]+)+", text).group(0)  # type: ignore[union-attr]

    desk = make_helpdesk(lang="zh-TW")
    async with desk.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press(*code, "enter")
        await pilot.pause()
        screen = desk.screen
        assert isinstance(screen, CheckScreen)
        assert code in screen_text(desk) and "需要處理的問題：1 個" in screen_text(desk)
        probe_list = screen.query_one("#probe-list", OptionList)
        assert probe_list.highlighted == probe_list.get_option_index("net.dns")
        await pilot.pause()
        detail = screen.query_one("#detail-md", Prose).source
        found = detail.split("### 發現")[1].split("###")[0]
        assert "不存在" in found and "net.E010" not in found  # plain words first
        assert "net.E010" in detail.split("### 詳細資料")[1]  # the id under details
        assert "{" not in detail  # every placeholder filled
        assert screen.check_action("recheck", ()) is False  # no keys that mean nothing here
        assert screen.check_action("questions", ()) is False


def test_card_chain_is_one_problem_unless_a_failure_has_its_own_cause() -> None:
    probes = registry.load(plugins=False).probes
    fail = lambda f: result(Status.FAIL, Text("壞", "bad"), f)  # noqa: E731
    results = {
        "net.reach": fail(reach.REFUSED(target="x:443")),
        "pcsc.service": fail(pcsc.FindingDef("pcsc.E002", Text("停", "stopped"))()),
        "pcsc.readers": result(Status.SKIP, Text("略過", "skipped")),
        "pcsc.card": result(Status.SKIP, Text("略過", "skipped")),
        "pkcs11.token": fail(pkcs11.NO_TOKEN()),
    }
    out = outcome.build(probes, results)
    assert [p.sources[0] for p in out.problems] == ["pcsc.service", "net.reach"]  # guide order
    assert out.problems[0].explains == ["pkcs11.token"]
    why = out.skipped()["pcsc.card"]
    title = probes["pcsc.service"].title  # the readers were not checked either: the root
    assert why.zh == f"未檢查，因為「{title.zh}」沒有通過"  # never a pass
    assert why.en == f"Not checked, because “{title.en}” did not pass"
    results["pkcs11.token"] = fail(pkcs11.MODULE_MISSING(path="/x.so"))  # its own cause
    assert outcome.build(probes, results).count == 3
    only_skips = {"pcsc.card": results["pcsc.card"]}
    assert outcome.build(probes, only_skips).verdict == "incomplete"  # not "nothing wrong"


# -- the person's evidence ---------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "title"), [("zh-TW", "卡片已鎖住"), ("en", "The card is locked")])
def test_symptom_puts_the_unlock_fix_first(lang: str, title: str) -> None:
    r = run_cli("check", "--lang", lang, "--only", "sys.os", "--symptom", LOCKED)
    assert r.code == 1  # the person saw an error: not "nothing wrong"
    problems = r.out.split("需要處理的問題" if lang != "en" else "Problems to fix")[1]
    assert problems.splitlines()[1].startswith(f"1. {title}")
    assert LOCKED in problems.splitlines()[2]  # why it is first: the person's own message
    doc = run_cli("check", "--json", "--only", "sys.os", "--symptom", LOCKED).json()
    assert doc["problems"][0]["kb"] == "faq06-token-locked"
    assert doc["problems"][0]["sources"][0] == "symptom"


def test_symptom_conflicting_with_clear_flags_is_said_plainly() -> None:
    probes = registry.load(plugins=False).probes
    clear = result(Status.OK, Text("PIN 碼狀態正常", "PIN status is fine"))
    out = outcome.build(probes, {"pkcs11.pin": clear}, symptom=LOCKED)
    assert out.count == 1 and out.problems[0].kb == "faq06-token-locked"
    assert out.problems[0].conflict is not None
    said = out.problems[0].conflict.get("en")
    assert "Token Locked" in said and "PIN status is fine" in said
    assert "您看到" in out.problems[0].conflict.get("zh-TW")


async def test_wizard_message_puts_the_unlock_fix_first() -> None:
    app = WizardApp(FakeEngine(), "zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press(*"Token Locked", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        fixes = app.screen.query_one("#problem-0", Prose).source
        first = next(line for line in fixes.splitlines() if line.startswith("## "))
        assert first.startswith("## ▶ 問題 1／") and "卡片已鎖住" in first  # what was said
        assert "您看到「Token Locked」" in fixes  # the card's flags say otherwise: said plainly
        # the case code carries the message too: the helpdesk sees the same problems
        code = re.search(r"DW2(-[0-9A-Z]+)+", screen_text(app)).group(0)  # type: ignore[union-attr]
        decoded, _ = decoded_outcome(code)
        here = app.diagnosis.outcome("linux")
        assert decoded.count == here.count
        assert "faq06-token-locked" in decoded.fixes()


# -- re-check ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "word"), [("zh-TW", "已修好"), ("en", "Fixed")])
async def test_recheck_after_a_fix_says_fixed(lang: str, word: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")  # the verdict opens by itself; back to the tree
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckScreen)
        probe_list = screen.query_one("#probe-list", OptionList)
        probe_list.highlighted = probe_list.get_option_index("pcsc.card")
        await pilot.pause()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.rechecks["pcsc.card"].verdict == "fixed"
        detail = screen.query_one("#detail-md", Prose).source
        assert detail.startswith(f"**{word}")
        gone = "讀卡機裡沒有卡片" if lang != "en" else "There is no card in the reader"
        assert gone in detail.splitlines()[0]  # what changed, in words


def test_recheck_reruns_the_chain_the_probe_depends_on() -> None:
    engine = Engine.create(config.load(str(LOOPBACK_CONFIG)), plugins=False)
    first = engine.run(["net.http"]).results
    fresh = engine.recheck("net.http", first)
    assert set(fresh) == {"net.proxy", "net.reach", "net.tls", "net.http"}


def test_recheck_after_fixing_dns_says_fixed(net_config) -> None:
    with DnsServer({}) as dns:
        cfg = net_config("https://login.test/", dns=[dns.port])
        engine = Engine.create(config.load(str(cfg)), plugins=False)
        before = engine.run(["net.dns"]).results
        assert (
            outcome.compare("net.dns", None, before["net.dns"])
            .render("zh-TW")
            .startswith("仍有問題")
        )
        dns.records["login.test"] = ["127.0.0.1"]  # the person fixes their DNS
        after = engine.recheck("net.dns", before)
    verdict = outcome.compare("net.dns", before["net.dns"], after["net.dns"])
    assert verdict.verdict == "fixed"
    assert verdict.render("en").startswith("Fixed: No longer seen: login.test was not found")


# -- usage errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"), [("zh-TW", "不符合任何檢查項目"), ("en", "matches no check")]
)
def test_only_that_matches_nothing_is_a_usage_error(lang: str, words: str) -> None:
    r = run_cli("check", "--lang", lang, "--only", "nosuch")
    assert r.code == 2
    assert words in r.err and "pcsc.card" in r.err and "net.dns" in r.err
    assert "沒有發現" not in r.out and "No problem found" not in r.out


def test_only_is_case_insensitive() -> None:
    r = run_cli("check", "--json", "--only", "SYS.OS")
    assert r.code == 0
    assert [x["id"] for x in r.json()["results"]] == ["sys.os"]


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
