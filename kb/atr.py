"""Load the curated ATR table (``atr.toml``) and pcsc-tools' ``smartcard_list.txt``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import msgspec
from diagwizard.kb.loader import KBError, _fail, decode_toml

from diagwizard.text import Text

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
        for row in self.cards:
            if re.fullmatch(row.atr.replace("..", "[0-9A-F]{2}"), atr_hex):
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


@cache
def builtin_table() -> AtrTable:
    return load_table(Path(__file__).resolve().parent / "atr.toml")


_REGEX_CHARS = re.compile(r"[.\[\]()*?+|\\{}^$]")


_WILDCARD_ONLY = frozenset("0123456789ABCDEF .")


def _line_matches(pattern: str, atr_hex: str) -> bool:
    if not _REGEX_CHARS.search(pattern):  # most lines are plain ATRs: no regex needed
        return pattern == atr_hex
    if _WILDCARD_ONLY.issuperset(pattern):  # hex and '.' only: the regex is a fixed-width
        # mask, so compare position by position instead of compiling ~200 regexes per card
        return len(pattern) == len(atr_hex) and all(
            p in (".", a) for p, a in zip(pattern, atr_hex, strict=True)
        )
    if pattern[:2] != atr_hex[:2] and not _REGEX_CHARS.search(pattern[:2]):
        return False
    try:
        return re.fullmatch(pattern, atr_hex) is not None
    except re.error:
        return False  # a malformed pattern in the list is skipped


def lookup_smartcard_list(path: Path, atr_hex: str) -> tuple[str, ...] | None:
    """Descriptions for ``atr_hex`` in a pcsc-tools ``smartcard_list.txt``; None if absent.

    The file is a sequence of ATR patterns (regular expressions at column 0), each
    followed by tab-indented description lines.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    matched = False
    found: list[str] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            if matched:
                found.append(line.strip())
            continue
        if found:
            break
        pattern = line.strip()
        matched = bool(pattern) and not pattern.startswith("#") and _line_matches(pattern, atr_hex)
    return tuple(d for d in found if d) or None


__all__ = ["AtrTable", "CardRow", "KBError", "builtin_table", "load_table", "lookup_smartcard_list"]
