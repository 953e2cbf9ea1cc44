"""Fixes through the adapters: HiPKI's /addDomain against a double; the clock through
the recorded-command seam on Linux, Windows and macOS against a real HTTPS server whose
Date is off; Windows friendly names and old copies against the recorded crypt32 store."""

from __future__ import annotations

import base64
from pathlib import Path, PureWindowsPath

import pytest
from helpers import codes, run_cli
from stack.fake_crypt32 import HICOS_CSP, FakeCrypt32Lib, FakeCrypt32Store
from stack.hipki_trust import HipkiTrustDouble
from stack.recorded_commands import Recorder
from stack.tlsserver import HttpsServer
from test_store import certs, windows_with  # noqa: F401  (certs is a fixture)

from diagwizard.core import config
from diagwizard.core.config import Config, Hipki
from diagwizard.engine import fixlog
from diagwizard.engine.engine import Engine
from diagwizard.engine.fixer import Fixer, Verdict
from diagwizard.engine.registry import load_fixes as load
from diagwizard.system.adapters import wincommand
from diagwizard.system.adapters.base import OsAdapter
from diagwizard.system.adapters.certstore import Crypt32Store, StoreCert
from diagwizard.system.adapters.crypt32_edit import Crypt32Editor
from diagwizard.system.adapters.fixops import (
    CommandResult,
    FixOps,
    LinuxFixOps,
    MacFixOps,
    WindowsFixOps,
)
from diagwizard.system.adapters.linux import LinuxAdapter
from diagwizard.system.adapters.macos import MacAdapter
from diagwizard.system.adapters.windows import WindowsAdapter
from diagwizard.system.adapters.winproxy import IeProxyConfig
from diagwizard.ui.fixwords import describe, describe_undo


def fixer_for(adapter: OsAdapter, ops: FixOps, cfg: Config, lang: str = "en") -> Fixer:
    engine = Engine.create(cfg, plugins=False, os_adapter=adapter)
    engine.platform = adapter.system
    return Fixer(engine, lang, ops=ops)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


# -- HiPKI: untrusted site (0x76000031) ----------------------------------------------------


def test_hipki_untrusted_site_is_added_after_consent(tmp_path: Path) -> None:
    with HipkiTrustDouble(needs="cert.gcis.nat.gov.tw") as double:
        cfg = tmp_path / "hipki.toml"
        cfg.write_text(
            '[targets]\nlogin_url = "https://cert.gcis.nat.gov.tw/"\nhosts = []\n'
            f'[dns]\nsystem_resolver = false\n[hipki]\nbase_url = "{double.url}"\n'
        )
        env = {"DIAGWIZARD_CONFIG": str(cfg)}
        dry = run_cli("fix", "--dry-run", "middleware.hipki_add_domain", "--lang", "en", env=env)
        assert "Add the login site cert.gcis.nat.gov.tw to the HiPKI" in dry.out
        assert f"GET {double.url}/addDomain?domain=cert.gcis.nat.gov.tw" in dry.out
        asked = run_cli("fix", "middleware.hipki_add_domain", "--lang", "zh-TW", env=env)
        assert "加入跨平台網頁元件的信任網站" in asked.out and "輸入 yes 套用" in asked.out
        assert double.domains == []  # neither the dry run nor a refusal changed anything
        r = run_cli("fix", "--yes", "middleware.hipki_add_domain", "--lang", "en", env=env)
        assert r.code == 0, r.out + r.err
        assert double.domains == ["cert.gcis.nat.gov.tw"]
        assert ": ✔ fixed" in r.out
        assert not [p for _, p in double.requests if "/sign" in p]


# -- clock: network time sync ---------------------------------------------------------------


SYSTEM32 = PureWindowsPath(r"C:\Windows\System32")
PLATFORMS = {
    "linux": (
        lambda: LinuxAdapter(),
        lambda rec: LinuxFixOps(run=rec, systemd=False),
        [("timedatectl", "set-ntp", "true")],
        ("timedatectl", "set-ntp", "false"),
    ),
    "windows": (
        lambda: WindowsAdapter(
            service_status=lambda n: "running",
            uninstall=lambda: [],
            ie_proxy_config=lambda: IeProxyConfig(),
        ),
        lambda rec: WindowsFixOps(run=rec, is_admin=lambda: True, system_dir=SYSTEM32),
        [(rf"{SYSTEM32}\sc.exe", "start", "w32time"), (rf"{SYSTEM32}\w32tm.exe", "/resync")],
        None,
    ),
    "macos": (
        lambda: MacAdapter(run=lambda argv: ""),
        lambda rec: MacFixOps(run=rec),
        [("systemsetup", "-setusingnetworktime", "on")],
        ("systemsetup", "-setusingnetworktime", "off"),
    ),
}


@pytest.mark.parametrize("system", sorted(PLATFORMS))
def test_clock_fix_turns_on_time_sync(system: str, pki, net_config) -> None:
    make_adapter, make_ops, commands, undo = PLATFORMS[system]
    with HttpsServer(pki.server_cert("good"), clock_offset=-3600) as server:
        rec = Recorder(
            answers={
                ("timedatectl", "show", "--property=NTP", "--value"): CommandResult(0, "no\n"),
                ("systemsetup", "-getusingnetworktime"): CommandResult(0, "Network Time: Off\n"),
            },
            effects={commands[-1]: lambda: setattr(server, "clock_offset", 0.0)},
        )
        cfg = config.load(
            str(net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)))
        )
        fixer = fixer_for(make_adapter(), make_ops(rec), cfg)
        fix = fixer.fixes["sys.time_sync"]
        fixer.diagnose([fix])
        assert codes(fixer.results["sys.clock"]) == ["sys.E050"]
        (offer,) = fixer.offers([fix])
        text = "\n".join(describe(offer, "en"))
        assert text.splitlines()[0] == "Turn on network time sync"  # the title, no id
        assert "sys.time_sync" not in text
        assert "Turn on network time sync" in text
        assert all(" ".join(c) in text for c in commands)
        assert "Needs administrator rights" in text
        assert "開啟網路校時" in "\n".join(describe(offer, "zh-TW"))
        assert rec.changes() == []
        outcome = fixer.apply(offer)
        assert outcome.verdict == Verdict.FIXED and rec.changes() == commands
        found = fixer.last_undoable()
        if undo is None:
            assert found.entry is None  # a one-off resync has nothing to undo
        else:
            assert found.offer is not None  # planned again from the fix's code
            shown = "\n".join(describe_undo(found.offer, "en"))
            assert " ".join(undo) in shown  # the exact command, before consent
            assert fixer.undo(found.offer).verdict == Verdict.UNDONE
            assert rec.changes()[-1] == undo


def clock_offer(server: HttpsServer, pki, net_config, adapter: OsAdapter, rec: Recorder):
    """A Linux fixer (with recorded commands) and its time-sync offer for a skewed clock."""
    cfg = config.load(
        str(net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)))
    )
    fixer = fixer_for(adapter, LinuxFixOps(run=rec, systemd=False), cfg)
    fixer.diagnose([fixer.fixes["sys.time_sync"]])
    (offer,) = fixer.offers([fixer.fixes["sys.time_sync"]])
    return fixer, offer


def test_clock_still_failing_is_reported(pki, net_config) -> None:
    with HttpsServer(pki.server_cert("good"), clock_offset=-3600) as server:
        rec = Recorder()  # the command "succeeds" but the clock stays wrong
        fixer, offer = clock_offer(server, pki, net_config, LinuxAdapter(), rec)
        outcome = fixer.apply(offer)
        assert outcome.verdict == Verdict.STILL_FAILING
        assert outcome.render("zh-TW") == "✘ 仍有問題"


def test_a_failing_command_is_a_result_not_a_crash(pki, net_config) -> None:
    with HttpsServer(pki.server_cert("good"), clock_offset=-3600) as server:
        rec = Recorder(
            answers={
                ("timedatectl", "set-ntp", "true"): CommandResult(
                    1, "", "Failed to connect to bus: No such file or directory"
                )
            }
        )
        fixer, offer = clock_offer(server, pki, net_config, LinuxAdapter(), rec)
        outcome = fixer.apply(offer)
        assert outcome.verdict == Verdict.FAILED
        assert "timedatectl set-ntp true" in outcome.render("en")
        assert "Failed to connect to bus" in outcome.render("en")
    (entry,) = fixlog.read().raw
    assert entry["outcome"] == "failed" and "Failed to connect to bus" in entry["detail"]
    assert fixer.last_undoable().entry is None


def test_admin_fix_is_not_attempted_without_rights(pki, net_config) -> None:
    class NotAdmin(LinuxAdapter):
        def is_admin(self) -> bool | None:
            return False

    with HttpsServer(pki.server_cert("good"), clock_offset=-3600) as server:
        rec = Recorder()
        fixer, offer = clock_offer(server, pki, net_config, NotAdmin(), rec)
        outcome = fixer.apply(offer)
    assert outcome.verdict == Verdict.NEEDS_ADMIN and rec.changes() == []
    assert "run it again with sudo" in outcome.render("en")
    assert "系統管理員" in outcome.render("zh-TW")


class NotAdminWindows(WindowsAdapter):
    def is_admin(self) -> bool | None:
        return False


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_windows_asks_for_the_rights_of_each_command_not_the_program(
    pki, net_config, answer: str
) -> None:
    """diagwizard is never run as administrator on Windows: each command of a fix that
    needs the rights goes through Windows' permission prompt on its own, and a "No"
    there is said plainly."""
    with HttpsServer(pki.server_cert("good"), clock_offset=-3600) as server:
        unelevated, elevated = Recorder(), Recorder(
            effects={
                (rf"{SYSTEM32}\w32tm.exe", "/resync"): lambda: setattr(server, "clock_offset", 0)
            }
        )

        def prompt(argv):
            if answer == "no":
                raise wincommand.ElevationDeclined(argv[0])
            return elevated(argv)

        ops = WindowsFixOps(
            run=unelevated, elevate=prompt, is_admin=lambda: False, system_dir=SYSTEM32
        )
        cfg = config.load(
            str(net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)))
        )
        fixer = fixer_for(NotAdminWindows(ie_proxy_config=lambda: IeProxyConfig()), ops, cfg)
        fix = fixer.fixes["sys.time_sync"]
        fixer.diagnose([fix])
        (offer,) = fixer.offers([fix])
        assert "Windows asks you (User Account Control) before each command" in "\n".join(
            describe(offer, "en")
        )
        assert "使用者帳戶控制" in "\n".join(describe(offer, "zh-TW"))
        outcome = fixer.apply(offer)
    assert unelevated.calls == []  # nothing ran without the prompt
    if answer == "yes":
        assert outcome.verdict == Verdict.FIXED
        assert elevated.calls == [
            (rf"{SYSTEM32}\sc.exe", "start", "w32time"),
            (rf"{SYSTEM32}\w32tm.exe", "/resync"),
        ]
    else:
        assert outcome.verdict == Verdict.FAILED and elevated.calls == []
        assert "answered No in Windows' permission prompt" in outcome.render("en")
        assert rf"{SYSTEM32}\sc.exe start w32time" in outcome.render("en")


# -- Windows: friendly names and old copies ------------------------------------------------


def test_windows_same_names_fix_and_undo(certs) -> None:  # noqa: F811
    store = FakeCrypt32Store(
        [
            StoreCert(certs["xca_primary"], "", HICOS_CSP),
            StoreCert(certs["xca_secondary"], "", HICOS_CSP),
        ]
    )
    adapter, double = windows_with(store, [])
    with double:
        fixer = fixer_for(
            adapter,
            WindowsFixOps(run=Recorder(), cert_editor=store),
            Config(hipki=Hipki(base_url=double.url)),
            "zh-TW",
        )
        fix = fixer.fixes["store.names"]
        fixer.diagnose([fix])
        (offer,) = fixer.offers([fix])
        text = "\n".join(describe(offer, "zh-TW"))
        assert "為同名的憑證設定可分辨的好記名稱" in text and "正卡" in text and "附卡" in text
        assert store.writes == []
        assert fixer.apply(offer).verdict == Verdict.FIXED
        assert len(store.writes) == 2
        found = fixer.last_undoable().offer
        assert found is not None
        assert fixer.undo(found).verdict == Verdict.UNDONE
        assert [c.friendly_name for c in store.certs] == ["", ""]
        assert fixer.results["store.names"].status == "warn"


def test_windows_old_copies_removed_and_restored_bound_to_the_card(certs) -> None:  # noqa: F811
    """The real crypt32 store and editor over crypt32's recorded behaviour: undo adds
    back the serialised store element, so each certificate returns with its friendly
    name and its key provider (the link to the card's key)."""
    der = {name: base64.b64decode(value) for name, value in certs.items()}
    lib = FakeCrypt32Lib(
        [
            (der["card"], "", HICOS_CSP),
            (der["old_expired"], "old one", HICOS_CSP),
            (der["old_valid"], "", HICOS_CSP),
        ]
    )
    store = Crypt32Store(lib=lib)
    adapter, double = windows_with(store, [certs["card"]])
    with double:
        fixer = fixer_for(
            adapter,
            WindowsFixOps(run=Recorder(), cert_editor=Crypt32Editor(store)),
            Config(hipki=Hipki(base_url=double.url)),
        )
        fix = fixer.fixes["store.remove_stale"]
        fixer.diagnose([fix])
        (offer,) = fixer.offers([fix])
        assert len(offer.plan.changes) == 2
        assert all("from the personal store" in c.render("en") for c in offer.plan.changes)
        outcome = fixer.apply(offer)
        assert outcome.verdict == Verdict.FIXED
        assert lib.certs() == [(der["card"], "", HICOS_CSP)]  # the card's own stays
        found = fixer.last_undoable().offer
        assert found is not None
        assert fixer.undo(found).verdict == Verdict.UNDONE
        assert sorted(lib.certs()) == sorted(
            [
                (der["card"], "", HICOS_CSP),
                (der["old_expired"], "old one", HICOS_CSP),
                (der["old_valid"], "", HICOS_CSP),
            ]
        )
        assert lib.calls == ["delete", "delete", "add-serialised", "add-serialised"]
        assert {c.provider for c in store.personal()} == {HICOS_CSP}
        assert fixer.results["store.stale"].status == "warn"


def test_every_fix_speaks_both_languages() -> None:
    fixes = load()
    assert {
        "store.nss_add",
        "store.nss_remove_missing",
        "store.names",
        "store.remove_stale",
        "pcsc.start_service",
        "middleware.hipki_add_domain",
        "sys.time_sync",
    } <= set(fixes)
    for fix in fixes.values():
        for text in (fix.title, fix.undo_text):
            assert text.zh and text.en and text.zh != text.en
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh)
