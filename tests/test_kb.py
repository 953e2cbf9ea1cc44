"""The knowledge base: coverage of the guide, consistency with probes, loader errors, search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import ROOT, fake_plugin_site, plugin_env, run_cli
from rich.cells import cell_len

from diagwizard.engine import knowledge, registry, runner_results
from diagwizard.ui.cli import main
from kb import components
from kb.loader import KBError, load_dirs
from kb.questions import questions
from kb.search import SymptomIndex

KB = knowledge.load()
INDEX = SymptomIndex(KB)

# The guide's own wording of each FAQ's message -> the entries that answer it.
FAQ_MESSAGES = {
    "無法顯示網頁": {"faq01-card-reader", "faq01-network"},
    "未授權您檢視此網頁": {"faq02-unauthorized"},
    "Win98 在選擇憑證的視窗裡，出現亂碼": {"faq03-win98-garbled"},
    "點選「憑證登入」後，為什麼「用戶端驗證」的對話盒裡看不到我的名字？": {"faq04-name-missing"},
    "Note: Repeated failures of the Logon operation can lock your token !": {"faq05-wrong-pin"},
    "Token Locked use Management Tools to Unlock Token": {"faq06-token-locked"},
    "unknow token": {"faq07-unknow-token"},
    "程式開啓失敗...": {"faq08-hicos-start-failed"},
    "在 Win 98 的環境下，點選『憑證登入』後，在選擇憑證的 Dialog 裡點選『取消』後，就無法使用憑證登入，"
    "即使重新啓動 IE，都會導入『未授權』的頁面。": {"faq09-win98-ssl-cache"},
    "XCA 憑證註冊至電腦後，不管正卡或副卡都顯示財團法人名稱。": {"faq10-xca-same-name"},
}



@pytest.mark.parametrize(("message", "expected"), FAQ_MESSAGES.items())
def test_each_faq_message_finds_its_entry_first(message: str, expected: set[str]) -> None:
    hits = INDEX.search(message)
    assert hits, message
    assert hits[0].entry.id in expected
    if len(expected) == 2:  # FAQ 1: both causes come first, card side before network side
        assert {h.entry.id for h in hits[:2]} == expected


def test_guide_items_are_all_reachable_from_kb_list() -> None:
    ids = {r["id"] for r in run_cli("kb", "list", "--json").json()["entries"]}
    assert {"prereq-reader", "prereq-hicos", "prereq-web-component"} <= ids
    assert {f"procedure-registration/{i}" for i in range(1, 5)} <= ids
    assert {f"procedure-login/{i}" for i in range(1, 6)} <= ids
    faq_guides = {e.guide.split(" ")[1] for e in KB.entries.values() if e.kind == "faq"}
    assert faq_guides == {str(i) for i in range(1, 11)}
    assert "pin-unlock-change" in ids


def test_faq1_causes_are_separate_entries() -> None:
    card, net = KB.entries["faq01-card-reader"], KB.entries["faq01-network"]
    assert "DNS" not in " ".join(c.en for c in card.causes)
    assert "DNS" in " ".join(c.en for c in net.causes)


def test_legacy_items_have_modern_equivalent() -> None:
    legacy = {e.id for e in KB.entries.values() if e.era == "legacy"}
    assert {"faq03-win98-garbled", "faq09-win98-ssl-cache", "prereq-web-component"} <= legacy
    assert all(KB.entries[i].modern is not None for i in legacy)


def test_references_include_helpline_and_email() -> None:
    for entry in KB.entries.values():
        assert "helpline" in entry.references and "email" in entry.references, entry.id
    assert "0800-080-117" in KB.references["helpline"].title.zh
    assert "cse@moica.nat.gov.tw" in KB.references["email"].title.en


def _codes_in_source() -> set[str]:
    pattern = re.compile(r'FindingDef\(\s*"([^"]+)"')
    found: set[str] = set()
    for path in (ROOT / "checks").rglob("*.py"):
        found.update(pattern.findall(path.read_text()))
    return found


def _question_codes() -> set[str]:
    return {o.code for q in questions().values() for o in q.options if o.code}


def test_every_finding_code_has_an_entry() -> None:
    reg = registry.load(plugins=False)
    declared = {c.code for p in reg for c in p.codes}
    runner_codes = {c.code for c in runner_results.CODES} | {
        "registry.E001",
        "registry.E002",
        "registry.E003",
    }
    emitted = _codes_in_source() | declared | runner_codes | _question_codes()
    assert _codes_in_source() <= declared, (
        "every FindingDef in checks/ is listed in its probe's codes"
    )
    missing = sorted(c for c in emitted if not KB.for_code(c))
    assert not missing


def test_kb_names_only_existing_codes_and_probes() -> None:
    reg = registry.load(plugins=False)
    known_codes = {c.code for p in reg for c in p.codes} | {c.code for c in runner_results.CODES}
    known_codes |= {"registry.E001", "registry.E002", "registry.E003"} | _question_codes()
    for entry in KB.entries.values():
        asked = set(entry.questions) | {s.question for s in entry.steps if s.question}
        assert asked <= set(questions()), (entry.id, asked - set(questions()))
        assert set(entry.codes) <= known_codes, entry.id
        named = set(entry.confirm_probes) | {p for s in entry.steps for p in s.probes}
        assert named <= set(reg.probes), (entry.id, named - set(reg.probes))


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_entry_renders_within_80_columns(lang: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for entry_id, entry in KB.entries.items():
        assert main(["kb", "show", entry_id, "--lang", lang]) == 0
        out = capsys.readouterr().out
        assert all(cell_len(line) <= 80 for line in out.splitlines()), entry_id
        flat = re.sub(r"\s+", "", out)
        assert re.sub(r"\s+", "", entry.title.get(lang)) in flat, entry_id
    assert main(["kb", "list", "--lang", lang]) == 0
    listing = capsys.readouterr().out
    assert all(cell_len(line) <= 80 for line in listing.splitlines())
    flat = re.sub(r"\s+", "", listing)
    for entry in KB.entries.values():  # nothing truncated away
        assert re.sub(r"\s+", "", entry.title.get(lang)) in flat, entry.id


def test_kb_search_cli_is_ranked_with_scores() -> None:
    doc = run_cli("kb", "search", "Token", "Locked", "--json").json()
    scores = [r["score"] for r in doc["results"]]
    assert doc["results"][0]["id"] == "faq06-token-locked"
    assert scores == sorted(scores, reverse=True)


def test_kb_show_unknown_id_is_clear_error() -> None:
    r = run_cli("kb", "show", "nope", "--lang", "en")
    assert r.code == 2 and "No KB entry nope" in r.err and "Traceback" not in r.err


GOOD = (ROOT / "kb" / "entries" / "faq06-token-locked.toml").read_text()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda s: s.replace('kind = "faq"', "kind = 3"), "kind"),
        (lambda s: s.replace('kind = "faq"', 'kind = "rumour"'), "kind"),
        (lambda s: re.sub(r"\[\[fix\.steps\]\].*", "", s, flags=re.S), "fix.steps"),
        (  # an entry in the Markdown fix format of earlier versions
            lambda s: re.sub(r"\n\[fix\].*", '\nfix.zh-TW = "1. x"\nfix.en = "1. x"\n', s, flags=re.S),
            "no longer read",
        ),
        (lambda s: s.replace("text.en = ", "text.de = ", 1), "fix.steps[0].text"),
        (lambda s: s.replace("[[fix.steps]]", '[[fix.steps]]\nos = ["windoze"]', 1), "fix.steps[0].os[0]"),
        (
            lambda s: s.replace("[[fix.steps]]", '[[fix.steps]]\nos = "windows"', 1),
            "fix.steps[0].os",
        ),
        (lambda s: s.replace("[[fix.steps]]", '[[fix.steps]]\nwhen = ["raining"]', 1), "when[0]"),
        (
            lambda s: s.replace("confirm_probes =", 'fallback_for = ["weather"]\nconfirm_probes ='),
            "fallback_for[0]",
        ),
        (
            lambda s: s.replace("confirm_probes =", 'platforms = ["windows"]\nconfirm_probes =').replace(
                "[[fix.steps]]", '[[fix.steps]]\nos = ["linux"]', 1
            ),
            "the entry's platforms",
        ),
        (
            lambda s: s.replace('title = { zh-TW = "卡片已鎖住（Token Locked）", ', "title = { "),
            "title",
        ),
        (lambda s: s + "\nunexpected = 1\n", "unexpected"),
        (
            lambda s: s.replace('en = "The card is locked', 'ja = "x", en = "The card is locked'),
            "title",
        ),
        (
            lambda s: s.replace(
                'title = { zh-TW = "卡片已鎖住（Token Locked）"', "title = { zh-TW = 7"
            ),
            "title.zh-TW",
        ),
        (lambda s: s.replace('causes.en = ["The PIN', 'causes.en = ["Extra", "The PIN'), "causes"),
        (lambda s: s.replace("[", "", 1), "TOML"),
        (lambda s: s.replace("confirm_probes =", 'era = "legacy"\nconfirm_probes ='), "modern"),
        (lambda s: s.replace("[[fix.steps]]", "[[fix.steps]]\ncolour = 1", 1), "fix.steps[0]"),
        (lambda s: s.replace('id = "faq06-token-locked"', 'id = "other"'), "id"),
        (lambda s: re.sub(r"^codes = .*$", 'codes = ["not a code"]', s, flags=re.M), "codes[0]"),
    ],
)
def test_malformed_entry_names_file_and_field(tmp_path: Path, mutate, field: str) -> None:
    entries = tmp_path / "entries"
    entries.mkdir()
    bad = entries / "faq06-token-locked.toml"
    bad.write_text(mutate(GOOD))
    with pytest.raises(KBError) as info:
        load_dirs([tmp_path])
    message = info.value.render("en")
    assert str(bad) in message
    assert field in message


def test_malformed_plugin_kb_is_one_line_cli_error(tmp_path: Path) -> None:
    data = tmp_path / "kbdata"
    (data / "entries").mkdir(parents=True)
    (data / "entries" / "broken.toml").write_text('id = "broken"\nkind = "faq"\n')
    (tmp_path / "kbplugin.py").write_text(f"DATA = {str(data)!r}\n")
    site = fake_plugin_site(
        tmp_path / "site", "kbp", {"kbp": "kbplugin:DATA"}, group="diagwizard.kb"
    )
    env = plugin_env(site)
    env["PYTHONPATH"] += f":{tmp_path}"
    r = run_cli("kb", "list", "--lang", "en", env=env)
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert "broken.toml" in r.err and "order" in r.err  # first missing required field


COMPONENTS = (ROOT / "kb" / "components.toml").read_text()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda s: s.replace('"0x6" = "function_failed"', '"0x7" = "function_failed"'), "0x7"),
        (lambda s: s.replace('"0xA0" = { zh-TW = "PIN碼錯誤", ', '"0xA0" = { '), "0xA0"),
        (lambda s: s.replace("[hipki.ret_kinds]", "[hipki.ret_kind]"), "ret_kind"),
    ],
)
def test_malformed_component_table_names_the_code(tmp_path: Path, mutate, field: str) -> None:
    bad = tmp_path / "components.toml"
    bad.write_text(mutate(COMPONENTS))
    with pytest.raises(KBError) as info:
        components.load(bad)
    message = info.value.render("en")
    assert str(bad) in message
    assert field in message


def test_vendor_codes_keep_their_wording_and_finding_kind() -> None:
    hipki = components.hipki_codes()
    no_card = hipki.ret(0x76000006)
    assert no_card is not None
    assert (no_card.text.zh, no_card.kind) == ("未插入IC卡", "no_card")
    assert hipki.ret_meaning(0x76000002) == "unknown"  # wording only, no finding kind
    assert hipki.minor_meaning(0xA4) == "locked"


def test_vendor_code_table_is_the_vendors_own() -> None:
    """components.toml holds every HiPKI code of CHT's errorcode.js (copied from
    shared/reference/hipki-codes.json) with the vendor's exact zh-TW wording; the
    reference's own transcription notes in parentheses are not part of the wording."""
    vendor = json.loads((ROOT / "tests" / "data" / "hipki-codes.json").read_text())
    hipki = components.hipki_codes()
    for table, ours in (("ret_code", hipki.ret_codes), ("last_error", hipki.minor_codes)):
        mine = {int(k, 16): v.zh for k, v in ours.items()}
        theirs = {int(k, 16): re.sub(r" \(.*\)$", "", v) for k, v in vendor[table].items()}
        assert mine == theirs, table


def test_an_entry_in_the_earlier_format_is_drafted_into_steps_per_system(tmp_path: Path) -> None:
    import subprocess
    import sys

    old = re.sub(r"\n\[fix\].*", "\n", GOOD, flags=re.S) + (
        'fix.zh-TW = """\n1. 重新插卡。\n2. Windows：執行 `certmgr.msc`。\n\n'
        '**Linux**\n1. 執行 `pcsc_scan`。\n"""\n'
        'fix.en = """\n1. Reinsert the card.\n2. Windows: run `certmgr.msc`.\n\n'
        '**Linux**\n1. Run `pcsc_scan`.\n"""\n'
    )
    (tmp_path / "entries").mkdir()
    path = tmp_path / "entries" / "faq06-token-locked.toml"
    path.write_text(old)
    (tmp_path / "references.toml").write_text((ROOT / "kb" / "references.toml").read_text())
    with pytest.raises(KBError) as info:
        load_dirs([tmp_path])
    assert "no longer read" in info.value.render("en")
    script = ROOT / "scripts" / "dev" / "convert_fix.py"
    subprocess.run([sys.executable, str(script), str(path)], check=True, capture_output=True)
    steps = load_dirs([tmp_path]).entries["faq06-token-locked"].fix.steps
    assert [(s.os, s.text.en) for s in steps] == [
        ([], "Reinsert the card."),
        (["windows"], "Run `certmgr.msc`."),
        (["linux"], "Run `pcsc_scan`."),
    ]
