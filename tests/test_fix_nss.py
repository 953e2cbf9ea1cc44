"""`diagwizard fix` on Linux against real NSS databases made with certutil/modutil:
dry run leaves them untouched, --yes registers the card module, the store check passes,
undo removes it; a registration of a vanished module is removed and undo restores it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli
from stack.pkcs11_fixtures import SOFTHSM_MODULE
from test_store import make_nssdb


@pytest.fixture
def nss_home(soft_tokens, tmp_path: Path, write_config):
    """A home with Chrome's and a Firefox profile's NSS databases, neither loading the
    card's module; the CLI's environment (HOME, data dir, SoftHSM) and config. The card
    module is SoftHSM2 under a name of its own, since this machine's p11-kit already
    lists libsofthsm2.so (and p11-kit counts as registered)."""
    token = soft_tokens["healthy"]
    module = tmp_path / "libcardmod.so"
    shutil.copy(SOFTHSM_MODULE, module)
    home = tmp_path / "home"
    chrome = make_nssdb(home / ".pki" / "nssdb", None, token.env)
    firefox = make_nssdb(home / ".mozilla" / "firefox" / "ab12.default-release", None, token.env)
    env = {
        **token.env,
        "SOFTHSM2_CONF": str(token.conf),
        "HOME": str(home),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "DIAGWIZARD_CONFIG": str(write_config(modules=[str(module)])),
    }
    return home, [chrome, firefox], env


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
    assert "[store.nss_add]" in dry.out and "Register the card's PKCS#11 module" in dry.out
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
    assert [e["fix"] for e in log] == ["store.nss_add"] and log[0]["outcome"] == "fixed"
    assert log[0]["applied_at"] and log[0]["undo"]["en"].startswith("diagwizard fix --undo")

    preview = run_cli("fix", "--undo", "--dry-run", "--lang", "en", env=env)
    assert "This undoes “Register the card's PKCS#11 module" in preview.out
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
    undo = run_cli("fix", "--undo", "--yes", "--lang", "en", env=env)
    assert undo.code == 0, undo.out + undo.err
    text = (dbs[1] / "pkcs11.txt").read_text()
    assert f"library={gone}" in text and "name=Old card" in text


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
    assert r.code == 2 and str(log) in r.err and "expected a JSON list" in r.err
    assert "Traceback" not in r.err


def test_an_unwritable_log_is_said_after_the_fix(nss_home, tmp_path: Path) -> None:
    _, dbs, env = nss_home
    (tmp_path / "data" / "diagwizard").mkdir(parents=True)
    (tmp_path / "data" / "diagwizard" / "fixes.json").write_text("[1, 2]")  # not a fix log
    r = run_cli("fix", "--yes", "store.nss_add", "--lang", "en", env=env)
    assert r.code == 0 and "✔ fixed (could not write the fix log:" in r.out
    assert "Logged in" not in r.out
    assert "Traceback" not in r.err
    assert all("libcardmod.so" in (db / "pkcs11.txt").read_text() for db in dbs)
