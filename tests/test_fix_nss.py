"""`diagwizard fix` on Linux against real NSS databases made with certutil/modutil:
dry run leaves them untouched, --yes registers the card module, the store check passes,
undo removes it; a registration of a vanished module is removed and undo restores it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from helpers import run_cli
from stack.pkcs11_fixtures import SOFTHSM_MODULE


def store_status(env: dict[str, str]) -> str:
    r = run_cli("check", "--json", "--only", "store.registered", env=env)
    return next(str(x["status"]) for x in r.json()["results"] if x["id"] == "store.registered")


def test_register_module_dry_run_yes_and_undo(nss_home, tmp_path: Path) -> None:
    _, dbs, env = nss_home
    before = {db: (db / "pkcs11.txt").read_bytes() for db in dbs}
    assert store_status(env) == "fail"
    readable = run_cli("check", "--only", "store.registered", "--lang", "en", env=env)
    assert "1 problem(s) can be fixed for you, with your consent: diagwizard fix" in readable.out

    dry = run_cli("fix", "--dry-run", "--lang", "en", env=env)
    assert dry.code == 0, dry.err
    assert "[store.nss_add]" not in dry.out and "Register the card's PKCS#11 module" in dry.out
    # the id only where a helpdesk needs it: the command that applies just this fix
    assert "To apply only this one: diagwizard fix store.nss_add" in dry.out
    for db in dbs:  # exactly what will change: each database and the modutil command
        assert f"modutil -dbdir sql:{db} -add" in dry.out
    assert "nothing was changed" in dry.out
    assert {db: (db / "pkcs11.txt").read_bytes() for db in dbs} == before

    zh = run_cli("fix", "--dry-run", "--lang", "zh-TW", env=env)
    assert "在瀏覽器登錄讀卡的 PKCS#11 模組" in zh.out and "不需要系統管理員權限" in zh.out

    applied = run_cli("fix", "--yes", "store.nss_add", "--lang", "en", env=env)
    assert applied.code == 0, applied.out + applied.err
    assert "Register the card's PKCS#11 module in the browsers: ✔ fixed" in applied.out
    for db in dbs:
        assert "libcardmod.so" in (db / "pkcs11.txt").read_text()
    assert store_status(env) == "ok"
    log = json.loads((tmp_path / "data" / "diagwizard" / "fixes.json").read_text())
    assert log["schema"] == 2
    (entry,) = log["entries"]
    assert entry["fix"] == "store.nss_add" and entry["outcome"] == "fixed" and entry["applied_at"]
    assert entry["undo_text"]["en"].startswith("diagwizard fix --undo")
    # What changed, not how to run it: no command is logged.
    assert sorted(a["db"] for a in entry["undo"]["added"]) == sorted(str(db) for db in dbs)
    assert "modutil" not in json.dumps(entry)

    preview = run_cli("fix", "--undo", "--dry-run", "--lang", "en", env=env)
    assert "This undoes “Register the card's PKCS#11 module" in preview.out
    for db in dbs:  # the exact commands, planned again from the fix's code
        assert f"modutil -dbdir sql:{db} -delete 'libcardmod (PKCS#11)' -force" in preview.out
    assert "nothing was changed" in preview.out
    assert all("libcardmod.so" in (db / "pkcs11.txt").read_text() for db in dbs)
    undo = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert undo.code == 0, undo.out + undo.err
    assert "✔ undone" in undo.out
    for db in dbs:
        assert "libcardmod.so" not in (db / "pkcs11.txt").read_text()
    assert store_status(env) == "fail"
    again = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert "No applied fix can be undone" in again.out


def test_without_consent_nothing_changes(nss_home) -> None:
    _, dbs, env = nss_home
    before = {db: (db / "pkcs11.txt").read_bytes() for db in dbs}
    r = run_cli("fix", "store.nss_add", "--lang", "en", env=env)  # stdin is empty: no "yes"
    assert r.code == 2 and "Type yes to apply" in r.out and "Skipped; nothing changed." in r.out
    assert {db: (db / "pkcs11.txt").read_bytes() for db in dbs} == before


def test_remove_registration_of_a_vanished_module(nss_home, tmp_path: Path) -> None:
    _, dbs, env = nss_home
    gone = tmp_path / "libold-card.so"
    shutil.copy(SOFTHSM_MODULE, gone)
    subprocess.run(
        ["modutil", "-dbdir", f"sql:{dbs[1]}", "-add", "Old card", "-libfile", str(gone), "-force"],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    gone.unlink()
    dry = run_cli("fix", "--dry-run", "store.nss_remove_missing", "--lang", "en", env=env)
    assert "“Old card”" in dry.out and f"{gone} no longer exists" in dry.out
    r = run_cli("fix", "--yes", "store.nss_remove_missing", "--lang", "zh-TW", env=env)
    assert r.code == 0, r.out + r.err
    assert "已修好" in r.out
    assert "Old card" not in (dbs[1] / "pkcs11.txt").read_text()
    listed = subprocess.run(
        ["modutil", "-dbdir", f"sql:{dbs[1]}", "-list"], capture_output=True, text=True
    )
    assert "Old card" not in listed.stdout
    # modutil cannot register a missing library: undo says so and changes nothing.
    early = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert early.code == 0, early.out + early.err
    assert "Nothing to undo for “Remove browser registrations" in early.out
    assert f"{gone} is still missing" in early.out
    assert "Old card" not in (dbs[1] / "pkcs11.txt").read_text()
    # Once the library is back, undo registers it again, through modutil.
    shutil.copy(SOFTHSM_MODULE, gone)
    undo = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert undo.code == 0, undo.out + undo.err
    assert f"modutil -dbdir sql:{dbs[1]} -add 'Old card' -libfile {gone} -force" in undo.out
    assert "✔ undone" in undo.out
    listed = subprocess.run(
        ["modutil", "-dbdir", f"sql:{dbs[1]}", "-list"], capture_output=True, text=True
    )
    assert "Old card" in listed.stdout


def test_unknown_fix_id_is_a_clear_error(nss_home) -> None:
    _, _, env = nss_home
    r = run_cli("fix", "store.nope", "--lang", "en", env=env)
    assert r.code == 2 and "No such fix: store.nope" in r.err and "store.nss_add" in r.err
    assert "Traceback" not in r.err


def test_a_damaged_fix_log_is_a_clear_error(nss_home, tmp_path: Path) -> None:
    _, _, env = nss_home
    log = tmp_path / "data" / "diagwizard" / "fixes.json"
    log.parent.mkdir(parents=True)
    log.write_text("{not json")
    r = run_cli("fix", "--undo", "--lang", "en", env=env)
    assert r.code == 2 and str(log) in r.err and "expected diagwizard's JSON fix log" in r.err
    assert "Traceback" not in r.err


def test_an_unwritable_log_is_said_after_the_fix(nss_home, tmp_path: Path) -> None:
    _, dbs, env = nss_home
    (tmp_path / "data" / "diagwizard").mkdir(parents=True)
    log = tmp_path / "data" / "diagwizard" / "fixes.json"
    log.write_text('{"schema": 99, "entries": []}')  # a newer version's log: left alone
    r = run_cli("fix", "--yes", "store.nss_add", "--lang", "en", env=env)
    assert r.code == 0 and "✔ fixed (could not write the fix log:" in r.out
    assert "comes from a newer diagwizard" in r.out
    assert json.loads(log.read_text()) == {"schema": 99, "entries": []}
    assert "Logged in" not in r.out
    assert "Traceback" not in r.err
    assert all("libcardmod.so" in (db / "pkcs11.txt").read_text() for db in dbs)
