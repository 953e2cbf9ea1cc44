"""Symptom search: rank KB entries for free text in zh-TW, English, or both.

Users paste whole dialog texts, type fragments, misspell, and mix languages. Scoring is
rapidfuzz's; this module only prepares the text:

* NFKC folding (full-width letters, punctuation), lower case, common variant characters
  (啓/啟, 臺/台), and quote/bracket removal.
* CJK has no word boundaries, so token-based matching uses CJK character bigrams.
* A short symptom found inside a long pasted text counts, but less than a match that
  covers most of the text (so 「未授權」 does not outrank a whole-sentence match).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from kb.loader import Entry, KnowledgeBase

_VARIANTS = str.maketrans({"啓": "啟", "臺": "台", "裏": "裡", "綫": "線", "爲": "為"})
_PUNCT = re.compile(r"[\s\"'`“”‘’「」『』()（）\[\]【】<>《》!?！？.,，。、:：;；…~\-_/\\|]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")

MIN_SCORE = 55.0
TITLE_WEIGHT = 0.85


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_VARIANTS)
    return _PUNCT.sub(" ", text).strip()


def tokens(norm: str) -> str:
    """Space-separated tokens: latin words plus CJK bigrams (single chars for 1-char runs)."""
    out = _WORD.findall(norm)
    for run in _CJK.findall(norm):
        out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return " ".join(out)


@dataclass(frozen=True)
class _Prepared:
    norm: str
    toks: str


def _prepare(text: str) -> _Prepared:
    norm = normalize(text)
    return _Prepared(norm, tokens(norm))


def _pair_score(q: _Prepared, s: _Prepared) -> float:
    if not q.norm or not s.norm:
        return 0.0
    short, long_ = sorted((len(q.norm), len(s.norm)))
    coverage = short / long_
    weight = 0.6 + 0.4 * coverage
    partial = fuzz.partial_ratio(q.norm, s.norm) if short >= 2 else fuzz.ratio(q.norm, s.norm)
    token_set = fuzz.token_set_ratio(q.toks, s.toks, processor=None) if q.toks and s.toks else 0.0
    return max(partial, token_set) * weight


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    matched: str  # the symptom or title that matched best


class SymptomIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._items: list[tuple[Entry, str, _Prepared, float]] = []
        for entry in kb.ordered():
            for symptom in entry.symptoms:
                self._items.append((entry, symptom, _prepare(symptom), 1.0))
            for title in (entry.title.zh, entry.title.en):
                self._items.append((entry, title, _prepare(title), TITLE_WEIGHT))

    def search(self, text: str, limit: int = 5, min_score: float = MIN_SCORE) -> list[Hit]:
        q = _prepare(text)
        best: dict[str, Hit] = {}
        for entry, label, prepared, weight in self._items:
            score = round(_pair_score(q, prepared) * weight, 1)
            current = best.get(entry.id)
            if current is None or score > current.score:
                best[entry.id] = Hit(entry, score, label)
        hits = [h for h in best.values() if h.score >= min_score]
        # Stable ordering: score, then the KB's own order (guide order).
        order = {e.id: i for i, (e, *_rest) in enumerate(self._items)}
        hits.sort(key=lambda h: (-h.score, order[h.entry.id]))
        return hits[:limit]
