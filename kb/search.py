"""Symptom search: rank KB entries for what a person types or pastes, by evidence.

Officers paste whole browser pages, type fragments with typos, mix languages, write
Simplified characters or say 証 for 證; helpdesk staff type codes and shorthand. The
ranking weighs the evidence in that text:

1. **Decisive evidence** comes first: a code (hex like 0x7600000D, an HTTP status, a
   browser or system code such as ERR_SSL_PROTOCOL_ERROR, a finding code, "FAQ 7"), a
   host or file name, or one of an entry's exact ``messages`` found whole in the text.
   Only an entry's own fields count here (title, messages, symptoms, summary, codes); a
   code its fix merely mentions is ordinary text. Where two messages overlap, the longer
   one wins ("未授權網站" is not "未授權").
2. **Words** then add up: each word or Chinese character pair counts by how rare it is
   across the whole KB (title, messages, symptoms, summary, causes, fix, each with its
   own weight), so words every entry uses and the card's own names weigh little.
3. **Never an empty answer** for a code of a known class (a browser network or TLS
   error, an HTTP status, a HiPKI vendor code, a smart-card error) that no entry names:
   the entries that declare ``fallback_for`` that class answer, marked weak.

Folding: NFKC, lower case, OpenCC (Traditional/Simplified and variant characters such as
証/證, 台/臺, 啓/啟 all fold to one form; on the KB side also Taiwan phrases to mainland
ones, so 登录 finds 登入 and 卸载 finds 解除安裝). The query is folded character by
character, so a matched stretch maps back to what the person typed. Latin words split at
``.``, ``_``, ``-`` and digits (GCACryptoCom2.8.exe → gcacryptocom, exe); adjacent words
also join (HiCOS ICC setup → hicosiccsetup); long words tolerate a typo (rapidfuzz).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kb.loader import Entry, KnowledgeBase

MAX_QUERY = 4000  # characters; longer pastes are cut (1 MB took 15 s before the cap)

# -- folding --------------------------------------------------------------------------------
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Words for the same thing that OpenCC does not map, because they are PKI and IT terms
# rather than general vocabulary: mainland (left) and Taiwan (right), in the folded
# (simplified) form. Each pair has equal length, so folding keeps every character's place.
_DOMAIN_WORDS = {
    "证书": "凭证",  # certificate: 證書 (mainland) / 憑證 (Taiwan)
    "读卡器": "读卡机",  # card reader
    "控件": "组件",  # an ActiveX control / the web component (元件)
    "超时": "逾时",  # timed out
    "信息": "讯息",  # message
    "设备管理器": "设备管理员",  # Device Manager (裝置管理員)
}
_DOMAIN = re.compile("|".join(sorted(_DOMAIN_WORDS, key=len, reverse=True)))
# Punctuation becomes space; what stays joins codes, file and host names: "." "-" "/" "#",
# "_" inside a word, and ":" in "net::" or before a port number ("127.0.0.1:61161").
_PUNCT = re.compile(r"[^\w.:/\-#]|_(?![a-z0-9])|(?<![a-z0-9])_|(?<![\d:]):(?![:\d])")


@cache
def _opencc(config: str) -> object:
    from opencc_purepy import OpenCC  # lazy: slow to import, only Chinese text needs it

    return OpenCC(config)


def _convert(config: str, text: str) -> str:
    return str(_opencc(config).convert(text))  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def _char(ch: str) -> str:
    """One character, normalised; always exactly one character."""
    n = unicodedata.normalize("NFKC", ch).lower()
    return n if len(n) == 1 else (n[:1] if n[:1].isalnum() else " ")


def fold(text: str) -> str:
    """The matching form, one character for each character of ``text``: NFKC, lower case,
    Simplified characters (OpenCC t2s folds Traditional and variants alike), the domain
    words above, punctuation as spaces (``.``, ``_``, ``-``, ``:``, ``/`` stay inside codes,
    file and host names)."""
    text = text.lower() if text.isascii() else "".join(_char(c) for c in text)
    if _CJK.search(text):
        simple = _convert("t2s", text)
        if len(simple) != len(text):  # a phrase rule changed the length: go char by char
            simple = "".join(_convert("t2s", c)[:1] or c for c in text)
        text = _DOMAIN.sub(lambda m: _DOMAIN_WORDS[m.group()], simple)
    return _PUNCT.sub(" ", text)


def _fold_phrases(text: str) -> str:
    """The KB side's second form: Taiwan phrases as mainland ones (OpenCC tw2sp), so a
    mainland wording in a query finds them (登录, 卸载, 软件, 设置)."""
    if not _CJK.search(text):
        return ""
    return fold(_convert("tw2sp", "".join(_char(c) for c in text)))


# -- terms ----------------------------------------------------------------------------------
CODE, HOST, FILE, WORD, NUMBER, PAIR, CHAR = (
    "code",
    "host",
    "file",
    "word",
    "number",
    "pair",
    "char",
)
DECISIVE = {CODE: 3.0, FILE: 2.0, HOST: 1.0}  # per distinct match in an entry's own fields
MESSAGE = 2.0  # an entry's exact message found whole in the text
DECISIVE_SCALE = 8.0  # one decisive point against the words: a code outweighs most texts

# Latin-only look-arounds (``\w`` would take Chinese too): 錯誤碼0x7600000D is a code.
_HEX = re.compile(r"(?<![a-z0-9_.])(?:0x([0-9a-f]{1,8})|([0-9a-f]{8})|(-?\d{9,10}))(?![a-z0-9_.])")
_NAME = re.compile(r"(?<![a-z0-9_])(?:net::)?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![a-z0-9_])")
_FINDING = re.compile(r"(?<![a-z0-9_.])([a-z][a-z0-9_]*\.[ewi]\d{3})(?![a-z0-9_])")
_HTTP = re.compile(
    r"(?<![a-z0-9_./-])((?:4[0-3]\d|45[01]|5[01]\d)(?:\.\d{1,2})?)(?![a-z0-9_:/-]|\.\d)"
)
_FAQ = re.compile(r"(?<![a-z])faq\s*0?(\d{1,2})(?!\d)")
_HOST = re.compile(
    r"(?<![a-z0-9_.-])((?:[a-z0-9-]+\.)+(?:tw|com|net|org)|\d{1,3}(?:\.\d{1,3}){3}(?::\d{2,5})?)"
    r"(?![a-z0-9_-])"
)
_FILE = re.compile(
    r"(?<![a-z0-9_.-])([a-z0-9_.-]+\.(?:zip|exe|dll|dylib|so|pkg|msi|msc|sh|js|log))(?![a-z0-9_])"
)
_LATIN = re.compile(r"[a-z]+|\d+")
_VERSION = re.compile(r"(?<![\d.])\d+(?:\.\d+){1,3}(?![\d.])")  # Safe Sign 1.0.8, TLS 1.2
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Term:
    """One unit of evidence and where it sits in the folded text."""

    key: str
    start: int
    end: int
    kind: str


def _codes(folded: str) -> Iterable[Term]:
    for m in _HEX.finditer(folded):
        hexa, bare, dec = m.groups()
        if hexa is not None:
            yield Term(f"0x{int(hexa, 16):x}", m.start(), m.end(), CODE)
        elif bare is not None and any(c.isdigit() for c in bare):
            yield Term(f"?0x{int(bare, 16):x}", m.start(), m.end(), CODE)  # known codes only
        elif dec is not None:
            yield Term(f"?0x{int(dec) & 0xFFFFFFFF:x}", m.start(), m.end(), CODE)
    for m in _NAME.finditer(folded):
        yield Term(m.group(1), m.start(), m.end(), CODE)
    for rx, prefix in ((_FINDING, ""), (_HTTP, "http "), (_FAQ, "faq ")):
        for m in rx.finditer(folded):
            yield Term(prefix + m.group(1), m.start(), m.end(), CODE)
    for m in _FILE.finditer(folded):
        yield Term(m.group(1), m.start(), m.end(), FILE)
    for m in _HOST.finditer(folded):
        if not _FILE.fullmatch(m.group(1)):
            yield Term(m.group(1), m.start(), m.end(), HOST)


def terms(folded: str) -> tuple[Term, ...]:
    """Codes, names, words (split at punctuation and digits), Chinese pairs and characters."""
    out = list(_codes(folded))
    hexes = [(t.start, t.end) for t in out if t.key.startswith(("0x", "?0x"))]
    out += [Term(m.group(), m.start(), m.end(), NUMBER) for m in _VERSION.finditer(folded)]
    for m in _LATIN.finditer(folded):
        if any(a <= m.start() < b for a, b in hexes):
            continue
        word = m.group()
        if word.isdigit():
            if len(word) >= 2:
                out.append(Term(word, m.start(), m.end(), NUMBER))
        elif word not in _STOP and len(word) >= 2:
            out.append(Term(word, m.start(), m.end(), WORD))
    for m in _CJK_RUN.finditer(folded):
        run, base = m.group(), m.start()
        out += [Term(c, base + i, base + i + 1, CHAR) for i, c in enumerate(run)]
        out += [
            Term(run[i : i + 2], base + i, base + i + 2, PAIR)
            for i in range(len(run) - 1)
            if run[i : i + 2] not in _STOP
        ]
    return tuple(out)


_STOP = frozenset(
    fold(
        "a an the is are was were be been to of in on at my me i it its and or for with this "
        "that do does did when after what how why can could should please yes you your we err "
        "our they there here from by as but if so then than into out up get got have has had "
        "怎麼 麼辦 什麼 為什 請問 如何 一直 我的 的時 時候 之後 後就 了怎 可以 還是 但是 然後 就是 "
        "一下 這個 那個 現在 已經 好像 是不 不是"
    ).split()
)
# The card's own names and words every login problem uses: they say nothing about which.
GENERIC = frozenset(
    t.key
    for t in terms(
        fold(
            "自然人憑證 憑證 卡片 登入 錯誤 問題 電腦 顯示 出現 citizen certificate "
            "certificates card cards login log error errors problem computer moica http https www "
            # who asks and on what: the caller, the system, the browser
            "user users caller customer 客戶 來電 民眾 反映 使用者 windows win mac macos linux "
            "ubuntu edge chrome firefox safari ie browser 瀏覽器"
        )
    )
    if t.kind != CHAR
)
GENERIC_WEIGHT = 0.2
KIND_WEIGHT = {WORD: 1.0, PAIR: 0.7, NUMBER: 0.5, CHAR: 0.15, CODE: 1.0, HOST: 1.0, FILE: 1.0}
FIELD_WEIGHT = {
    "title": 3.0,
    "messages": 3.0,
    "symptoms": 3.0,
    "summary": 1.5,
    "codes": 1.5,
    "causes": 1.0,
    "fix": 0.7,
}
OWN_FIELDS = ("title", "messages", "symptoms", "summary", "codes")
PHRASE_FIELDS = ("messages", "symptoms")
PHRASE_BONUS = 0.5  # a whole symptom inside the text: its words count 1.5 times
FUZZY_WEIGHT = 0.8  # a word read through a typo counts a little less
FALLBACK = 1.0  # decisive points a broad entry gets for a code of its class
UNNAMED = 0.5  # a word inside a code no entry names (err_ADDRESS_unreachable) counts half
MIN_SCORE = 2.0  # below this and without decisive evidence: an accident, not a match
WEAK_BELOW = 6.0  # a words-only match under this is reported as weak
RELATIVE = 0.25  # hits scoring under this share of the best one are noise beside it

# Classes of code the broad entries answer (kb.loader.FALLBACK_CLASSES names them).
CLASSES: dict[str, re.Pattern[str]] = {
    "tls": re.compile(
        r"^(?:err_(?:ssl|cert|bad_ssl)\w*|ssl_error_\w+|sec_error_\w+|mozilla_pkix\w+)$"
    ),
    "network": re.compile(r"^(?:err_\w+|dns_probe_\w+|pr_\w+_error)$"),
    "http": re.compile(r"^http [45]"),
    "hipki": re.compile(r"^\??0x(?:7[67]|83|e0)[0-9a-f]{6}$"),
    "smartcard": re.compile(r"^(?:scard_[ewsf]_\w+|\??0x801000[0-9a-f]{2})$"),
}


# Words that name a class without a code ("HTTP error", "網路錯誤"): when nothing else
# matches, the class's broad entries answer, weak.
CLASS_WORDS: dict[str, tuple[str, ...]] = {
    "tls": ("ssl", "tls", "加密連線", "安全連線"),
    "network": ("network", "connection", "網路", "連線", "網站"),
    "http": ("http",),
    "hipki": ("hipki", "元件", "component"),
    "smartcard": ("smartcard", "智慧卡", "讀卡機", "reader"),
}


def _word(word: str) -> _Phrase:
    return _Phrase(word, (tuple(t for t, _a, _b in _seq(fold(word))),), frozenset(), True)


def _class(key: str) -> str | None:
    for name, rx in CLASSES.items():  # tls before network: ERR_SSL_… is both
        if rx.match(key):
            return name
    return None


# -- the index ------------------------------------------------------------------------------
# Building the index reads each KB text several times (its keys, its codes, its phrases):
# these remember the KB's texts while it is built. A query never goes through them.
_kb_fold = lru_cache(maxsize=None)(fold)
_kb_fold_phrases = lru_cache(maxsize=None)(_fold_phrases)
_kb_terms = lru_cache(maxsize=None)(terms)

_SEQ = re.compile(r"[a-z]+|\d+|[\u3400-\u9fff\uf900-\ufaff]")
Seq = tuple[tuple[str, int, int], ...]  # (token, start, end): words, numbers, characters


def _seq(folded: str) -> Seq:
    return tuple((m.group(), m.start(), m.end()) for m in _SEQ.finditer(folded))


@dataclass
class _Phrase:
    """A message or symptom, found whole when its words and characters follow each other
    in the text (punctuation and spacing do not matter)."""

    original: str
    forms: tuple[tuple[str, ...], ...]  # token sequences, one per folded form
    keys: frozenset[tuple[str, str]]  # (key, kind)
    strong: bool  # specific enough to decide: two words, or four characters

    def find(self, query: _Query) -> tuple[int, int] | None:
        for form in self.forms:
            for i in query.starts.get(form[0], ()):
                if query.tokens[i : i + len(form)] == form:
                    return query.seq[i][1], query.seq[i + len(form) - 1][2]
        return None


@dataclass
class _Query:
    text: str  # as typed (folding keeps every character's place)
    seq: Seq
    tokens: tuple[str, ...]
    starts: dict[str, list[int]]

    @classmethod
    def of(cls, text: str, folded: str) -> _Query:
        seq = _seq(folded)
        starts: dict[str, list[int]] = {}
        for i, (token, _a, _b) in enumerate(seq):
            starts.setdefault(token, []).append(i)
        return cls(text, seq, tuple(t for t, _a, _b in seq), starts)


@dataclass
class _Doc:
    entry: Entry
    rank: int
    fields: dict[str, set[str]] = field(default_factory=dict)
    own: set[str] = field(default_factory=set)  # decisive keys of its own fields
    messages: list[_Phrase] = field(default_factory=list)
    symptoms: list[_Phrase] = field(default_factory=list)
    named: list[_Query] = field(default_factory=list)  # its titles and symptoms, to look in

    def best_field(self, key: str, cover: float = 1.0) -> float:
        """The weight of the best field holding ``key``. A message or symptom is a phrase:
        matched in part (``cover``, the share of its weight the text matches), it says
        that much less ("…不起來" is not "HiCOS 開不起來")."""
        return max(
            (
                FIELD_WEIGHT[f] * (cover if f in PHRASE_FIELDS else 1.0)
                for f, keys in self.fields.items()
                if key in keys
            ),
            default=0,
        )


def _keys(text: str) -> set[str]:
    """Every key a text holds, in both folded forms. A code name is one key: the words
    inside ERR_BAD_SSL_CLIENT_AUTH_CERT are not the entry's words ("bad", "client")."""
    keys = set()
    for form in (_kb_fold(text), _kb_fold_phrases(text)):
        found = _kb_terms(form)
        names = [(t.start, t.end) for t in found if t.kind == CODE and "_" in t.key]
        keys |= {t.key for t in found if t.kind == CODE or not _inside(t, names)}
    return keys


def _joins(text: str, words: set[str]) -> set[str]:
    """Adjacent Latin words that the KB also writes as one word (Smart Card → smartcard)."""
    found = [t for t in _kb_terms(_kb_fold(text)) if t.kind == WORD]
    pairs = (a.key + b.key for a, b in itertools.pairwise(found) if b.start - a.end <= 1)
    return {j for j in pairs if j in words}


def _phrase(text: str) -> _Phrase:
    folded = [f for f in (_kb_fold(text), _kb_fold_phrases(text)) if f.strip()]
    forms = tuple(dict.fromkeys(tuple(t for t, _a, _b in _seq(f)) for f in folded if _seq(f)))
    keys = frozenset((t.key, t.kind) for f in folded for t in _kb_terms(f) if t.kind != CHAR)
    size = sum(2 if t.isascii() and t.isalpha() else 1 for t in forms[0]) if forms else 0
    decides = any(t.kind in DECISIVE for f in folded for t in _kb_terms(f))
    return _Phrase(text, forms, keys, size >= 4 or decides)


def _texts(entry: Entry) -> dict[str, list[str]]:
    steps = [s.text for s in entry.fix.steps] + ([entry.fix.intro] if entry.fix.intro else [])
    steps += [s.body for s in entry.steps] + [s.title for s in entry.steps]
    if entry.modern is not None:
        steps.append(entry.modern)
    both = lambda texts: [x for t in texts for x in (t.zh, t.en)]  # noqa: E731
    return {
        "title": both([entry.title]),
        "messages": entry.messages,
        "symptoms": entry.symptoms,
        "summary": both([entry.summary]),
        "codes": entry.codes + ([entry.guide] if entry.guide else []),
        "causes": both(entry.causes),
        "fix": both(steps),
    }


class SymptomIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._docs: list[_Doc] = []
        df: Counter[str] = Counter()
        for rank, entry in enumerate(kb.ordered()):
            doc = _Doc(entry, rank)
            texts = _texts(entry)
            for name, parts in texts.items():
                doc.fields[name] = set().union(*(_keys(t) for t in parts)) if parts else set()
            for name in OWN_FIELDS:
                for text in texts[name]:
                    doc.own |= {t.key for t in _kb_terms(_kb_fold(text)) if t.kind in DECISIVE}
            doc.messages = [_phrase(m) for m in entry.messages]
            doc.symptoms = [_phrase(s) for s in entry.symptoms]
            doc.named = [_Query.of(t, _kb_fold(t)) for t in texts["title"] + entry.symptoms]
            self._docs.append(doc)
        words = {k for d in self._docs for f in d.fields.values() for k in f if k.isalpha()}
        for doc in self._docs:
            for name in ("title", "messages", "symptoms"):
                doc.fields[name] |= {j for t in _texts(doc.entry)[name] for j in _joins(t, words)}
            df.update(set().union(*doc.fields.values()))
        n = max(len(self._docs), 1)
        self._idf = {k: math.log(1 + (n - c + 0.5) / (c + 0.5)) for k, c in df.items()}
        self._latin = sorted(k for k in df if k.isalpha() and k.isascii() and len(k) >= 4)
        self._names = sorted(k for k in df if "_" in k and k.isascii())
        self._known = {k for k in df if k.startswith("0x")}
        self._ranks = {d.entry.id: d.rank for d in self._docs}

    # -- reading the query --------------------------------------------------------------------
    def _resolve(self, t: Term) -> tuple[str, float] | None:
        """The vocabulary key a query term stands for, and how sure that reading is."""
        key = t.key
        if key.startswith("?0x"):
            return (key[1:], 1.0) if key[1:] in self._known else None
        if key in self._idf:
            return key, 1.0
        if t.kind == WORD and len(key) >= 4:
            near = [w for w in self._latin if abs(len(w) - len(key)) <= 2]
            found = process.extract(
                key, near, scorer=OSA.distance, score_cutoff=1 if len(key) < 8 else 2, limit=None
            )
            # The fewest edits; between equals the longer word (a typo drops a letter more
            # often than it adds one: "lockd" is "locked" rather than "lock").
            best = min(found, key=lambda f: (f[1], -len(f[0])), default=None)
            return (best[0], FUZZY_WEIGHT) if best else None
        if t.kind == CODE and "_" in key and len(key) >= 10:  # ERR_SSL_PROTOCAL_ERROR
            best = process.extractOne(key, self._names, scorer=OSA.distance, score_cutoff=2)
            return (best[0], FUZZY_WEIGHT) if best else None
        return None

    def _read(self, q: str) -> list[tuple[Term, str, float]]:
        found = list(terms(q))
        words = [t for t in found if t.kind == WORD]
        for i in range(len(words)):  # HiCOS ICC setup → hicosiccsetup
            for j in (i + 2, i + 3):
                group = words[i:j]
                if len(group) == j - i and all(
                    b.start - a.end <= 1 for a, b in itertools.pairwise(group)
                ):
                    joined = "".join(t.key for t in group)
                    if len(joined) >= 6 and joined in self._idf:
                        found.append(Term(joined, group[0].start, group[-1].end, WORD))
        out = []
        for t in found:
            if (resolved := self._resolve(t)) is not None:
                out.append((t, *resolved))
            elif t.kind == CODE:  # a code no entry names: its class may still answer
                out.append((t, t.key, 0.0))
        return out

    def weight(self, key: str, kind: str) -> float:
        """How much a matched key says: its rarity in the KB; a character pair never says
        more than its two characters together (a rare pair across a word boundary, such
        as 器没 in 伺服器沒有, is an accident of the text, not a word)."""
        idf = self._idf.get(key, 0.0)
        if kind == PAIR and len(key) == 2:
            idf = min(idf, self._idf.get(key[0], 0.0) + self._idf.get(key[1], 0.0))
        w = idf * KIND_WEIGHT[kind]
        return w * GENERIC_WEIGHT if key in GENERIC else w

    # -- ranking ------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 5, min_score: float = MIN_SCORE) -> list[Hit]:
        text = text[:MAX_QUERY]
        q = fold(text)
        query = _Query.of(text, q)
        read = self._read(q)
        unnamed = [(t.start, t.end) for t, _k, sure in read if t.kind == CODE and not sure]
        read = [
            (t, key, sure * UNNAMED if t.kind != CODE and _inside(t, unnamed) else sure)
            for t, key, sure in read
        ]
        keys: dict[str, tuple[Term, float]] = {}
        for t, key, sure in read:
            if key not in keys or keys[key][1] < sure:
                keys[key] = (t, sure)
        claimed = self._messages(query)
        said = _phrase(text) if _names_something(q) else None
        hits = []
        named = set()  # codes some entry names as its own
        for doc in self._docs:
            ev = _Evidence()
            cover = self._cover(doc, keys)
            for key, (t, sure) in keys.items():
                if key in doc.own and t.kind in DECISIVE:
                    ev.add(DECISIVE[t.kind] * sure, t, decisive=True)
                    named.add(key)
                # A Chinese pair may be an accident of a longer phrase; a word is a word.
                part = cover.get(key, 1.0) if t.kind in (PAIR, CHAR) else 1.0
                fw = doc.best_field(key, part)
                if fw:
                    ev.add(self.weight(key, t.kind) * fw * sure, t)
            for phrase, (a, b) in claimed.get(doc.entry.id, []):
                ev.add(MESSAGE, Term(phrase.original, a, b, "message"), decisive=True)
            for phrase in doc.symptoms:
                if len(phrase.keys) >= 2 and (where := phrase.find(query)):
                    bonus = sum(self.weight(k, kind) for k, kind in phrase.keys) * PHRASE_BONUS
                    ev.add(
                        bonus * FIELD_WEIGHT["symptoms"], Term(phrase.original, *where, "phrase")
                    )
            hits.append((doc, ev))
        self._fallback(hits, keys, named)
        out = []
        for doc, ev in hits:
            score = DECISIVE_SCALE * ev.decisive + ev.words
            if not ev.decisive and (ev.words < min_score or not ev.strong):
                continue
            weak = (not ev.decisive and ev.words < WEAK_BELOW) or ev.fallback_only
            if weak and said is not None and any(said.find(n) for n in doc.named):
                weak = False  # the whole text is a word of its title or a symptom
            out.append(Hit(doc.entry, round(score, 2), _shown(text, ev.terms), weak, tuple(ev.why)))
        if not out:
            return self._named_class(query, limit)
        out.sort(key=lambda h: (-h.score, self._ranks[h.entry.id]))
        best = out[0].score
        return [h for h in out if h.score >= RELATIVE * best][:limit]

    def _cover(self, doc: _Doc, keys: dict[str, tuple[Term, float]]) -> dict[str, float]:
        """For each key of the text: the largest share of one of the entry's messages or
        symptoms that the text matches, among those holding the key."""
        best: dict[str, float] = {}
        for phrase in (*doc.messages, *doc.symptoms):
            matched = [(k, kind) for k, kind in phrase.keys if k in keys]
            if not matched:
                continue
            total = sum(self.weight(k, kind) for k, kind in phrase.keys) or 1.0
            share = sum(self.weight(k, kind) for k, kind in matched) / total
            for k, _kind in matched:
                best[k] = max(best.get(k, 0.0), share)
        return best

    def _named_class(self, query: _Query, limit: int) -> list[Hit]:
        """Nothing matched, but the text names a class of error in words: its broad
        entries, weak, with the words that named it."""
        hits: dict[str, Hit] = {}
        for cls, words in CLASS_WORDS.items():
            span = next(filter(None, (_word(w).find(query) for w in words)), None)
            if span is None:
                continue
            shown = (query.text[span[0] : span[1]],)
            for doc in self._docs:
                if cls in doc.entry.fallback_for and doc.entry.id not in hits:
                    hits[doc.entry.id] = Hit(doc.entry, 0.0, shown, True, ((f"class {cls}", 0.0),))
        return list(hits.values())[:limit]

    def _messages(self, query: _Query) -> dict[str, list[tuple[_Phrase, tuple[int, int]]]]:
        """Entries' exact messages found whole in the text; a message inside a longer one
        another entry says at the same place does not count."""
        found = []
        for doc in self._docs:
            for phrase in doc.messages:
                if not phrase.strong:
                    continue
                if span := phrase.find(query):
                    found.append((doc.entry.id, phrase, span))
        out: dict[str, list[tuple[_Phrase, tuple[int, int]]]] = {}
        for entry_id, phrase, (a, b) in found:
            inside = any(
                other != entry_id and c <= a and b <= d and (d - c) > (b - a)
                for other, _p, (c, d) in found
            )
            if not inside:
                out.setdefault(entry_id, []).append((phrase, (a, b)))
        return out

    def _fallback(
        self,
        hits: list[tuple[_Doc, _Evidence]],
        keys: dict[str, tuple[Term, float]],
        named: set[str],
    ) -> None:
        """A code of a known class that no entry names: the class's broad entries answer."""
        for key, (t, _sure) in keys.items():
            cls = _class(key) if t.kind == CODE and key not in named else None
            if cls is None:
                continue
            for doc, ev in hits:
                if cls in doc.entry.fallback_for:
                    ev.add(FALLBACK, Term(t.key, t.start, t.end, f"class {cls}"), decisive=True)
                    ev.fallback.add(key)


def _names_something(folded: str) -> bool:
    """Does the text hold a word beyond the card's own names (自然人憑證, 卡片, login)?
    Those are in many titles, so finding them there decides nothing."""
    return any(t.kind != CHAR and t.key not in GENERIC for t in terms(folded))


def _inside(t: Term, spans: list[tuple[int, int]]) -> bool:
    return any(a <= t.start < b for a, b in spans)


@dataclass
class _Evidence:
    decisive: float = 0.0
    words: float = 0.0
    terms: list[Term] = field(default_factory=list)
    why: list[tuple[str, float]] = field(default_factory=list)
    fallback: set[str] = field(default_factory=set)
    strong: bool = False  # more than lone Chinese characters matched

    def add(self, points: float, t: Term, decisive: bool = False) -> None:
        if decisive:
            self.decisive += points
        else:
            self.words += points
        if t.kind != CHAR:
            self.strong = self.strong or t.key not in GENERIC
            self.terms.append(t)
        self.why.append(
            (f"{t.kind} {t.key}", round(points * (DECISIVE_SCALE if decisive else 1), 2))
        )

    @property
    def fallback_only(self) -> bool:
        return bool(self.fallback) and self.decisive <= FALLBACK * len(self.fallback)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    words: tuple[str, ...] = ()  # what in the text matched, in its order, as typed
    weak: bool = False  # only words of little weight, or only the class of a code
    evidence: tuple[tuple[str, float], ...] = ()  # what decided, with its points


def _shown(text: str, found: list[Term]) -> tuple[str, ...]:
    """The matched stretches of the text as the person typed them, in their order;
    overlapping ones merge."""
    spans = sorted((t.start, t.end) for t in found if t.end > t.start)
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple(dict.fromkeys(text[a:b].strip() for a, b in merged if text[a:b].strip()))
