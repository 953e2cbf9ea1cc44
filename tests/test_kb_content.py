"""KB content: cross-references by real titles, one vocabulary, the guide's steps, and the
conditional default-PIN hint."""

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


def _texts(entry: Entry, lang: str) -> list[str]:
    out = [entry.summary.get(lang), entry.fix.get(lang), *(c.get(lang) for c in entry.causes)]
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
    faq2 = KB.entries["faq02-unauthorized"].fix.zh
    assert f"見「{KB.entries['faq09-win98-ssl-cache'].title.zh}」" in faq2
    faq6 = KB.entries["faq06-token-locked"].fix.en
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
    assert "“HTTP 403”" in r.out and "「" not in r.out


def test_faq4_follows_the_guide_and_says_what_an_officer_can_do() -> None:
    fix = KB.entries["faq04-name-missing"].fix
    assert "HiCOS PKI Smart Card" in fix.zh and "乾淨移除卡片軟體" in fix.zh
    assert "重新開機" in fix.zh and "重新安裝" in fix.zh
    for word in ("您自己可以", "您不能自己做的", "機關資訊人員"):
        assert word in fix.zh
    assert "you can" in fix.en and "You cannot" in fix.en


def test_faq7_handles_the_wrong_card_and_does_not_call_tg_cards_new() -> None:
    e = KB.entries["faq07-unknow-token"]
    assert "健保卡" in e.fix.zh and "NHI" in e.fix.en
    assert "新卡" not in " ".join(_texts(e, "zh-TW"))
    assert "newer" not in " ".join(_texts(e, "en"))


def test_faq10_has_the_guides_step5_and_organisations() -> None:
    e = KB.entries["faq10-xca-same-name"]
    assert "憑證路徑" in e.fix.zh and "Certification Path" in e.fix.en
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
    assert needle not in e.fix.get(lang)  # never as a plain step right after "do not guess"
    shown = fix_markdown(e, lang)
    cond = "從未改過 PIN 碼" if lang == "zh-TW" else "never changed the PIN"
    assert needle in shown and cond in shown
    assert shown.index(cond) < shown.index(needle)  # the condition comes first
    # One try left, or already locked: the hint disappears, the unlock service stays.
    for code in ("pkcs11.E051", "pkcs11.E052"):
        cut = fix_markdown(e, lang, codes={code})
        assert needle not in cut and "忘記PIN碼鎖卡解碼" in cut
        assert needle not in entry_markdown(e, KB, lang, codes={code})
    assert needle in entry_markdown(e, KB, lang, codes={"pkcs11.W050"})


def test_kb_show_renders_the_condition() -> None:
    r = run_cli("kb", "show", "faq05-wrong-pin", "--lang", "en")
    flat = " ".join(r.out.split())
    assert "Only if all of these hold: you never changed the PIN" in flat


def test_unknown_condition_names_file_and_field(tmp_path: Path) -> None:
    good = (ROOT / "kb" / "entries" / "faq05-wrong-pin.toml").read_text()
    (tmp_path / "entries").mkdir()
    bad = tmp_path / "entries" / "faq05-wrong-pin.toml"
    bad.write_text(good.replace('"pin_never_changed"', '"moon_is_full"'))
    with pytest.raises(KBError) as info:
        load_dirs([tmp_path])
    message = info.value.render("en")
    assert str(bad) in message and "steps[0].when[0]" in message
    assert "pin_never_changed" in message  # names what is expected
