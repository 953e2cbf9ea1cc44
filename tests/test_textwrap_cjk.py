"""CJK-aware wrapping: the rules a reader of Chinese notices when they are broken."""

from __future__ import annotations

import pytest

from diagwizard.ui.textwrap_cjk import CLOSING, cell_width, wrap

TEXTS = [
    "讀卡機偵測到卡片，但卡片沒有回應：常見原因是插反、晶片髒污，或卡片損壞。",
    "憑證效期約 5 年，PIN 碼錯太多次會鎖卡（請洽戶政事務所）。",
    "Windows：「設定」→「時間與語言」→ 開啟「自動設定時間」，按「立即同步」。",
    "The reader detects a card but the card does not answer: usually it is upside down.",
]


@pytest.mark.parametrize("width", range(12, 41))
@pytest.mark.parametrize("text", TEXTS)
def test_lines_fit_and_never_start_with_closing_punctuation(text: str, width: int) -> None:
    lines = wrap(text, width, "  ✘ ", "    ")
    assert "".join(line.strip() for line in lines).replace(" ", "") == ("✘" + text.replace(" ", ""))
    for line in lines:
        assert cell_width(line) <= width, line
        assert line.strip()[0] not in CLOSING, lines
    for line in lines[1:]:
        assert line.startswith("    ") and not line.startswith("     ")  # hanging indent


@pytest.mark.parametrize("width", range(10, 30))
def test_numbers_units_and_latin_words_stay_whole(width: int) -> None:
    text = "您的憑證效期約 5 年，PIN 碼錯太多次會鎖卡，請使用 HiCOS 卡片管理工具解鎖。"
    joined = "\n".join(wrap(text, width))
    assert "5 年" in joined
    assert "PIN 碼" in joined
    assert "HiCOS" in joined


def test_a_spaced_closing_mark_stays_with_its_word() -> None:
    lines = wrap("Repeated failures can lock your token !", 33)
    assert lines == ["Repeated failures can lock your", "token !"]


def test_english_breaks_at_spaces_only() -> None:
    lines = wrap("Take the card out and reinsert it fully, chip up and towards the reader.", 20)
    assert lines == [
        "Take the card out",
        "and reinsert it",
        "fully, chip up and",
        "towards the reader.",
    ]


def test_a_piece_wider_than_the_line_is_cut() -> None:
    lines = wrap("x" * 30, 12, "- ", "  ")
    assert lines == ["- xxxxxxxxxx", "  xxxxxxxxxx", "  xxxxxxxxxx"]
