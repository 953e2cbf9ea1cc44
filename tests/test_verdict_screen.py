"""The verdict screen at 80×24 with the fixed fake engine: each problem headed by what was
found, the problem in view marked and moved with n/p, r checking its chain again with the
count updated at once (also on the list of checks below it), f saying plainly when a
problem has no automatic fix; and the words of the smart-card service fix per system,
and skip reasons in words where a case code carries none."""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath

import pytest
from fake_engine import FakeEngine
from helpers import run_cli
from stack.recorded_commands import Recorder
from test_tui import SIZE, screen_text, wait_checks
from textual.containers import VerticalScroll
from textual.widgets import Footer, OptionList, Static

from checks import clock, pcsc, pcsc_fixes, pkcs11_pin
from diagwizard.api.fix import FixContext
from diagwizard.core.config import Config
from diagwizard.core.model import Status, result
from diagwizard.core.text import Text
from diagwizard.diagnosis import outcome
from diagwizard.engine import registry
from diagwizard.system.adapters.fixops import LinuxFixOps, WindowsFixOps
from diagwizard.system.adapters.linux import LinuxAdapter
from diagwizard.ui.cli.decode import decoded_outcome
from diagwizard.ui.tui.app import WizardApp
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.screens.summary import SummaryScreen

LANGS = ["zh-TW", "en"]


def banner(app: WizardApp) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


def headings(app: WizardApp) -> list[str]:
    return [
        p.source.splitlines()[0]
        for p in app.screen.query(".problem")  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize("lang", LANGS)
async def test_each_problem_is_headed_by_what_was_found(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        first, second, third = headings(app)
        if lang == "en":
            assert first == "## ▶ Problem 1 of 3: There is no card in the reader"
            assert third.endswith("Wrong PINs were entered: tries are being used up")
        else:
            assert first == "## ▶ 問題 1／3：讀卡機裡沒有卡片"
        assert "▶" not in second + third
        body = app.screen.query_one("#problem-2").source  # type: ignore[attr-defined]
        # the KB entry's title heads the fix, under the headline
        assert ("### PIN 碼輸入錯誤" if lang != "en" else "### Wrong PIN (more") in body


async def test_n_and_p_move_the_problem_in_view_and_f_says_when_it_is_manual() -> None:
    app = WizardApp(FakeEngine(), "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        assert headings(app)[1].startswith("## ▶ Problem 2 of 3")
        assert "Problem 2 of 3" in screen_text(app)
        await pilot.press("f")  # the HiPKI component not running: no automatic fix
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "no automatic fix for this problem" in said and "press r" in said
        await pilot.press("l")  # the other language keeps the problem in view
        await pilot.pause()
        assert headings(app)[1].startswith("## ▶ 問題 2／3")
        await pilot.press("l", "p")
        await pilot.pause()
        assert headings(app)[0].startswith("## ▶ Problem 1 of 3")


@pytest.mark.parametrize(
    ("lang", "progress"),
    [("zh-TW", "✘ 已修好 1 個，還有 2 個問題"), ("en", "✘ 1 fixed, 2 problem(s) left")],
)
async def test_r_checks_the_problem_again_and_the_count_follows_everywhere(
    lang: str, progress: str
) -> None:
    engine = FakeEngine()
    app = WizardApp(engine, lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        assert banner(app).startswith("✘ 找到 3" if lang != "en" else "✘ Found 3")
        await pilot.press("r")  # the card is in now: the fake passes what is checked again
        await wait_checks(pilot, app)
        await pilot.pause()
        assert engine.reruns == ["pcsc.card"]
        assert banner(app).startswith(progress)
        assert len(headings(app)) == 2
        await pilot.press("escape")  # the list of checks under it is up to date too
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        row = str(app.screen.query_one("#probe-list", OptionList).get_option("pcsc.card").prompt)
        assert row.startswith("  ✔ ")
        title = str(app.screen.query_one("#check-title", Static).render())
        assert ("2 個問題" if lang != "en" else "Found 2 problem(s)") in title


@pytest.mark.parametrize("lang", LANGS)
async def test_the_verdict_says_what_next_when_only_manual_fixes_are_left(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        closing = app.screen.query_one("#closing").source  # type: ignore[attr-defined]
        code = re.search(r"DW2(-[0-9A-Z]+)+", banner(app)).group(0)  # type: ignore[union-attr]
        assert code in closing and "0800-080-117" in closing
        assert ("接下來" if lang != "en" else "Next:") in closing


OTHER_OS = {"zh-TW": "其他作業系統的步驟", "en": "Steps for other systems"}


async def _with_clock_wrong(pilot, app: WizardApp) -> SummaryScreen:
    """The summary of the fake run plus a wrong clock: its fix differs per system, so
    the last of its four problems has other systems' steps behind ``o``."""
    await pilot.press("4")
    await wait_checks(pilot, app)
    app.diagnosis.results["sys.clock"] = result(
        Status.FAIL,
        Text("時間錯誤", "Clock wrong"),
        clock.SKEWED(direction="快", minutes=15, direction_en="ahead of"),
    )
    app.open("summary")
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen) and len(app.screen.problems) == 4
    return app.screen


def heading_at_top(screen: SummaryScreen, i: int) -> bool:
    """Problem ``i`` heads the view (or the view is scrolled as far as it goes to it)."""
    body = screen.query_one("#summary-body", VerticalScroll)
    y = screen.query_one(f"#problem-{i}").virtual_region.y
    return int(body.scroll_y) == min(y, int(body.max_scroll_y))


@pytest.mark.parametrize("lang", LANGS)
async def test_o_shows_other_systems_steps_of_the_problem_in_view(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _with_clock_wrong(pilot, app)
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert screen.current == 3 and heading_at_top(screen, 3)
        for _ in range(2):  # shown, then hidden again: the same problem stays in view
            await pilot.press("o")
            await pilot.pause()
            await pilot.pause()
            assert screen.current == 3, headings(app)
            assert headings(app)[3].startswith("## ▶ ")
            assert heading_at_top(screen, 3)
            source = screen.query_one("#problem-3").source  # type: ignore[attr-defined]
            assert (f"### {OTHER_OS[lang]}" in source) == screen.all_systems


def footer_keys(app: WizardApp) -> dict[str, str]:
    """The footer's keys and labels, each checked to fit 80 columns."""
    keys = list(app.screen.query_one(Footer).query("FooterKey"))
    assert all(0 < k.region.right <= SIZE[0] for k in keys), [
        (str(k.description), k.region) for k in keys
    ]
    return {k.key: str(k.description) for k in keys}  # type: ignore[attr-defined]


NAMED = re.compile(r"按 ([a-z])(?![a-z])|[Pp]ress ([a-z])(?![a-z])|(?<![\w-])([a-z])(?::| checks) ")


def named_keys(app: WizardApp) -> set[str]:
    """The keys the text of the problem in view and the export note tell the person to
    press."""
    screen = app.screen
    assert isinstance(screen, SummaryScreen)
    section = screen.query_one(f"#problem-{screen.current}").source  # type: ignore[attr-defined]
    text = section + "\n" + str(screen.query_one("#export-note", Static).render())
    return {next(g for g in m.groups() if g) for m in NAMED.finditer(text)}


@pytest.mark.parametrize("lang", LANGS)
async def test_every_key_the_verdict_names_is_in_the_footer_and_works(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path("/home/officer/Documents/diagwizard")
    monkeypatch.setattr(
        "diagwizard.ui.tui.export.export_reports",
        lambda view, lang: [folder / f"r.{x}" for x in ("html", "md", "json")],
    )
    opened: list[Path] = []
    monkeypatch.setattr("diagwizard.ui.tui.export.launch", opened.append)
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _with_clock_wrong(pilot, app)
        labels = {
            "zh-TW": ("其他系統", "開資料夾", "下一個"),
            "en": ("Other OS", "Open folder", "Next"),
        }
        other, open_folder, next_ = labels[lang]
        for i in range(4):
            keys = footer_keys(app)
            assert named_keys(app) <= set(keys), (i, named_keys(app), keys)
            assert keys.get("o") == other  # problem 4 has other systems' steps
            assert "d" not in keys  # nothing exported yet: nothing to open
            assert (keys.get("n") == next_) == (i < 3), (i, keys)
            await pilot.press("n")
            await pilot.pause()
        assert screen.current == 3  # n on the last problem: named nowhere, not shown
        await pilot.press("e")
        await pilot.pause()
        keys = footer_keys(app)
        assert keys.get("d") == open_folder and named_keys(app) <= set(keys), keys
        await pilot.press("d")
        assert opened == [folder]
        await pilot.press("p")  # the footer of a problem that is not the last, exported
        await pilot.pause()
        keys = footer_keys(app)
        assert {"n", "o", "d"} <= set(keys) and named_keys(app) <= set(keys), keys
        await pilot.press("o")
        await pilot.pause()
        assert named_keys(app) <= set(footer_keys(app))


@pytest.mark.parametrize("lang", LANGS)
async def test_the_last_problem_says_it_is_the_last_not_press_n(lang: str) -> None:
    app = WizardApp(FakeEngine(), lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_checks(pilot, app)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        await pilot.press("n", "n")
        await pilot.pause()
        last = screen.query_one("#problem-2").source  # type: ignore[attr-defined]
        assert ("這是最後一個問題" if lang == "zh-TW" else "This is the last problem") in last
        assert "n" not in named_keys(app) and "n" not in footer_keys(app)
        await pilot.press("n")  # nothing after the last one: it stays
        await pilot.pause()
        assert screen.current == 2


# -- the smart-card service fix says what it does on this system ------------------------------


def _plan(ops: object) -> tuple[list[str], str]:
    stopped = result(Status.FAIL, Text("停", "stopped"), pcsc.STOPPED())
    ctx = FixContext(Config(), LinuxAdapter(), ops, {"pcsc.service": stopped}, "en")  # type: ignore[arg-type]
    plan = pcsc_fixes.plan_start(ctx)
    assert plan is not None and plan.undo_text is not None
    return [c.render("en") for c in plan.changes], plan.undo_text.en


def test_linux_with_systemd_enables_the_socket_and_says_so() -> None:
    changes, undo = _plan(LinuxFixOps(run=Recorder(), systemd=True))
    assert changes[0].startswith("Enable and start the smart-card service (pcscd.socket)")
    assert "at every boot" in changes[0]
    assert changes[1] == "Run: systemctl enable --now pcscd.socket"
    assert "systemctl disable --now pcscd.socket" in undo and "Windows" not in undo


def test_linux_without_systemd_says_it_lasts_this_session() -> None:
    changes, undo = _plan(LinuxFixOps(run=Recorder(), systemd=False))
    assert "runs only until the computer shuts down or restarts" in changes[0]
    assert "at every boot" not in changes[0] and "Windows" not in undo


def test_windows_sets_the_start_type_and_undo_names_the_old_one() -> None:
    ops = WindowsFixOps(
        run=Recorder(),
        start_type=lambda name: "manual",  # the service API's word (psutil) for "demand"
        system_dir=PureWindowsPath(r"C:\Windows\System32"),
    )
    changes, undo = _plan(ops)
    sc = r"C:\Windows\System32\sc.exe"
    assert changes[0].startswith("Set the smart-card service (SCardSvr) to start automatically")
    assert changes[1:] == [f"Run: {sc} config SCardSvr start= auto", f"Run: {sc} start SCardSvr"]
    assert undo == "diagwizard fix --undo sets the start type back to “demand”"
    assert "Linux" not in undo


# -- decode: skip reasons in words ----------------------------------------------------------------


@pytest.mark.parametrize(("lang", "ok_word"), [("en", "because OK"), ("zh-TW", "因為正常")])
def test_decode_never_says_a_check_was_skipped_because_ok(lang: str, ok_word: str) -> None:
    r = run_cli("check", "--lang", "en")  # the loopback stack: some checks are skipped
    code = re.search(r"DW2(-[0-9A-Z]+)+", r.out).group(0)  # type: ignore[union-attr]
    decoded = run_cli("decode", code, "--lang", lang)
    assert decoded.code == 0
    assert ok_word not in decoded.out
    out, _ = decoded_outcome(code)
    reasons = {pid: why.get("en") for pid, why in out.skipped().items()}
    assert reasons and all("because OK" not in why for why in reasons.values())
    for pid, why in reasons.items():  # a reason in words: a check's name, or none recorded
        assert "“" in why or "does not record why" in why, (pid, why)


# -- a problem's headline is what was found ---------------------------------------------------


def test_one_pin_try_left_is_the_headline_and_the_kb_title_heads_the_fix() -> None:
    probes = registry.load(plugins=False).probes
    final = result(Status.FAIL, Text("最後一次", "final try"), pkcs11_pin.FINAL_TRY())
    out = outcome.build(probes, {"pkcs11.pin": final}, platform="linux")
    (problem,) = out.problems
    assert problem.headline.get("en") == "One PIN try left: do not guess"
    assert problem.headline.get("zh-TW") == "PIN 碼只剩最後一次機會：請勿再猜"
    assert problem.title.get("en") != problem.headline.get("en")  # the KB entry's title
    doc = out.for_export("en")
    assert doc["problems"][0]["message"] == "One PIN try left: do not guess"
    assert doc["problems"][0]["title"] == problem.title.get("en")
