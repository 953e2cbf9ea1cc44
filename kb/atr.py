"""Load the curated ATR table (``atr.toml``) and pcsc-tools' ``smartcard_list.txt``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import msgspec

from diagwizard.core import safefile
from diagwizard.core.text import Text
from kb.loader import KBError, _fail, decode_toml

KINDS = ("moica", "gpki", "nhi", "hpc", "other")
_PATTERN = re.compile(r"^([0-9A-F]{2}|\.\.)( ([0-9A-F]{2}|\.\.))*$")


class CardRow(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    atr: str
    kind: str
    name: Text
    generation: str = ""
    contactless: bool = False


class PrefixRow(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    prefix: str
    kind: str
    name: Text


class AtrTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    cards: list[CardRow]
    historical_prefixes: list[PrefixRow] = []

    def match(self, atr_hex: str) -> CardRow | None:
        for row in self.cards:  # load_table checked the form: hex bytes or '..'
            if len(row.atr) == len(atr_hex) and all(
                p in (".", a) for p, a in zip(row.atr, atr_hex, strict=True)
            ):
                return row
        return None

    def prefix(self, historical: bytes) -> PrefixRow | None:
        for row in self.historical_prefixes:
            if historical.startswith(row.prefix.encode("ascii")):
                return row
        return None


def load_table(path: Path) -> AtrTable:
    table = decode_toml(path, AtrTable)
    for i, row in enumerate(table.cards):
        if not _PATTERN.match(row.atr):
            raise _fail(
                path, f"cards[{i}].atr", "upper-case hex bytes separated by spaces ('..' = any)"
            )
        if row.kind not in KINDS:
            raise _fail(path, f"cards[{i}].kind", f"one of {', '.join(KINDS)}")
    return table


# pcsc-tools' list is ~0.5 MB; one in ~/.cache is the user's to shape.
SMARTCARD_LIST_LIMIT = 16 * safefile.MB


@cache
def builtin_table() -> AtrTable:
    return load_table(Path(__file__).resolve().parent / "atr.toml")


# Regular-expression characters other than '.' (ASCII bytes). A pattern line with none of
# them is a fixed-width mask (hex, '.' = any character), matched for all lines at once.
_SPECIAL = rb"\[\]()*?+|\\{}^$"
# What may stand before a pattern (not a tab: that starts a description); both scans below
# must skip the same, possessively (no backtracking on a long run of spaces).
_INDENT = rb"[ \r\x0b\x0c]*+"
_REGEX_LINE = re.compile(
    rb"\n" + _INDENT + rb"((?=[^\t#\n])[^\n" + _SPECIAL + rb"]*+[" + _SPECIAL + rb"][^\n]*)"
)


def _mask_lines(atr_hex: str) -> re.Pattern[bytes]:
    """Pattern lines that equal ``atr_hex`` where each character may also be '.'."""
    mask = "".join(f"[{re.escape(c)}.]" for c in atr_hex)
    return re.compile(b"\\n" + _INDENT + rf"{mask}[ \t\r\x0b\x0c]*(?=\n)".encode())


def _regex_matches(pattern: bytes, atr_hex: str) -> bool:
    try:
        return re.fullmatch(pattern.decode("utf-8", "replace").strip(), atr_hex) is not None
    except (re.error, OverflowError, RecursionError):
        return False  # a malformed (or absurd) pattern in the list is skipped


def lookup_smartcard_list(path: Path, atr_hex: str) -> tuple[str, ...] | None:
    """Descriptions for ``atr_hex`` in a pcsc-tools ``smartcard_list.txt``; None if absent.

    The file is a sequence of ATR patterns (regular expressions at column 0), each
    followed by tab-indented description lines; the first matching pattern with a
    description wins. Nearly all patterns are plain hex with '.' wildcards: one regular
    expression built from the ATR finds those (in C, about a millisecond for the whole
    file) instead of compiling thousands of patterns; the few real regular expressions
    are tried one by one (issue 15).
    """
    try:
        data = b"\n" + safefile.read_bytes(path, SMARTCARD_LIST_LIMIT) + b"\n"
    except OSError:
        return None
    candidates = [(m.start(), m.end(), b"") for m in _mask_lines(atr_hex).finditer(data)]
    candidates += [(m.start(), m.end(1), m.group(1)) for m in _REGEX_LINE.finditer(data)]
    for _, end, regex in sorted(candidates):
        if regex and not _regex_matches(regex, atr_hex):
            continue
        found: list[str] = []
        while data.startswith(b"\n\t", end):
            line_end = data.index(b"\n", end + 1)
            found.append(data[end + 2 : line_end].decode("utf-8", "replace").strip())
            end = line_end
        if found:
            return tuple(d for d in found if d) or None
    return None


__all__ = ["AtrTable", "CardRow", "KBError", "builtin_table", "load_table", "lookup_smartcard_list"]
