"""Symptom search: rank KB entries for free text in zh-TW, English, or both.

Users paste whole dialog texts, type fragments, misspell, mix languages and sometimes
type simplified characters. This module:

* folds text once (NFKC, lower case, simplified -> Taiwan traditional via OpenCC, a few
  variant characters, punctuation to spaces); folding of KB text is cached, so building
  an index per search stays cheap;
* cuts it into terms: latin words, and CJK character bigrams (CJK has no word breaks);
* weights each term by its inverse document frequency over the entries' symptoms, so a
  word many entries share (「憑證登入」, 「HiCOS」) counts less than one that
  distinguishes an entry (「打不開」, 「同名」);
* adds every cue the query matches (system, action taken, message), so the entry that
  matches the most cues ranks first, and a whole symptom found in the query counts extra;
* forgives small typos in latin words (``lokced``, ``tokn``).

Each hit carries the query words that matched, so a helpdesk agent can judge it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from kb.loader import Entry, KnowledgeBase

MAX_QUERY = 4000  # characters; longer pastes are cut (1 MB took 15 s before the cap)
_VARIANTS = str.maketrans({"啓": "啟", "臺": "台", "裏": "裡", "綫": "線", "爲": "為", "着": "著"})
# "_" and inner "." stay: browser and HTTP codes (ERR_BAD_SSL_CLIENT_AUTH_CERT, 403.7) are
# one term each, not a bag of common words.
_PUNCT = re.compile(
    r"[\s\"'`“”‘’「」『』()（）\[\]【】<>《》!?！？,，。、:：;；…~\-/\\|#*=+]+|\.(?!\w)"
)
_TERM = re.compile(r"[a-z0-9]+(?:[_.][a-z0-9]+)*|[\u3400-\u9fff\uf900-\ufaff]+")
# Mainland words for the same things (OpenCC's phrase mode also rewrites 用戶, so only these).
_MAINLAND_WORDS = {
    "登錄": "登入",
    "證書": "憑證",
    "窗口": "視窗",
    "軟件": "軟體",
    "程序": "程式",
    "網絡": "網路",
    "信息": "訊息",
}
_MAINLAND = re.compile("|".join(_MAINLAND_WORDS))
_SPELLING = re.compile(r"\b(authori|organi|recogni|unrecogni)s")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_STOP = frozenset(
    "a an the is are was to of in on at my i it its and or for with this that me be do does "
    "did when after what how why can please 怎麼 麼辦 什麼 為什 請問 如何 一直 我的 的時 時候 "
    "之後 後就 了怎 出現".split()
)
TITLE_WEIGHT = 0.5  # a term found only in the title counts half
CHAR_WEIGHT = 0.3  # a single CJK character shared with a symptom: a faint cue
PHRASE_BONUS = 0.5  # a whole symptom inside the query: its terms count 1.5 times
FUZZY_MIN = 80.0  # rapidfuzz ratio for a misspelt latin word
MIN_SCORE = 3.0  # below this, a single weak accidental term: not a match
RELATIVE = 0.2  # hits scoring under this share of the best one are noise beside it


@lru_cache(maxsize=1)
def _converter() -> object:
    from opencc_purepy import OpenCC  # lazy: slow to import, only variant folding needs it

    return OpenCC("s2tw")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """One canonical form for matching: Taiwan traditional, lower case, no punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    if _CJK.search(text):
        text = _converter().convert(text)  # type: ignore[attr-defined]
        text = _MAINLAND.sub(lambda m: _MAINLAND_WORDS[m.group()], text)
    text = _SPELLING.sub(r"\1z", text.translate(_VARIANTS))
    return _PUNCT.sub(" ", text).strip()


normalize = fold  # the old name


@dataclass(frozen=True)
class Term:
    """One searchable unit and where it sits in the folded text (for "matched words")."""

    key: str
    start: int
    end: int


def terms(folded: str) -> list[Term]:
    out: list[Term] = []
    for m in _TERM.finditer(folded):
        run, base = m.group(), m.start()
        if not _CJK.match(run):
            if run not in _STOP:
                out.append(Term(run, base, m.end()))
        else:
            out.extend(Term(ch, base + i, base + i + 1) for i, ch in enumerate(run))
            out.extend(
                Term(run[i : i + 2], base + i, base + i + 2)
                for i in range(len(run) - 1)
                if run[i : i + 2] not in _STOP
            )
    return out


def _contains(q: str, phrase: str) -> bool:
    """``phrase`` inside ``q``; latin ends must sit on word boundaries ("pac" not in "space")."""
    if phrase not in q:
        return False
    left = r"(?<![a-z0-9])" if phrase[0].isascii() and phrase[0].isalnum() else ""
    right = r"(?![a-z0-9])" if phrase[-1].isascii() and phrase[-1].isalnum() else ""
    return re.search(left + re.escape(phrase) + right, q) is not None


def _is_char(key: str) -> bool:
    return len(key) == 1 and bool(_CJK.match(key))


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    matched: str  # the best-matching symptom or title (kept for older callers)
    words: tuple[str, ...] = ()  # the query's words that matched, in query order


@dataclass
class _Doc:
    entry: Entry
    symptom_keys: set[str]
    title_keys: set[str]
    phrases: list[tuple[str, str, set[str]]]  # (original, folded, keys)


class SymptomIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._docs: list[_Doc] = []
        df: Counter[str] = Counter()
        for entry in kb.ordered():
            phrases = []
            for s in entry.symptoms:
                f = fold(s)
                phrases.append((s, f, {t.key for t in terms(f)}))
            skeys = set().union(*(p[2] for p in phrases)) if phrases else set()
            tkeys = {
                t.key for title in (entry.title.zh, entry.title.en) for t in terms(fold(title))
            }
            self._docs.append(_Doc(entry, skeys, tkeys - skeys, phrases))
            df.update(skeys | tkeys)
        n = max(len(self._docs), 1)
        self._idf = {
            k: math.log(1 + n / c) * (CHAR_WEIGHT if _is_char(k) else 1.0) for k, c in df.items()
        }
        self._latin = sorted(k for k in df if not _CJK.match(k) and len(k) >= 4)

    def _resolve(self, key: str) -> str | None:
        """The vocabulary term a query term stands for: itself, or a near latin word."""
        if key in self._idf:
            return key
        if key.endswith("s") and key[:-1] in self._idf:
            return key[:-1]
        if _CJK.match(key) or len(key) < 4 or key.isdigit():
            return None
        near = [w for w in self._latin if abs(len(w) - len(key)) <= 1]  # a typo, not a word
        best = process.extractOne(key, near, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
        return best[0] if best else None

    def search(self, text: str, limit: int = 5, min_score: float = MIN_SCORE) -> list[Hit]:
        q = fold(text[:MAX_QUERY])
        qterms = [(t, self._resolve(t.key)) for t in terms(q)]
        qterms = [(t, k) for t, k in qterms if k is not None]
        qkeys = {k for _, k in qterms if k}
        qstrong = {k for k in qkeys if not _is_char(k)}
        hits: list[Hit] = []
        for doc in self._docs:
            score, used = 0.0, set()
            for key in qkeys:
                if key in doc.symptom_keys:
                    score += self._idf[key]
                    used.add(key)
                elif key in doc.title_keys:
                    score += self._idf[key] * TITLE_WEIGHT
                    used.add(key)
            if not used:
                continue
            best_label, best_part = doc.entry.title.get("zh-TW"), 0.0
            for original, folded, keys in doc.phrases:
                if not keys:
                    continue
                part = sum(self._idf[k] for k in keys & qkeys)
                if folded and _contains(q, folded):
                    score += PHRASE_BONUS * sum(self._idf[k] for k in keys)
                    part *= 2
                part /= sum(self._idf[k] for k in keys) ** 0.5
                if part > best_part:
                    best_label, best_part = original, part
            # Lone characters only add to a real match. One weak term in a long text is an
            # accident; in a short query it is the query.
            strong = {k for k in used if not _is_char(k)}
            if strong and (score >= min_score or 2 * len(strong) >= len(qstrong)):
                hits.append(Hit(doc.entry, round(score, 2), best_label, _words(q, qterms, used)))
        rank = {d.entry.id: i for i, d in enumerate(self._docs)}
        hits.sort(key=lambda h: (-h.score, rank[h.entry.id]))
        return [h for h in hits if h.score >= RELATIVE * hits[0].score][:limit]


def _words(q: str, qterms: list[tuple[Term, str | None]], used: set[str]) -> tuple[str, ...]:
    """The query's matched stretches in query order: overlapping CJK terms merge into one
    phrase (lone characters are too faint to show); a fixed typo shows as ``typo→word``."""
    covered = [False] * len(q)
    spans: list[tuple[int, str]] = []
    for t, key in qterms:
        if key not in used:
            continue
        if _is_char(t.key):
            continue  # too faint to show
        if _CJK.match(t.key):
            covered[t.start : t.end] = [True] * (t.end - t.start)
        else:
            spans.append((t.start, t.key if key == t.key else f"{t.key}→{key}"))
    start = None
    for i, flag in enumerate([*covered, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= 2:
                spans.append((start, q[start:i]))
            start = None
    return tuple(dict.fromkeys(label for _s, label in sorted(spans)))
