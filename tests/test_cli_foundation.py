"""The CLI as a user runs it: output, JSON schema, exit codes, config errors."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import jsonschema
import pytest
from helpers import SCHEMA, run_cli

from diagwizard import __version__


def validate(doc: dict) -> None:
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))


def test_version() -> None:
    r = run_cli("--version")
    assert r.code == 0
    assert r.out.strip() == f"diagwizard {__version__}"


def test_check_json_validates_against_published_schema() -> None:
    r = run_cli("check", "--json", "--only", "sys.os", "--only", "sys.runtime", "--lang", "en")
    doc = r.json()
    validate(doc)
    assert r.code == 0
    ids = [x["id"] for x in doc["results"]]
    assert ids == ["sys.os", "sys.runtime"]
    assert doc["lang"] == "en"
    os_result = doc["results"][0]
    assert os_result["title"] == "Operating system"
    assert os_result["facts"]["system"] == "linux"


def test_personal_facts_are_redacted_by_default() -> None:
    # getpass reads LOGNAME first: the account is a person's login name, whoever runs this.
    r = run_cli("check", "--json", "--only", "sys.os", env={"LOGNAME": "wangxm"})
    doc = r.json()
    facts = doc["results"][0]["facts"]
    assert set(doc["results"][0]["personal"]) == {"user", "hostname", "addresses"}
    assert facts["user"].startswith("[personal-")
    assert socket.gethostname() not in r.out
    assert "wangxm" not in r.out

    r2 = run_cli(
        "check", "--json", "--only", "sys.os", "--include-personal", env={"LOGNAME": "wangxm"}
    )
    assert r2.json()["results"][0]["facts"]["hostname"] == socket.gethostname()
    assert "personal data" in r2.err or "個人資料" in r2.err


def test_readable_output_has_status_words_not_just_colour() -> None:
    r = run_cli("check", "--only", "sys.os", "--only", "sys.runtime", "--lang", "en")
    assert r.code == 0
    assert "✔ OK" in r.out and "Operating system" in r.out
    r_zh = run_cli("check", "--only", "sys.os", "--lang", "zh-TW")
    assert "✔ 正常" in r_zh.out and "作業系統" in r_zh.out


def test_language_follows_locale_when_not_given() -> None:
    r = run_cli("check", "--json", "--only", "sys.os", env={"LANG": "en_US.UTF-8"})
    assert r.json()["lang"] == "en"
    r = run_cli("check", "--json", "--only", "sys.os", env={"LANG": "C.UTF-8"})
    assert r.json()["lang"] == "zh-TW"


def test_probes_lists_builtin_probes() -> None:
    r = run_cli("probes", "--json")
    assert r.code == 0
    rows = {p["id"]: p for p in r.json()["probes"]}
    assert rows["sys.os"]["builtin"] is True
    assert rows["sys.os"]["platforms"] == ["linux", "macos", "windows"]


@pytest.mark.parametrize(
    ("toml", "expect"),
    [
        ('[timeouts]\noverall = "soon"\n', ["timeouts.overall", "float"]),
        ("[proxy]\nurll = 'http://x'\n", ["proxy", "urll"]),
        ("[targets\n", ["TOML"]),
        ('lang = "fr"\n', ["lang", "zh-TW"]),
        ("[[dns.servers]]\nport = 53\n", ["dns.servers[0]", "host"]),
    ],
)
def test_malformed_config_is_one_line_naming_key(
    tmp_path: Path, toml: str, expect: list[str]
) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(toml)
    r = run_cli("check", "--config", str(cfg), "--lang", "en")
    assert r.code == 2
    assert "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert str(cfg) in r.err
    for word in expect:
        assert word in r.err


def test_config_found_through_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('lang = "en"\n')
    r = run_cli("check", "--json", "--only", "sys.os", env={"DIAGWIZARD_CONFIG": str(cfg)})
    assert r.json()["lang"] == "en"


def test_missing_explicit_config_is_usage_error(tmp_path: Path) -> None:
    r = run_cli("check", "--config", str(tmp_path / "nope.toml"), "--lang", "en")
    assert r.code == 2
    assert "not found" in r.err and "Traceback" not in r.err


def test_usage_error_exit_2_without_traceback() -> None:
    r = run_cli("check", "--bogus")
    assert r.code == 2
    assert "Traceback" not in r.err
    assert "--bogus" in r.err


def test_a_built_in_account_is_shown_as_is_and_not_hunted_in_messages() -> None:
    """root or Administrator names nobody: redacting it would turn "root certificate"
    into "[personal-1] certificate" in every message."""
    r = run_cli("check", "--json", "--only", "sys.os", env={"LOGNAME": "Administrator"})
    result = r.json()["results"][0]
    assert result["facts"]["user"] == "Administrator"
    assert "user" not in result["personal"]
