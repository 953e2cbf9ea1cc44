"""Issue 30, the fixes: an attacker on the same machine (or a tampered log) cannot turn
``diagwizard fix`` against the user. Every test runs in a temporary home.

* undo plans its commands from the fix's own code, never from the log, and shows them;
* a log that is a link, someone else's, or writable by others is refused with its path;
* malformed entries are skipped with a message (never run, never an internal error);
* no write follows a link (the log, its temporary file, the NSS undo);
* a fix of several steps is all or nothing, or logs exactly what is left for undo;
* what the consent screen shows cannot drive the terminal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli
from stack.pkcs11_fixtures import SOFTHSM_MODULE

from diagwizard.core import config
from diagwizard.engine import fixlog
from diagwizard.engine.engine import Engine
from diagwizard.engine.fixer import Fixer, Verdict
from diagwizard.system.adapters.fixops import CommandResult, LinuxFixOps, run_command
from diagwizard.system.adapters.linux import LinuxAdapter

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def log_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "diagwizard" / "fixes.json"


def write_log(tmp_path: Path, doc: object) -> Path:
    log = log_file(tmp_path)
    log.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    log.write_text(json.dumps(doc))
    log.chmod(0o600)
    return log


def modules_in(db: Path) -> str:
    return subprocess.run(
        ["modutil", "-dbdir", f"sql:{db}", "-list"], capture_output=True, text=True
    ).stdout


def register(db: Path, name: str, library: Path, env: dict[str, str]) -> None:
    subprocess.run(
        ["modutil", "-dbdir", f"sql:{db}", "-add", name, "-libfile", str(library), "-force"],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )


# -- undo comes from the fix's code, not from the log ----------------------------------------


def test_commands_in_an_old_log_are_never_run(nss_home, tmp_path: Path) -> None:
    _, _, env = nss_home
    marker = tmp_path / "pwned"
    write_log(
        tmp_path,
        [  # format 1: undo_data held the commands, and undo ran them
            {
                "seq": 1,
                "fix": "pcsc.start_service",
                "title": {"zh-TW": "啟動智慧卡服務", "en": "Start the smart-card service"},
                "applied_at": "2024-01-01T00:00:00+08:00",
                "undo": {"zh-TW": "x", "en": "x"},
                "undo_data": {"commands": [["sh", "-c", f"touch {marker}"]]},
                "undone_at": None,
            }
        ],
    )
    r = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert r.code == 0, r.out + r.err
    assert not marker.exists()
    assert "logged by an older diagwizard and cannot be undone automatically" in r.out
    assert "No applied fix can be undone" in r.out
    # Rewritten in format 2 (a fix applied now), the old entry is kept and still never run.
    applied = run_cli("fix", "--yes", "store.nss_add", "--lang", "en", env=env)
    assert applied.code == 0, applied.out + applied.err
    doc = json.loads(log_file(tmp_path).read_text())
    assert doc["schema"] == 2 and doc["entries"][0]["undo_data"]["commands"]
    assert doc["entries"][0]["undo_text"] == {"zh-TW": "x", "en": "x"}
    again = run_cli("fix", "--undo", "--dry-run", "--lang", "en", env=env)
    assert "This undoes “Register the card's PKCS#11 module" in again.out
    assert not marker.exists()


@pytest.mark.parametrize(
    "undo",
    [
        {"start_type": "demand; touch /tmp/x"},  # not a start type the fix knows
        {"start_type": "demand", "commands": [["sh", "-c", "touch /tmp/x"]]},  # extra field
        {"added": [{"db": "/etc", "name": "x", "library": "/bin/sh", "run": "yes"}]},
        "rm -rf ~",
        7,
    ],
)
def test_an_edited_undo_record_is_skipped_with_a_message(
    nss_home, tmp_path: Path, undo: object
) -> None:
    _, _, env = nss_home
    fix = (
        "pcsc.start_service" if isinstance(undo, dict) and "start_type" in undo else "store.nss_add"
    )
    write_log(tmp_path, {"schema": 2, "entries": [{"seq": 4, "fix": fix, "undo": undo}]})
    r = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert r.code == 0, r.out + r.err
    assert f"Fix log entry 4 ({fix}) has undo data that does not check out" in r.out
    assert "nothing of it runs" in r.out and "Traceback" not in r.err
    assert "No applied fix can be undone" in r.out


def test_undo_only_touches_a_database_this_check_found(nss_home, tmp_path: Path) -> None:
    """A logged registration in a database the check does not find (here: one the
    attacker made, whose pkcs11.txt links to the victim) is left alone, and said."""
    _, dbs, env = nss_home
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    trap = tmp_path / "trap"
    trap.mkdir()
    (trap / "pkcs11.txt").symlink_to(victim)
    library = tmp_path / "libcopy.so"
    shutil.copy(SOFTHSM_MODULE, library)
    removed = [
        {"db": str(trap), "name": "Evil", "library": str(library)},
        {"db": str(dbs[0]), "name": "Gone card", "library": str(library)},
    ]
    write_log(
        tmp_path,
        {
            "schema": 2,
            "entries": [
                {"seq": 1, "fix": "store.nss_remove_missing", "undo": {"removed": removed}}
            ],
        },
    )
    r = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert r.code == 0, r.out + r.err
    assert f"Left alone: {trap}: this check finds no such browser database" in r.out
    assert f"modutil -dbdir sql:{dbs[0]} -add 'Gone card' -libfile {library} -force" in r.out
    assert victim.read_text() == "precious\n"
    assert "Gone card" in modules_in(dbs[0])


# -- a log that is not the user's own is refused ---------------------------------------------


@pytest.mark.parametrize(
    "attack", ["other owner", "world-writable", "group-writable folder", "link"]
)
def test_a_log_someone_else_could_write_is_refused(nss_home, tmp_path: Path, attack: str) -> None:
    _, _, env = nss_home
    log = write_log(tmp_path, {"schema": 2, "entries": []})
    expected = {
        "other owner": "it belongs to another user (uid 65534)",
        "world-writable": "other users can write to it (mode 666)",
        "group-writable folder": "other users can write to its folder (mode 770)",
        "link": "it is a symbolic link",
    }[attack]
    if attack == "other owner":
        os.chown(log, 65534, 65534)
    elif attack == "world-writable":
        log.chmod(0o666)
    elif attack == "group-writable folder":
        log.parent.chmod(0o770)
    else:
        real = tmp_path / "elsewhere.json"
        log.rename(real)
        log.symlink_to(real)
    r = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert r.code == 2 and "Traceback" not in r.err
    assert f"The fix log {log} is not used: {expected}" in r.err
    # Said before consent too: a fix applied now could not be undone by the tool.
    dry = run_cli("fix", "store.nss_add", "--lang", "en", env=env)  # no "yes" on stdin
    assert f"Note: The fix log {log} is not used" in dry.out
    zh = run_cli("fix", "--undo", "--lang", "zh-TW", env=env)
    assert f"不使用修正紀錄檔 {log}" in zh.err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_log_that_is_no_file_is_refused_at_once(nss_home, tmp_path: Path, kind: str) -> None:
    _, _, env = nss_home
    log = log_file(tmp_path)
    log.parent.mkdir(parents=True, mode=0o700)
    if kind == "fifo":
        os.mkfifo(log, 0o600)
    elif kind == "dev-zero":
        log.symlink_to("/dev/zero")
    else:
        with open(log, "wb") as f:
            f.truncate(fixlog.LIMIT + 1)  # sparse: no disk used
        log.chmod(0o600)
    r = run_cli("fix", "--undo", "--lang", "en", env=env, timeout=30)
    assert r.code == 2 and str(log) in r.err and "Traceback" not in r.err
    assert {
        "fifo": "it is not a regular file but a named pipe (FIFO)",
        "dev-zero": "it is a symbolic link",
        "huge": "the file is too large (the limit is 16 MB)",
    }[kind] in r.err


# -- malformed entries are skipped, never run, never exit 70 ---------------------------------


def test_malformed_entries_are_skipped_and_kept(nss_home, tmp_path: Path) -> None:
    _, _, env = nss_home
    entries = [
        {"fix": "store.nss_add", "undo": {"added": []}},  # no seq
        {"seq": "x", "fix": 5, "undo_data": 3},
        {"seq": True, "fix": "store.nss_add"},
        ["not", "an", "object"],
        {"seq": 2, "fix": "store.nss_add", "undo": {"added": []}},
        {"seq": 2, "fix": "store.nss_add", "undo": {"added": []}},  # the same number twice
    ]
    log = write_log(tmp_path, {"schema": 2, "entries": entries})
    r = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert r.code == 0, r.out + r.err
    assert "Traceback" not in r.err
    assert r.out.count("is malformed and was skipped (nothing of it runs)") == 4
    assert r.out.count("repeats the number 2 and was skipped") == 2
    assert "No applied fix can be undone" in r.out
    # A fix applied now is logged after them, under a number none of them has.
    applied = run_cli("fix", "--yes", "store.nss_add", "--lang", "en", env=env)
    assert applied.code == 0, applied.out + applied.err
    kept = json.loads(log.read_text())["entries"]
    assert kept[:6] == entries and kept[6]["seq"] == 3


def test_an_unknown_fix_is_skipped_and_the_one_before_it_undone(nss_home, tmp_path: Path) -> None:
    _, dbs, env = nss_home
    library = tmp_path / "libcard3.so"
    shutil.copy(SOFTHSM_MODULE, library)
    register(dbs[0], "Card three", library, env)
    added = [{"db": str(dbs[0]), "name": "Card three", "library": str(library)}]
    entries = [
        {"seq": 1, "fix": "store.nss_add", "undo": {"added": added}},
        {"seq": 2, "fix": "evil.plugin_fix", "undo": {"commands": [["sh", "-c", "id"]]}},
    ]
    write_log(tmp_path, {"schema": 2, "entries": entries})
    r = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert r.code == 0, r.out + r.err
    assert "Fix log entry 2 (evil.plugin_fix): this version has no such fix" in r.out
    assert f"modutil -dbdir sql:{dbs[0]} -delete 'Card three' -force" in r.out
    assert "Card three" not in modules_in(dbs[0])


def test_an_entry_without_a_number_is_not_undone_again_and_again(nss_home, tmp_path: Path) -> None:
    """Undo could not mark an entry without ``seq`` as undone, so it ran on every call."""
    _, dbs, env = nss_home
    library = tmp_path / "libcard2.so"
    shutil.copy(SOFTHSM_MODULE, library)
    register(dbs[0], "Card two", library, env)
    added = [{"db": str(dbs[0]), "name": "Card two", "library": str(library)}]
    write_log(
        tmp_path, {"schema": 2, "entries": [{"fix": "store.nss_add", "undo": {"added": added}}]}
    )
    for _ in range(2):
        r = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
        assert r.code == 0 and "is malformed and was skipped" in r.out
    assert "Card two" in modules_in(dbs[0])


# -- no write follows a link -----------------------------------------------------------------


def test_the_log_is_never_written_through_a_link(nss_home, tmp_path: Path) -> None:
    _, _, env = nss_home
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    folder = log_file(tmp_path).parent
    folder.mkdir(parents=True, mode=0o700)
    for name in ("fixes.tmp", ".fixes.json.tmp"):  # the old temporary name, and a guess
        (folder / name).symlink_to(victim)
    r = run_cli("fix", "--yes", "store.nss_add", "--lang", "en", env=env)
    assert r.code == 0, r.out + r.err
    assert victim.read_text() == "precious\n"
    log = log_file(tmp_path)
    assert not log.is_symlink() and log.stat().st_mode & 0o777 == 0o600
    assert json.loads(log.read_text())["entries"][0]["fix"] == "store.nss_add"
    # A log that became a link is refused, never followed or replaced.
    log.unlink()
    log.symlink_to(victim)
    again = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert again.code == 2 and "it is a symbolic link" in again.err
    assert victim.read_text() == "precious\n" and log.is_symlink()


def test_reports_replace_a_planted_link_instead_of_writing_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "report.md"
    out.symlink_to(victim)
    env = {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data")}
    r = run_cli("check", "--only", "sys.os", "--report", str(out), "--lang", "en", env=env)
    assert r.code in (0, 1), r.err
    assert victim.read_text() == "precious\n"
    assert not out.is_symlink() and "sys.os" in out.read_text()


# -- all or nothing --------------------------------------------------------------------------


def failing_on(needle: str):
    """The real command runner, except that the command naming ``needle`` fails."""

    def run(argv):
        if any(needle in part for part in argv) and argv[0] == "modutil":
            return CommandResult(1, "", "ERROR: database is locked")
        return run_command(argv)

    return run


def fixer_at(home: Path, needle: str, monkeypatch, env: dict[str, str]) -> Fixer:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    cfg = config.load(env["DIAGWIZARD_CONFIG"])
    engine = Engine.create(cfg, plugins=False, os_adapter=LinuxAdapter(home=home))
    engine.platform = "linux"
    return Fixer(engine, "en", ops=LinuxFixOps(run=failing_on(needle), systemd=False))


def test_a_removal_that_fails_half_way_logs_what_it_removed(
    nss_home, tmp_path: Path, monkeypatch
) -> None:
    home, dbs, env = nss_home
    gone = tmp_path / "libgone.so"
    shutil.copy(SOFTHSM_MODULE, gone)
    for db in dbs:
        register(db, "Old card", gone, env)
    gone.unlink()
    fixer = fixer_at(home, str(dbs[1]), monkeypatch, env)  # the second database fails
    fix = fixer.fixes["store.nss_remove_missing"]
    fixer.diagnose([fix])
    (offer,) = fixer.offers([fix])
    outcome = fixer.apply(offer)
    assert outcome.verdict == Verdict.FAILED
    assert "database is locked" in outcome.render("en")
    assert "1 change(s) already made could not be rolled back" in outcome.render("en")
    assert "Old card" not in modules_in(dbs[0]) and "Old card" in modules_in(dbs[1])
    (entry,) = fixlog.read().entries
    assert entry.undo == {
        "removed": [{"db": str(dbs[0]), "name": "Old card", "library": str(gone)}]
    }


def test_a_registration_that_fails_half_way_is_rolled_back(
    nss_home, tmp_path: Path, monkeypatch
) -> None:
    home, dbs, env = nss_home
    fixer = fixer_at(home, str(dbs[1]), monkeypatch, env)
    fix = fixer.fixes["store.nss_add"]
    fixer.diagnose([fix])
    (offer,) = fixer.offers([fix])
    assert len(offer.plan.changes) == 2
    outcome = fixer.apply(offer)
    assert outcome.verdict == Verdict.FAILED
    assert "rolled back, nothing is left changed" in outcome.render("en")
    assert all("libcardmod" not in modules_in(db) for db in dbs)
    (entry,) = fixlog.read().entries
    assert entry.undo is None


# -- the consent screen shows no raw control characters --------------------------------------

HOSTILE = "Evil\x1b[2J\x1b]0;owned\x07\u202ecod.exe\u2066"


def test_a_hostile_registration_name_cannot_drive_the_consent_screen(
    nss_home, tmp_path: Path
) -> None:
    _, dbs, env = nss_home
    gone = tmp_path / "libgone.so"
    shutil.copy(SOFTHSM_MODULE, gone)
    block = f"library={gone}\nname={HOSTILE}\nNSS=trustOrder=75\n"
    text = (dbs[0] / "pkcs11.txt").read_text().rstrip("\n")
    (dbs[0] / "pkcs11.txt").write_text(f"{text}\n\n{block}")
    gone.unlink()
    for args in (["--dry-run"], ["--yes"]):
        r = run_cli("fix", *args, "store.nss_remove_missing", "--lang", "en", env=env)
        assert not RAW_CONTROL.search(r.out + r.err), r.out
    assert "Evil\\x1b[2J\\x1b]0;owned\\x07\\u202ecod.exe\\u2066" in r.out
    undo = run_cli("fix", "--undo", "--dry-run", "--lang", "en", env=env)
    assert not RAW_CONTROL.search(undo.out + undo.err), undo.out


def test_a_hostile_module_path_cannot_drive_the_consent_screen(
    nss_home, tmp_path: Path, write_config
) -> None:
    _, _, env = nss_home
    folder = tmp_path / "x\x1b]8;;evil\x07\u202e"
    folder.mkdir()
    module = folder / "libcardmod.so"
    shutil.copy(SOFTHSM_MODULE, module)
    escaped = json.dumps(str(module))[1:-1]  # TOML reads JSON's \uXXXX escapes
    env = {**env, "DIAGWIZARD_CONFIG": str(write_config(modules=[escaped]))}
    r = run_cli("fix", "--dry-run", "store.nss_add", "--lang", "zh-TW", env=env)
    assert r.code == 0, r.out + r.err
    assert "modutil" in r.out and "\\x1b]8;;evil\\x07\\u202e" in r.out
    assert not RAW_CONTROL.search(r.out + r.err), r.out


async def test_a_hostile_registration_name_cannot_drive_the_wizards_consent_screen(
    nss_home, tmp_path: Path, monkeypatch
) -> None:
    """The wizard's 「幫我修好」 dialog shows the same plan through the same sanitiser."""
    from textual.widgets import Static

    from diagwizard.ui.tui.app import WizardApp
    from diagwizard.ui.tui.screens.fix import FixScreen

    _, dbs, env = nss_home
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    gone = tmp_path / "libgone.so"
    shutil.copy(SOFTHSM_MODULE, gone)
    text = (dbs[0] / "pkcs11.txt").read_text().rstrip("\n")
    block = f"library={gone}\nname={HOSTILE}\nNSS=trustOrder=75\n"
    (dbs[0] / "pkcs11.txt").write_text(f"{text}\n\n{block}")
    gone.unlink()
    engine = Engine.create(config.load(env["DIAGWIZARD_CONFIG"]), plugins=False)
    fixer = Fixer(engine, "en")
    chosen = fixer.select(["store.nss_remove_missing"])
    fixer.diagnose(chosen)
    offers = fixer.offers(chosen)
    assert offers, "the stale registration is offered for removal"
    app = WizardApp(engine, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(FixScreen("en", fixer, offers))
        await pilot.pause()
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "Evil\\x1b[2J" in shown and "\\u202ecod.exe" in shown
        assert not RAW_CONTROL.search(shown), shown
