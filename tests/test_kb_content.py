"""KB content: cross-references by real titles, one vocabulary, the guide's steps, fix steps
that say their systems in data (never in prose), the conditional default-PIN hint, and the
FAQ texts checked against the guide and DOMAIN.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT, run_cli

from diagwizard.engine import knowledge
from kb.loader import Entry, KBError, load_dirs
from kb.markdown import entry_markdown, fix_markdown
from kb.questions import questions

KB = knowledge.load()


def _fix(entry: Entry, lang: str) -> str:
    """Every fix text of an entry, whatever system or condition it is for."""
    intro = [entry.fix.intro.get(lang)] if entry.fix.intro is not None else []
    return "\n".join([*intro, *(step.text.get(lang) for step in entry.fix.steps)])


def _texts(entry: Entry, lang: str) -> list[str]:
    out = [entry.summary.get(lang), *(c.get(lang) for c in entry.causes)]
    if entry.fix.intro is not None:
        out.append(entry.fix.intro.get(lang))
    out += [step.text.get(lang) for step in entry.fix.steps]
    if entry.modern is not None:
        out.append(entry.modern.get(lang))
    out += [s.body.get(lang) for s in entry.steps]
    return out


# A cross-reference is 見「TITLE」 in zh-TW and see “TITLE” in English ("you see “…”"
# quotes a message instead). Titles may themselves hold quotes, so match title by title.
_REF = {"zh-TW": (re.compile(r"見「"), "」"), "en": (re.compile(r"(?<!you )\b[Ss]ee “"), "”")}


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_cross_reference_names_an_existing_entry_by_its_title(lang: str) -> None:
    opener, closer = _REF[lang]
    titles = {e.title.get(lang): e.id for e in KB.entries.values()}
    seen = 0
    for entry in KB.entries.values():
        for text in _texts(entry, lang):
            for m in opener.finditer(text):
                rest = text[m.end() :]
                named = [t for t in titles if rest.startswith(t + closer)]
                assert named, (entry.id, rest[:60])
                assert titles[named[0]] != entry.id, entry.id
                seen += 1
    assert seen >= 6  # FAQ 1 both ways, FAQ 2 -> 9, FAQ 6 -> unlock, FAQ 7 -> NHI, clock


def test_faq_cross_references_the_issue_named() -> None:
    faq2 = _fix(KB.entries["faq02-unauthorized"], "zh-TW")
    assert f"見「{KB.entries['faq09-win98-ssl-cache'].title.zh}」" in faq2
    faq6 = _fix(KB.entries["faq06-token-locked"], "en")
    assert f"see “{KB.entries['pin-unlock-change'].title.en}”" in faq6


def _all_text(lang: str) -> str:
    parts = []
    for e in KB.entries.values():
        parts += [e.title.get(lang), *_texts(e, lang), *(s.title.get(lang) for s in e.steps)]
    for q in questions().values():
        parts += [q.text.get(lang), *(o.label.get(lang) for o in q.options)]
    return "\n".join(parts)


def test_one_vocabulary_in_zh() -> None:
    zh = _all_text("zh-TW")
    assert "客服人員" not in zh  # our case codes go to the agency's IT staff
    assert "附卡" not in zh  # the guide's word is 副卡
    # The product is 跨平台網頁元件; a bare 網頁元件 is only ever part of that name.
    assert not re.search(r"(?<!跨平台)網頁元件", zh)
    # Chrome and Edge say 選取憑證; 用戶端驗證 only as the guide's word.
    for m in re.finditer("用戶端驗證", zh):
        assert "指南" in zh[max(0, m.start() - 8) : m.start()], zh[m.start() - 20 : m.end() + 5]


def test_english_says_not_authorized_as_iis_prints_it() -> None:
    en = _all_text("en")
    assert "authorised" not in en and "not authorized" in en
    assert "hotline" not in en.lower() and "customer service" not in en.lower()


def test_english_uses_one_quote_style() -> None:
    assert "「" not in _all_text("en")
    r = run_cli("kb", "show", "faq02-unauthorized", "--lang", "en")
    assert "“403 Forbidden”" in r.out and "「" not in r.out


def test_faq4_follows_the_guide_and_says_what_an_officer_can_do() -> None:
    e = KB.entries["faq04-name-missing"]
    zh, en = _fix(e, "zh-TW"), _fix(e, "en")
    assert "HiCOS PKI Smart Card" in zh and "乾淨移除卡片軟體" in zh
    assert "重新開機" in zh and "重新安裝" in zh
    for word in ("您自己可以", "您不能自己做的", "機關資訊人員"):
        assert word in zh
    assert "You can" in en and "You cannot" in en


def test_faq4_mac_step_says_only_what_domain_md_says() -> None:
    """DOMAIN.md: on macOS the HiPKI Local Server runs under launchd and answers on
    127.0.0.1:61161, shipped in HiPKILocalSignServer.pkg. "Open it from Applications"
    is in no source."""
    e = KB.entries["faq04-name-missing"]
    mac = [s for s in e.fix.steps if s.os == ["macos"]]
    text = " ".join(s.text.get(lang) for s in mac for lang in ("zh-TW", "en"))
    assert "launchd" in text and "127.0.0.1:61161" in text
    assert "HiPKILocalSignServer.pkg" in text
    assert "Applications" not in text and "應用程式" not in text


def test_faq7_follows_the_guide() -> None:
    """The guide's FAQ 7: the officer's own citizen certificate, numbered TG…, shows
    "unknow token" with Safe Sign 1.0.8; the new import program fixes it."""
    e = KB.entries["faq07-unknow-token"]
    assert "您的自然人憑證卡號為 TG 開頭" in e.summary.zh
    assert "Your citizen certificate's number starts with TG" in e.summary.en
    for text in (e.summary.zh, e.summary.en):
        assert "1.0.8" in text and "HiCOS" in text
    summary_and_causes = " ".join(_texts(e, "en")[:2])
    assert "wrong card" not in summary_and_causes and "NHI" not in summary_and_causes
    # Without SafeSign, "unknown token" is another entry's: the fix points there.
    assert f"見「{KB.entries['hipki-wrong-card'].title.zh}」" in _fix(e, "zh-TW")
    assert "新卡" not in " ".join(_texts(e, "zh-TW"))
    assert "newer" not in " ".join(_texts(e, "en"))


def test_faq10_has_the_guides_step5_and_organisations() -> None:
    e = KB.entries["faq10-xca-same-name"]
    assert "憑證路徑" in _fix(e, "zh-TW") and "Certification Path" in _fix(e, "en")
    assert "機關" not in e.title.zh + " ".join(c.zh for c in e.causes) + e.summary.zh
    assert "財團法人" in e.summary.zh


def test_pin_dialog_question_offers_only_pin_dialog_messages() -> None:
    labels = [o.label.zh for o in questions()["pin_dialog_message"].options]
    assert not any("程式開" in label for label in labels)
    assert any("程式開啓失敗" in o.label.zh for o in questions()["hicos_start"].options)


DEFAULT_PIN = ("民國出生年月日", "ROC birth date")


@pytest.mark.parametrize(("lang", "needle"), [("zh-TW", DEFAULT_PIN[0]), ("en", DEFAULT_PIN[1])])
def test_default_pin_hint_only_under_its_conditions(lang: str, needle: str) -> None:
    e = KB.entries["faq05-wrong-pin"]
    hint = [s for s in e.fix.steps if needle in s.text.get(lang)]
    assert len(hint) == 1 and hint[0].when  # a conditional step, never a plain one
    shown = fix_markdown(e, lang)
    cond = "從未改過 PIN 碼" if lang == "zh-TW" else "never changed the PIN"
    assert needle in shown and cond in shown
    line = next(x for x in shown.splitlines() if needle in x)
    assert line.index(cond) < line.index(needle)  # the condition comes first
    # One try left, or already locked: the hint disappears, the unlock service stays.
    for code in ("pkcs11.E051", "pkcs11.E052"):
        cut = fix_markdown(e, lang, codes={code})
        assert needle not in cut and "忘記PIN碼鎖卡解碼" in cut
        assert needle not in entry_markdown(e, KB, lang, codes={code})
    assert needle in entry_markdown(e, KB, lang, codes={"pkcs11.W050"})


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_default_pin_is_a_fact_under_its_conditions_not_a_guess(lang: str) -> None:
    """DOMAIN.md: "The default PIN of older cards is the ROC birth date as YYMMDD." The
    steps around it never say "guess": nothing suggests guessing next to the hint."""
    e = KB.entries["faq05-wrong-pin"]
    texts = [s.text.get(lang) for s in e.fix.steps]
    i = next(n for n, t in enumerate(texts) if DEFAULT_PIN[lang == "en"] in t)
    around = " ".join(texts[max(0, i - 1) : i + 2])
    assert "猜" not in around and "guess" not in around.lower()
    assert ("YYMMDD" in texts[i]) and ("可能" not in texts[i]) and ("may" not in texts[i])


def test_kb_show_renders_the_condition() -> None:
    r = run_cli("kb", "show", "faq05-wrong-pin", "--lang", "en")
    flat = " ".join(r.out.split())
    assert "Only if all of these hold (you never changed the PIN" in flat


def test_unknown_condition_names_file_and_field(tmp_path: Path) -> None:
    good = (ROOT / "kb" / "entries" / "faq05-wrong-pin.toml").read_text()
    (tmp_path / "entries").mkdir()
    bad = tmp_path / "entries" / "faq05-wrong-pin.toml"
    bad.write_text(good.replace('"pin_never_changed"', '"moon_is_full"'))
    with pytest.raises(KBError) as info:
        load_dirs([tmp_path])
    message = info.value.render("en")
    assert str(bad) in message and "fix.steps[2].when[0]" in message
    assert "pin_never_changed" in message  # names what is expected


# A step names no system in its text: ``os`` says it, and the views number per system.
_PROSE_SYSTEM = re.compile(
    r"(?:^|[（(，,；;。.]\s*)(?:\*\*)?(?:On |在 ?)?(?:Windows|macOS|Mac|Linux)(?:\*\*)?\s*[：:，,]"
    r"|\*\*(?:Windows|macOS|Mac|Linux)\*\*"
    r"|^(?:On )?(?:Windows|macOS|Mac|Linux)\s(?!\d|Update)",
)


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_no_fix_step_names_its_system_in_prose(lang: str) -> None:
    named = []
    for entry in KB.entries.values():
        intro = [entry.fix.intro] if entry.fix.intro is not None else []
        for text in [*intro, *(s.text for s in entry.fix.steps)]:
            if _PROSE_SYSTEM.search(text.get(lang)):
                named.append((entry.id, text.get(lang)[:50]))
    assert not named


@pytest.mark.parametrize(
    "text",
    ["Windows：按 Win+R", "**Linux**", "1. macOS: restart", "On Windows, run Update",
     "（Windows：設定 →「網路」）", "Linux 安裝 pcscd"],
)
def test_the_prose_check_catches_a_system_named_in_prose(text: str) -> None:
    assert _PROSE_SYSTEM.search(text.removeprefix("1. "))


@pytest.mark.parametrize(
    "text", ["執行 Windows Update", "Windows 10/11、macOS 或 Linux", "HiPKILocalSignServer.pkg"]
)
def test_the_prose_check_lets_a_system_named_as_a_thing_be(text: str) -> None:
    assert not _PROSE_SYSTEM.search(text)


def test_steps_are_numbered_per_system_and_filtered() -> None:
    e = KB.entries["pcsc-service-stopped"]
    linux = fix_markdown(e, "en", platform="linux")
    assert "1. Install pcscd" in linux and "services.msc" not in linux
    windows = fix_markdown(e, "en", platform="windows")
    assert "1. Press Win+R" in windows and "pcscd" not in windows.split("\n\n", 1)[1]
    every = fix_markdown(e, "en")  # no system: each under its name, each from 1
    assert every.count("1. ") == 3 and "**Windows**" in every and "**Linux**" in every


def test_kb_show_shows_one_systems_steps_and_says_how_to_see_the_others() -> None:
    r = run_cli("kb", "show", "pcsc-service-stopped", "--os", "linux", "--lang", "en")
    assert "How to fix (Linux)" in r.out and "services.msc" not in r.out
    assert "kb show pcsc-service-stopped --os" in " ".join(r.out.split())
    r = run_cli("kb", "show", "pcsc-service-stopped", "--os", "all", "--lang", "en")
    assert "services.msc" in r.out and "pcscd.socket" in r.out
    r = run_cli("kb", "show", "pcsc-service-stopped", "--os", "beos")
    assert r.code == 2 and "Traceback" not in r.err


def test_an_entry_for_another_system_shows_its_steps_under_that_systems_name() -> None:
    e = KB.entries["faq08-hicos-start-failed"]  # Windows only
    shown = fix_markdown(e, "en", platform="linux")
    assert "**Windows**" in shown and "1. Open Start" in shown


def test_every_hipki_vendor_code_is_a_message_of_the_entry_its_finding_opens() -> None:
    """A vendor code the component reports (ret_code or last_error) maps to a finding; an
    entry that finding opens (the detail pane shows two) quotes the code, so pasting the
    code finds it."""
    from checks.hipki_meaning import HIPKI_MINOR, HIPKI_RET, code_finding
    from kb import components

    hipki = components.hipki_codes()
    for table, lookup, codes in (
        (HIPKI_RET, hipki.ret, hipki.ret_kinds),
        (HIPKI_MINOR, hipki.minor, hipki.minor_kinds),
    ):
        for hexcode in codes:
            code = int(hexcode, 16)
            finding = code_finding(table, lookup(code), code).code
            opened = [KB.entries[e] for e in knowledge.entries_for_code(finding)[:2]]
            quoted = {
                int(m, 16)
                for entry in opened
                for m in entry.messages
                if re.fullmatch(r"0x[0-9A-Fa-f]+", m)
            }
            assert code in quoted, (hexcode, finding, [e.id for e in opened])


def test_the_wizards_detail_pane_numbers_this_systems_steps_and_hides_the_others() -> None:
    from diagwizard.ui.tui.detail import fix_first_markdown

    shown = fix_first_markdown("pcsc-service-stopped", "en", "linux")
    assert "### How to fix (Linux)" in shown and "1. Install pcscd" in shown
    assert "services.msc" not in shown and "press o" in shown
    every = fix_first_markdown("pcsc-service-stopped", "en", "linux", all_systems=True)
    others = every.split("### Steps for other systems", 1)[1]
    assert "**Windows**\n\n1. Press Win+R" in others  # each system numbered from 1
    assert "**macOS**\n\n1. The smart-card service is built in" in others
    same = fix_first_markdown("faq02-unauthorized", "en", "linux")
    assert "press o" not in same  # the same steps on every system: nothing hidden


def test_the_two_entries_of_faq1_quote_the_same_messages() -> None:
    card, net = KB.entries["faq01-card-reader"], KB.entries["faq01-network"]
    assert set(card.messages) <= set(net.messages)
