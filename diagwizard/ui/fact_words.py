"""A probe's facts in words for the person's own screen.

The screen says 「讀卡機：ACS ACR39U」 and 「PIN 剩餘次數：3」 in the screen's language;
raw values a person cannot act on (ATR hex, flags, module paths, finding codes) go under
a 「詳細資料」/"Details" heading (``facts.DETAILS``). Both the wizard's detail pane and
``check --verbose`` use these lines, so the words are the same in both places; the words
themselves are in :mod:`diagwizard.core.words.facts`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from diagwizard.core.jsonable import jsonable
from diagwizard.core.model import Fact, Result
from diagwizard.core.redact import Redactor
from diagwizard.core.words.facts import CODES, LABELS, NO, VALUE_WORDS, YES

RAW_LIMIT = 300
# Raw parts nobody reads on a screen (a certificate's whole DER): left out of Details.
UNREADABLE = frozenset({"der_b64"})


def _card(value: dict[str, Any], lang: str) -> str | None:
    """A card in words: its kind if known, else the reader it sits in."""
    name = value.get("name_zh" if lang != "en" else "name") or value.get("name")
    reader = value.get("reader")
    if name and reader:
        return f"{name}（{reader}）" if lang != "en" else f"{name} ({reader})"
    return str(name or reader) if (name or reader) else None


def _words(key: str, value: Any, lang: str) -> str | None:
    """``value`` in words, or None when it is raw data (it then goes under Details)."""
    if isinstance(value, bool):
        return (YES if value else NO).get(lang)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        known = VALUE_WORDS.get(key, {}).get(str(value))
        return known.get(lang) if known else (str(value) if value != "" else None)
    if isinstance(value, list) and value:
        convert: Callable[[Any], str | None] = (
            (lambda v: _card(v, lang) if isinstance(v, dict) else None)
            if key == "cards"
            else (lambda v: str(v) if isinstance(v, (str, int, float)) else None)
        )
        parts = [convert(v) for v in value]
        if all(parts):
            return ("、" if lang != "en" else ", ").join(p for p in parts if p)
    return None


def fact_lines(res: Result, lang: str, red: Redactor) -> tuple[list[str], list[str]]:
    """(labelled facts in words, raw ``key: value`` lines for the Details heading).

    ``red`` is disabled on the person's own screen; enabled (``check --redact``) it hides
    personal facts exactly as an export does."""
    colon = "：" if lang != "en" else ": "
    words: list[str] = []
    worded: set[str] = set()
    for key, label in LABELS.items():
        fact = res.facts.get(key)
        if fact is None:
            continue
        said = _words(key, _shown(fact, red), lang)
        if said is None:
            continue
        said = red.text(said)
        words.append(f"{label.get(lang)}{colon}{said}")
        worded.add(key)
    codes = ", ".join(f.code for f in res.findings)
    raw = [f"{CODES.get(lang)}{colon}{codes}"] if codes else []
    for key, fact in res.facts.items():
        if key in worded or fact.value in (None, "", [], {}):
            continue
        value = red.text(_compact(_readable(jsonable(_shown(fact, red)))))
        raw.append(f"{key}: {value}")
    return words, raw


def _shown(fact: Fact, red: Redactor) -> Any:
    """A personal fact as the export shows it when redacting: ``[personal-N]``."""
    return red.placeholder(fact.value) if fact.personal else fact.value


def _readable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items() if k not in UNREADABLE}
    if isinstance(value, list):
        return [_readable(v) for v in value]
    return value


def _compact(value: Any) -> str:
    """A raw value on one line, without JSON quotes around plain strings; long values
    (a certificate's DER) are cut so the pane stays readable."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= RAW_LIMIT else text[: RAW_LIMIT - 1] + "…"
