"""Whatever the wizard or the CLI shows as an example case code decodes with today's code
book, or is clearly not a code (a format hint such as "DW2-…"): an example that stopped
decoding would send a helpdesk agent after a "different version" error."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from helpers import run_cli
from textual.widgets import Input

from diagwizard.core.text import Text
from diagwizard.core.words import __path__ as words_path
from diagwizard.diagnosis import casecode
from diagwizard.ui.tui.helpdesk import make_helpdesk

LOOKS_LIKE_A_CODE = re.compile(r"\bDW\d(?:-[0-9A-Z]{2,})+")


def _decodes(code: str) -> bool:
    try:
        casecode.decode(code, casecode.current_codebook())
    except Exception:
        return False
    return True


def _word_texts() -> list[str]:
    out = []
    for info in pkgutil.iter_modules(words_path):
        module = importlib.import_module(f"diagwizard.core.words.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Text):
                out += [value.zh, value.en]
    return out


def test_every_code_in_the_interface_words_decodes() -> None:
    examples = [c for text in _word_texts() for c in LOOKS_LIKE_A_CODE.findall(text)]
    assert [c for c in examples if not _decodes(c)] == []


def test_the_decode_help_shows_a_hint_not_a_stale_code() -> None:
    out = run_cli("decode", "--help")
    assert out.code == 0, out.err
    assert [c for c in LOOKS_LIKE_A_CODE.findall(out.out) if not _decodes(c)] == []
    assert f"{casecode.PREFIX}-" in out.out  # the hint names today's prefix


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_the_helpdesk_code_field_hints_at_the_format(lang: str) -> None:
    app = make_helpdesk(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        hint = app.screen.query_one("#code-input", Input).placeholder
        assert f"{casecode.PREFIX}-" in hint
        assert [c for c in LOOKS_LIKE_A_CODE.findall(hint) if not _decodes(c)] == []
