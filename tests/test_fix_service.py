"""The smart-card service fix. Linux for real: this machine has no systemd, so the fix
starts pcscd itself; Windows through the recorded-command seam (sc), with the real PC/SC
stack answering once the recorded service runs. Needs the pcscd lock."""

from __future__ import annotations

import subprocess
from pathlib import Path, PureWindowsPath

import pytest
from helpers import codes, run_cli
from stack.pcscd import Pcscd
from stack.recorded_commands import Recorder

from diagwizard.core.config import Config
from diagwizard.engine.engine import Engine
from diagwizard.engine.fixer import Fixer, Verdict
from diagwizard.system.adapters.fixops import LinuxFixOps, WindowsFixOps
from diagwizard.system.adapters.windows import WindowsAdapter

pytestmark = pytest.mark.pcsc


def pcscd_running() -> bool:
    return subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True).returncode == 0


def test_linux_starts_a_stopped_pcscd(pcscd_stopped: Pcscd, tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    if LinuxFixOps().systemd:
        pytest.skip("systemd manages pcscd here; this test is for machines without it")
    try:
        dry = run_cli("fix", "--dry-run", "pcsc.start_service", "--lang", "en", env=env)
        assert "\nStart the smart-card service" in dry.out  # the title alone, no id
        assert "To apply only this one: diagwizard fix pcsc.start_service" in dry.out
        assert "Needs administrator rights" in dry.out and "Run: /usr/sbin/pcscd" in dry.out
        assert not pcscd_running()  # a dry run starts nothing
        r = run_cli("fix", "--yes", "pcsc.start_service", "--lang", "en", env=env)
        assert r.code == 0, r.out + r.err
        assert "Start the smart-card service: ✔ fixed" in r.out
        assert "Smart-card service is running" in r.out
        assert pcscd_running()
        check = run_cli("check", "--json", "--only", "pcsc.service", env=env)
        assert check.json()["results"][0]["status"] == "ok"
        # Starting a service has no automatic undo on Linux; the log says how instead.
        assert (
            "No applied fix can be undone" in run_cli("fix", "--undo", "--lang", "en", env=env).out
        )
    finally:
        pcscd_stopped.stop()


def test_linux_service_fix_is_not_offered_while_running(pcscd_vpcd: Pcscd, tmp_path) -> None:
    r = run_cli("fix", "--dry-run", "pcsc.start_service", "--lang", "zh-TW")
    assert r.code == 0 and "目前沒有可以自動處理的問題" in r.out


def test_windows_starts_scardsvr_and_sets_it_automatic(
    pcscd_vpcd: Pcscd, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    state = {"SCardSvr": "stopped"}
    sc = r"C:\Windows\System32\sc.exe"
    rec = Recorder(effects={(sc, "start", "SCardSvr"): lambda: state.update(SCardSvr="running")})
    adapter = WindowsAdapter(
        service_status=lambda name: state.get(name), uninstall=lambda: []
    )
    engine = Engine.create(Config(), plugins=False, os_adapter=adapter)
    engine.platform = "windows"
    ops = WindowsFixOps(
        run=rec,
        is_admin=lambda: True,
        start_type=lambda name: "disabled",  # the service API's word (psutil)
        system_dir=PureWindowsPath(r"C:\Windows\System32"),
    )
    fixer = Fixer(engine, "en", ops=ops)
    fix = fixer.fixes["pcsc.start_service"]
    fixer.diagnose([fix])
    assert codes(fixer.results["pcsc.service"]) == ["pcsc.E002"]
    (offer,) = fixer.offers([fix])
    assert [c.command for c in offer.plan.changes if c.command] == [
        (sc, "config", "SCardSvr", "start=", "auto"),
        (sc, "start", "SCardSvr"),
    ]
    assert rec.calls == []  # planning runs nothing
    outcome = fixer.apply(offer)
    assert outcome.verdict == Verdict.FIXED
    assert rec.calls == [
        (sc, "config", "SCardSvr", "start=", "auto"),
        (sc, "start", "SCardSvr"),
    ]
    found = fixer.last_undoable().offer
    assert found is not None
    assert fixer.undo(found).verdict == Verdict.UNDONE
    assert rec.calls[-1] == (sc, "config", "SCardSvr", "start=", "disabled")
