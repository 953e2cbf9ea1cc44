"""The wizard drawn for the classic Windows console window (conhost).

conhost gives East Asian "ambiguous" characters the width the font gives them, and the
zh-TW fonts draw them two cells wide, whereas Textual (like every terminal since) counts
one: each such character pushes the rest of its line right, and every frame breaks.
Frames, scrollbars and button edges are all such characters (box drawing, block
elements), and so are a few in the words (… → · •).

:class:`AsciiCells` is a Textual line filter over everything drawn: each ambiguous
character becomes a one-cell ASCII stand-in (``-`` ``|`` ``+`` for frames, a space for
blocks, which keep their colour), so every line keeps its width on any font. CJK text
itself is "wide" for everyone and stays as it is.
"""

from __future__ import annotations

import unicodedata

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

# Stand-ins by character; the rest follow from their Unicode names (see _stand_in).
STAND_INS = {
    "…": ".",
    "·": ".",
    "•": "*",
    "‧": ".",
    "※": "*",
    "→": ">",
    "←": "<",
    "↑": "^",
    "↓": "v",
    "↔": "-",
    "⇒": ">",
    "×": "x",
    "÷": "/",
    "°": "o",
    "±": "+",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "―": "-",
    "●": "*",
    "○": "o",
    "◆": "*",
    "◇": "o",
    "■": "#",
    "□": "#",
    "▲": "^",
    "△": "^",
    "▼": "v",
    "▽": "v",
    "▶": ">",
    "▷": ">",
    "◀": "<",
    "◁": "<",
    "★": "*",
    "☆": "*",
    "⭘": "o",  # Textual's header icon
}
# Where ambiguous characters live, apart from CJK scripts and private use (unused here).
RANGES = ((0x00A1, 0x052F), (0x2010, 0x2BFF), (0x3248, 0x324F), (0xFFFD, 0xFFFD))


def _stand_in(char: str) -> str:
    if char in STAND_INS:
        return STAND_INS[char]
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):  # a straight line, or a corner or joint
        if " AND " not in name and "HORIZONTAL" in name:
            return "-"
        if " AND " not in name and "VERTICAL" in name:
            return "|"
        return "+"
    if 0x2580 <= ord(char) <= 0x259F:  # block elements: the colour draws the shape
        return " "
    base = unicodedata.normalize("NFKD", char)[:1]  # é -> e
    return base if base.isascii() and base.isprintable() else "?"


def ambiguous_table() -> dict[int, str]:
    """A ``str.translate`` table: every East Asian ambiguous character to one ASCII cell."""
    return {
        code: _stand_in(chr(code))
        for low, high in RANGES
        for code in range(low, high + 1)
        if unicodedata.east_asian_width(chr(code)) == "A"
        # marks that take no cell of their own (soft hyphen, combining) stay as they are
        and unicodedata.category(chr(code)) not in ("Mn", "Me", "Cf")
    }


class AsciiCells(LineFilter):
    """Replace every ambiguous-width character drawn by a one-cell ASCII stand-in."""

    def __init__(self, enabled: bool = True) -> None:
        super().__init__(enabled)
        self.table = ambiguous_table()

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        table = self.table
        return [Segment(text.translate(table), style, control) for text, style, control in segments]
