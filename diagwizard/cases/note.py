"""A case's note, kept free of personal data the way a report is.

A note is free text an agent types during a call, so it may catch what a caller reads
out: an ID number, a card number, an e-mail address, a phone number. Each of those is
replaced by a placeholder through the report's redactor (:mod:`diagwizard.core.redact`,
which also strips credentials from URLs), and the agent is told what was replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diagwizard.core.errors import UserError
from diagwizard.core.redact import Redactor, scrub_credentials
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import cases as words

MAX_NOTE = 500  # characters: a short note, not a transcript

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
# What looks personal, by kind (the words of each kind are in the catalogue).
PATTERNS: dict[str, re.Pattern[str]] = {
    # 國民身分證 / 居留證: a letter, then 1, 2 (ID) or 8, 9 (new resident permit), 8 digits.
    "national_id": re.compile(_NOT_ALNUM_BEFORE + r"[A-Za-z][1289]\d{8}" + _NOT_ALNUM_AFTER),
    # A card's number: two letters and 14 digits (DOMAIN.md).
    "card_number": re.compile(_NOT_ALNUM_BEFORE + r"[A-Za-z]{2}\d{14}" + _NOT_ALNUM_AFTER),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # Taiwan mobile and landline numbers, with or without +886, spaces or dashes; a
    # service number (0800, 0809: the helpline 0800-080-117) is nobody's.
    "phone": re.compile(
        r"(?<![\d+])(?:(?:\+|00)886[\s-]?|0)(?!80[09])"
        r"(?:9\d{2}[\s-]?\d{3}[\s-]?\d{3}|\(?\d{1,2}\)?[\s-]?\d{3,4}[\s-]?\d{4})(?!\d)"
    ),
}


@dataclass(frozen=True)
class Note:
    text: str  # what is stored
    kinds: tuple[str, ...]  # what looked personal (keys of PATTERNS, "credentials")

    @property
    def redacted(self) -> bool:
        return bool(self.kinds)

    def kinds_text(self) -> Text:
        names = [words.PERSONAL_KINDS[k] for k in self.kinds]
        return Text("、".join(n.zh for n in names), ", ".join(n.en for n in names))


def check(raw: str, option: str = "--note") -> Note:
    """The note as it may be stored: one line, personal data replaced by placeholders."""
    text = " ".join(clean(raw, multiline=True).split())
    if len(text) > MAX_NOTE:
        raise UserError(words.TOO_LONG, field=option, n=len(text), max=MAX_NOTE)
    found: list[tuple[int, int, str]] = []  # start, end, kind
    for kind, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            if not any(m.start() < end and start < m.end() for start, end, _ in found):
                found.append((m.start(), m.end(), kind))  # unless part of another match
    found.sort()
    redactor = Redactor()  # numbered in reading order, as in a report
    for start, end, _ in found:
        redactor.learn_value(text[start:end])
    kinds = list(dict.fromkeys(kind for _, _, kind in found))
    spans = [(start, end) for start, end, _ in found]
    stored = text
    for start, end in sorted(spans, reverse=True):
        stored = stored[:start] + redactor.placeholder(text[start:end]) + stored[end:]
    scrubbed = scrub_credentials(stored)
    if scrubbed != stored:
        kinds.append("credentials")
    return Note(scrubbed, tuple(kinds))
