"""Hardening (issue 14): redaction that holds for real names, text that cannot drive the
terminal or a report, children that cannot flood or linger, strict config and CLI input."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from helpers import run_cli
from stack.certs import der, make_card_cert
from stack.pkcs11_fixtures import SOFTHSM_MODULE
from stack.softhsm import make_token

from diagwizard import reports
from diagwizard.diagnosis import Diagnosis
from diagwizard.model import Probe, Status, Text, result

SHORT_NAME = "王明"
ATTACK = "\x1b[2J\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07\x1b[31m\u202eRED"
RAW_CONTROL = re.compile("[\x1b\x07\u202e\x9b]")


# -- redaction by value ----------------------------------------------------------------


@pytest.fixture
def short_name_token(tmp_path: Path, test_ca):
    cert = make_card_cert(test_ca, name=SHORT_NAME)
    return make_token(tmp_path / "hsm", SHORT_NAME, [(der(cert), b"SIGN")])


def test_a_two_character_name_is_redacted_in_every_output(
    short_name_token, write_config, tmp_path: Path
) -> None:
    cfg = str(write_config([SOFTHSM_MODULE]))
    env = short_name_token.env
    outputs = {"terminal": run_cli("check", "--config", cfg, "--lang", "zh-TW", env=env).out}
    outputs["json"] = run_cli("check", "--config", cfg, "--json", env=env).out
    for fmt in ("md", "html"):
        path = tmp_path / f"r.{fmt}"
        run_cli("check", "--config", cfg, "--report", str(path), env=env)
        outputs[fmt] = path.read_text()
    assert "[personal-" in outputs["json"]
    for where, text in outputs.items():
        assert SHORT_NAME not in text, f"the name leaked into {where}"
    # The placeholder, not the name, is what the reader sees in the summary.
    doc = json.loads(outputs["json"])
    certs = next(r for r in doc["results"] if r["id"] == "pkcs11.certs")
    assert certs["summary"].startswith(certs["facts"]["subjects"][0])


def test_name_tokens_match_whole_words_only() -> None:
    from diagwizard.redact import Redactor

    red = Redactor()
    red.learn_value(["CHEN TA", "6789"])
    out = red.text("CHEN TA, Ta in Taipei; id 6789 but not 167890")
    assert "CHEN" not in out and " TA," not in out and "6789 " not in out
    assert "Taipei" in out and "167890" in out and "Ta in" in out


def test_proxy_credentials_from_the_environment_are_redacted(tmp_path: Path) -> None:
    bad = "http://alice:Secr3tPass@proxy.invalid:99999"
    env = {"HTTPS_PROXY": bad, "https_proxy": bad, "NO_PROXY": ""}
    for args in (("--json",), ("--lang", "en")):
        r = run_cli("check", "--only", "net.proxy", *args, env=env)
        assert "net.W004" in r.out, r.out + r.err
        assert "Secr3tPass" not in r.out + r.err and "alice" not in r.out + r.err


# -- terminal and report injection -----------------------------------------------------


def _hostile_probe() -> tuple[dict[str, Probe], dict]:
    probe = Probe("evil.probe", Text("惡意", "Hostile"), run=lambda ctx: None, area="component")  # type: ignore[arg-type,return-value]
    res = result(
        Status.WARN,
        Text(f"伺服器版本 {ATTACK}", f"server version {ATTACK}"),
        facts={"version": ATTACK},
    )
    lines = "x\n# Heading\n<script>alert(1)</script> | cell"
    res.summary = Text(f"{ATTACK} {lines}", f"{ATTACK} {lines}")
    return {probe.id: probe}, {probe.id: res}


def test_the_terminal_output_shows_escapes_but_never_emits_them() -> None:
    from rich.console import Console

    from diagwizard.cli.render import LiveLines
    from diagwizard.redact import Redactor

    probes, results = _hostile_probe()
    live = LiveLines(probes, "en", Redactor())
    buf = io.StringIO()
    live.console = Console(file=buf, width=200, color_system=None, force_terminal=False)
    live.summary(results)
    out = buf.getvalue()
    assert not RAW_CONTROL.search(out), repr(out)
    assert "\\x1b[2J" in out and "\\u202e" in out  # visible, so the helpdesk sees it


def _reports() -> dict[str, str]:
    probes, results = _hostile_probe()
    diagnosis = Diagnosis(probes, results)
    doc = reports.report_document(
        probes, diagnosis, lang="en", platform="linux", started_at=0, duration_ms=1
    )
    return {fmt: reports.render(doc, diagnosis, "en", fmt) for fmt in ("md", "html", "json")}


def test_markdown_report_cannot_gain_structure_or_html() -> None:
    md = _reports()["md"]
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert not RAW_CONTROL.search(md)
    assert not any(line.startswith("# Heading") for line in md.splitlines())
    row = next(line for line in md.splitlines() if "evil.probe" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # still three cells

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": True}).render(md)
    assert "<script>" not in rendered and "<h1>Heading" not in rendered


def test_html_report_has_a_strict_content_security_policy() -> None:
    page = _reports()["html"]
    assert not RAW_CONTROL.search(page)
    m = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert m, "no CSP meta tag"
    csp = m.group(1)
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "unsafe-inline" not in csp and "style-src 'sha256-" in csp


def test_json_keeps_the_data_but_escapes_bidi_for_terminals() -> None:
    text = _reports()["json"]
    assert "\u202e" not in text and "\\u202e" in text
    doc = json.loads(text)
    assert "\u202e" in doc["results"][0]["facts"]["version"]  # the value is unchanged
