"""Issue 30, redaction: every export knows this machine's login name, home folder and host
name, whatever probes ran; short values and the fields of a personal record are replaced
where they stand as a whole value, not hunted in every text."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from helpers import run_cli

from diagwizard.api import Text, ok
from diagwizard.core.redact import Redactor

LOGIN = "chenwei"


def test_an_export_of_any_probe_hides_the_login_and_home(nss_home, tmp_path: Path) -> None:
    """``store.registered`` names the NSS databases under the home folder; without
    ``sys.os`` in the run the login name used to leave the machine in that path."""
    home, _, env = nss_home
    env = {**env, "LOGNAME": LOGIN, "USER": LOGIN, "HOME": str(home)}
    r = run_cli("check", "--only", "store.registered", "--json", env=env)
    assert r.code in (0, 1), r.err
    doc = r.json()
    text = json.dumps(doc, ensure_ascii=False)
    assert str(home) not in text and "ab12.default-release" in text
    facts = next(x for x in doc["results"] if x["id"] == "store.registered")["facts"]
    assert all(db.startswith("[personal-") for db in facts["databases"]), facts["databases"]
    report = tmp_path / "report.md"
    md = run_cli("check", "--only", "store.registered", "--report", str(report), env=env)
    assert md.code in (0, 1), md.err
    assert str(home) not in report.read_text()


def test_login_name_anywhere_in_an_export_is_hidden(tmp_path: Path) -> None:
    env = {"LOGNAME": LOGIN, "USER": LOGIN, "HOME": str(tmp_path / LOGIN)}
    r = run_cli(
        "check", "--only", "sys.runtime", "--json", "--symptom", f"{LOGIN} 登入失敗", env=env
    )
    assert r.code in (0, 1), r.err
    assert LOGIN not in r.out and "[personal-" in r.json()["symptom"]


def test_the_machine_is_learnt_whatever_ran(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LOGNAME", LOGIN)
    monkeypatch.setenv("HOME", str(tmp_path / "home" / LOGIN))
    monkeypatch.setattr(socket, "gethostname", lambda: "ws-0412.corp.example")
    red = Redactor()
    out = red.text(f"/home/{LOGIN}/x on ws-0412.corp.example (ws-0412) {tmp_path}/home/{LOGIN}/y")
    assert LOGIN not in out and "ws-0412" not in out
    assert out.startswith("/home/[personal-")
    # A built-in account names nobody: shown as it is, and so is its home.
    monkeypatch.setenv("LOGNAME", "root")
    monkeypatch.setenv("HOME", "/root")
    assert Redactor().text("root certificate in /root/.pki") == "root certificate in /root/.pki"
    # The person's own screen learns nothing.
    assert LOGIN in Redactor(enabled=False).text(LOGIN)


def token_result() -> object:
    """``pkcs11.token`` as it reports a HiCOS card: the token's label and serial, and the
    certificate objects (a record: module path, slot, label, id) as personal facts."""
    certs = [
        {
            "module": "/usr/lib/libHiCOS.so",
            "slot": 0,
            "label": "CA",
            "id_hex": "01",
            "der_b64": "MIIB",
        },
        {
            "module": "/usr/lib/libHiCOS.so",
            "slot": 0,
            "label": "HiCOS",
            "id_hex": "02",
            "der_b64": "MIIC",
        },
    ]
    return ok(
        Text("讀到卡片", "Token found"),
        personal={"labels": ["王小明"], "serials": ["TP03170000012345"], "certificates": certs},
    )


def test_fields_of_a_personal_record_are_replaced_only_as_whole_values() -> None:
    red = Redactor(machine=False)
    red.learn([token_result()])
    said = "government CA certificate 01 issued by HiCOS for 王小明 (TP03170000012345)"
    out = red.text(said)
    assert out.startswith("government CA certificate 01 issued by HiCOS for [personal-")
    assert "王小明" not in out and "TP03170000012345" not in out
    assert red.text("CA") != "CA" and red.text("HiCOS") != "HiCOS"  # whole values
    shown = red.placeholder(token_result().fact("certificates"))  # type: ignore[attr-defined]
    assert "MIIB" not in json.dumps(shown)


def test_a_two_character_name_is_still_hunted() -> None:
    red = Redactor(machine=False)
    red.learn([ok(Text("x", "x"), personal={"subjects": ["林安"], "id_last4": ["0123"]})])
    out = red.text("憑證持有人林安，身分證末四碼 0123，於 2024-01-23 到期")
    assert "林安" not in out and " 0123，" not in out and "2024-01-23" in out
