"""From the first problem to a working login: fix, check again, next (issue 29).

A multi-fault world on real components: the smart-card service (pcscd) is stopped, an
emulated card (MOICA's ATR, the PIV applet OpenSC reads) waits in the vpcd reader for it,
OpenSC is the card's PKCS#11 module
(under a name of its own, so the machine's p11-kit does not count as a registration),
and the browsers' NSS databases do not load it. While the service is down the card is
never read, so the missing registration cannot show; fixing the service reveals it. The
repair loop fixes the service, checks the chain again, says the new count, offers the
registration, fixes it, and ends with what to do next and the case code: through
``diagwizard fix`` and through the wizard's verdict screen (Pilot at 80×24, both
languages, the count going down after each fix without pressing ``r``).

Needs the pcscd lock; the fix starts the machine's pcscd, which each test stops again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli
from stack.cardemu import MOICA_ATR, CardEmulator
from stack.certs import der, make_card_cert
from stack.pcscd import Pcscd
from stack.piv import PivCard
from stack.pkcs11_fixtures import OPENSC_MODULE
from test_store import make_nssdb
from test_tui import SIZE, screen_text, wait_checks
from textual.widgets import Static

from diagwizard.core import config
from diagwizard.core.model import Status
from diagwizard.engine import registry
from diagwizard.engine.engine import Engine
from diagwizard.system.adapters.fixops import LinuxFixOps
from diagwizard.ui.tui.app import WizardApp
from diagwizard.ui.tui.screens.check import CheckScreen
from diagwizard.ui.tui.screens.fix import FixScreen
from diagwizard.ui.tui.screens.summary import SummaryScreen

pytestmark = pytest.mark.pcsc

CARD_CHAIN = ("pcsc.readers", "pcsc.card", "pcsc.card_type", "pkcs11.token", "store.registered")


def pcscd_running() -> bool:
    return subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True).returncode == 0


@pytest.fixture
def world(pcscd_stopped: Pcscd, test_ca, tmp_path: Path) -> Iterator[dict]:
    """pcscd stopped, a PIV card waiting for the reader, NSS databases without the card's
    module; the config and environment for the CLI and the engine."""
    if LinuxFixOps().systemd:
        pytest.skip("systemd manages pcscd here; the fix would enable the socket unit")
    module = tmp_path / "libcardmod.so"
    shutil.copy(OPENSC_MODULE, module)
    home = tmp_path / "home"
    dbs = [
        make_nssdb(home / ".pki" / "nssdb", None, {}),
        make_nssdb(home / ".mozilla" / "firefox" / "ab12.default-release", None, {}),
    ]
    cfg = tmp_path / "world.toml"
    cfg.write_text(
        '[targets]\nlogin_url = "https://127.0.0.1:9/"\nhosts = []\n'
        "[dns]\nsystem_resolver = false\n"
        f'[pkcs11]\nmodules = ["{module}"]\n'
        '[hipki]\nbase_url = "http://127.0.0.1:9"\n'
        "[timeouts]\nnetwork = 1.0\n"
    )
    card = CardEmulator(atr=MOICA_ATR, handler=PivCard(der(make_card_cert(test_ca))))
    # The card is in the reader: it connects the moment the service (vpcd) listens.
    waiting = threading.Thread(target=card.insert, kwargs={"timeout": 120}, daemon=True)
    waiting.start()
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "DIAGWIZARD_CONFIG": str(cfg),
    }
    try:
        yield {"cfg": cfg, "env": env, "dbs": dbs, "home": home}
    finally:
        pcscd_stopped.stop()  # the fix started it as a daemon
        card.remove()
        waiting.join(timeout=5)


def registered(dbs: list[Path]) -> bool:
    return all("libcardmod.so" in (db / "pkcs11.txt").read_text() for db in dbs)


def test_engine_recheck_runs_what_depended_on_the_fixed_cause(pcscd_stopped: Pcscd) -> None:
    """Fixing the service by hand, then "check again": the reader and card, skipped
    because of it, are checked too (no row keeps a 「略過」 whose cause is gone)."""
    engine = Engine.create(config.Config(), plugins=False)
    before = engine.run(["pcsc"]).results
    assert before["pcsc.service"].status == Status.FAIL
    assert before["pcsc.readers"].status == Status.SKIP
    try:
        pcscd_stopped.start(vpcd=True)
        fresh = engine.recheck("pcsc.service", before)
    finally:
        pcscd_stopped.stop()
    assert {"pcsc.service", "pcsc.readers", "pcsc.card", "pcsc.card_type"} <= set(fresh)
    assert fresh["pcsc.readers"].status == Status.OK
    assert fresh["pcsc.card"].status != Status.SKIP  # checked: no card in it


def test_the_chain_goes_down_as_well_as_up() -> None:
    engine = Engine(config.Config(), registry.load(plugins=False), None)  # type: ignore[arg-type]
    ran = list(engine.probes)
    chain = engine.chain(["pcsc.service"], ran)
    assert set(CARD_CHAIN) <= set(chain)  # everything that reads it or is explained by it
    assert "net.dns" not in chain
    assert engine.chain(["pcsc.service"], ["pcsc.service", "pcsc.readers"]) == [
        "pcsc.service",
        "pcsc.readers",
    ]  # only what ran


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_fix_goes_from_the_service_to_the_registration_it_revealed(world, lang: str) -> None:
    r = run_cli("fix", "--yes", "--lang", lang, env=world["env"], timeout=120)
    assert r.code == 0, r.out + r.err
    out = r.out
    assert pcscd_running() and registered(world["dbs"])
    if lang == "en":
        found = int(re.search(r"Found (\d+) problem\(s\):", out).group(1))  # type: ignore[union-attr]
        service = out.index("Start the smart-card service (pcscd): no service manager")
        assert "runs only until the computer shuts down or restarts" in out[service:]
        # One fixed, one come to light: as many as before.
        first = out.index(f"1 fixed, {found} problem(s) left (newly found: No browser loads")
        second = out.index(f"2 fixed, {found - 1} problem(s) left", first)
        assert service < first < out.index("Register the card's PKCS#11 module") < second
        assert "Next: the " in out[second:] and "read them the case code DW2-" in out[second:]
    else:
        found = int(re.search(r"找到 (\d+) 個問題：", out).group(1))  # type: ignore[union-attr]
        assert "1. 智慧卡服務已安裝但沒有執行（可由工具協助處理）" in out  # no space before （
        first = out.index(f"已修好 1 個，還有 {found} 個問題（新發現：瀏覽器沒有載入")
        second = out.index(f"已修好 2 個，還有 {found - 1} 個問題", first)
        assert "接下來：" in out[second:] and "案件代碼 DW2-" in out[second:]
    assert "Traceback" not in r.err
    # What the loop said is what a fresh check says: the two fixed problems are gone.
    doc = run_cli("check", "--json", env=world["env"]).json()
    assert doc["count"] == found - 1
    results = {x["id"]: x for x in doc["results"]}
    assert all(results[p]["status"] != "skip" for p in ("pcsc.readers", "pcsc.card"))
    assert results["store.registered"]["status"] == "ok"


def banner(app: WizardApp) -> str:
    return str(app.screen.query_one("#verdict", Static).render())


async def fix_in_view(pilot, app: WizardApp) -> str:
    """f on the verdict, consent in the dialog; the dialog's words once it is done."""
    await pilot.press("f")
    await wait_checks(pilot, app)
    assert isinstance(app.screen, FixScreen), screen_text(app)
    await pilot.press("enter")  # the focused button: 幫我修好
    await wait_checks(pilot, app)
    await pilot.pause()
    said = screen_text(app)
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen)
    return said


@pytest.mark.parametrize(
    ("lang", "found", "progress", "revealed"),
    [
        (
            "zh-TW",
            "✘ 找到 {n} 個問題",
            "已修好 {fixed} 個，還有 {left} 個問題",
            "新發現：瀏覽器沒有載入",
        ),
        (
            "en",
            "✘ Found {n} problem(s)",
            "{fixed} fixed, {left} problem(s) left",
            "newly found: No browser",
        ),
    ],
)
async def test_wizard_verdict_fixes_one_problem_after_another(
    world, monkeypatch, lang: str, found: str, progress: str, revealed: str
) -> None:
    for name, value in world["env"].items():
        monkeypatch.setenv(name, value)
    engine = Engine.create(config.load(str(world["cfg"])), plugins=False)
    app = WizardApp(engine, lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")  # check everything: the verdict opens by itself
        await wait_checks(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        n = app.diagnosis.outcome("linux").count
        assert banner(app).startswith(found.format(n=n))
        first = app.screen.problems[0]
        assert first.sources == ["pcsc.service"]  # the problem in view: the service
        assert "🔧" in app.screen.query_one("#problem-0").source

        said = await fix_in_view(pilot, app)
        assert progress.format(fixed=1, left=n) in said and revealed in said  # +1 revealed
        assert pcscd_running()
        assert banner(app).startswith("✘ " + progress.format(fixed=1, left=n))
        assert app.diagnosis.outcome("linux").count == n  # one gone, one come to light
        in_view = app.screen.problems[app.screen.current]
        assert in_view.sources == ["store.registered"]  # the next one with a fix
        for pid in CARD_CHAIN:  # nothing left 「略過」 because of the stopped service
            assert app.diagnosis.results[pid].status != Status.SKIP, pid

        said = await fix_in_view(pilot, app)
        assert progress.format(fixed=2, left=n - 1) in said
        assert registered(world["dbs"])
        assert banner(app).startswith("✘ " + progress.format(fixed=2, left=n - 1))
        closing = app.screen.query_one("#closing").source
        assert ("接下來" if lang == "zh-TW" else "Next:") in closing and "DW2-" in closing

        await pilot.press("escape")  # the list of checks shows the same
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        rows = screen_text(app)
        skip_word = "略過" if lang == "zh-TW" else "skipped"
        for pid in ("pcsc.readers", "pcsc.card", "store.registered"):
            row = str(app.screen.query_one("#probe-list").get_option(pid).prompt)
            assert skip_word not in row, row
        assert str(n - 1) in rows.splitlines()[1] or str(n - 1) in str(
            app.screen.query_one("#check-title", Static).render()
        )
