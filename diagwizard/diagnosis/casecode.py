"""Helpdesk case codes: a short code a caller reads over the phone, e.g. ``DW2-4K7Q-M2XP-A9F3``.

What it holds (no personal data, only ids and statuses):
  * the code-book id: a hash of the built-in probe ids, their finding codes and the
    guided questions, so a code is only read against the same KB and probe set;
  * the platform; whether the run was complete (else which probes ran);
  * each probe that is not OK (and not skipped because of a failed need, which the
    decoder infers): its status and main finding;
  * the answers to the guided questions.

Alphabet: Crockford base32 (no I, L, O, U; on input I/L read as 1 and O as 0). The last
two symbols are checks: the whole code, symbols s_0 ... s_n-1 read as elements of GF(32),
satisfies sum s_i * a^i = 0 and sum s_i * a^2i = 0 for a primitive element a (a
Reed-Solomon code with the roots a and a^2). Every position has a non-zero weight a^i and
neighbours always differ (a^i + a^i+1 = a^i (1 + a) is never 0), at every length: one
wrong symbol, or two neighbours swapped, can never give a valid code. Within any 31
symbols, every two wrong symbols are caught too. ``DW1`` codes (one check symbol, which
a swap at the end could pass) are refused as another version's.
"""

from __future__ import annotations

from math import ceil, log2

import msgspec

from diagwizard.core.errors import UserError
from diagwizard.core.model import Platform, Result, Status, result
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import errors, records
from diagwizard.diagnosis.codebook import (
    ID_BITS,
    BookProbe,
    Codebook,
    current_codebook,
    finding_definitions,
)
from diagwizard.engine import runner_results

PREFIX = "DW2"
OLD_PREFIXES = ("DW1",)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(ALPHABET)} | {"I": 1, "L": 1, "O": 0}
OTHER = "other"  # a platform the tool does not know: every probe counts as covered
# Two bits on the wire, in this order: append new platforms, never reorder.
PLATFORMS = (Platform.LINUX, Platform.WINDOWS, Platform.MACOS, OTHER)
GROUP = 4

# GF(32) with the primitive polynomial x^5 + x^2 + 1: powers of a = x (order 31).
_POLY = 0b100101
_EXP = [1]
for _ in range(30):
    _next = _EXP[-1] << 1
    _EXP.append(_next ^ _POLY if _next & 0b100000 else _next)
_LOG = {v: i for i, v in enumerate(_EXP)}
CHECK_SYMBOLS = 2


def _times_power(v: int, k: int) -> int:
    """v * a^k in GF(32)."""
    return _EXP[(_LOG[v] + k) % 31] if v else 0


def syndromes(symbols: list[int]) -> tuple[int, int]:
    """(sum s_i a^i, sum s_i a^2i): both 0 exactly for an intact code."""
    s1 = s2 = 0
    for i, v in enumerate(symbols):
        if v:
            s1 ^= _EXP[(_LOG[v] + i) % 31]
            s2 ^= _EXP[(_LOG[v] + 2 * i) % 31]
    return s1, s2


def intact(symbols: list[int]) -> bool:
    return syndromes(symbols) == (0, 0)


def check_symbols(data: list[int]) -> list[int]:
    """The two symbols that, appended to ``data``, make the code intact.

    With n data symbols the checks p, q sit at positions n and n+1 and must cancel the
    data's syndromes (S1, S2): p a^n + q a^(n+1) = S1 and p a^2n + q a^(2n+2) = S2. The
    determinant a^(3n+1) (1 + a) is never 0, so there is exactly one answer (Cramer).
    """
    n = len(data)
    s1, s2 = syndromes(data)
    det = (3 * n + 1 + _LOG[1 ^ _EXP[1]]) % 31  # log of the determinant

    def over_det(v: int) -> int:
        return _EXP[(_LOG[v] - det) % 31] if v else 0

    p = over_det(_times_power(s1, 2 * n + 2) ^ _times_power(s2, n + 1))
    q = over_det(_times_power(s1, 2 * n) ^ _times_power(s2, n))
    return [p, q]


class CaseCodeError(UserError):
    pass


UNREADABLE = errors.CODE_UNREADABLE


class CaseState(msgspec.Struct):
    """What a case code carries."""

    platform: str
    results: dict[str, tuple[Status, str]] = msgspec.field(
        default_factory=dict
    )  # probe -> (status, main code)
    answers: dict[str, str] = msgspec.field(default_factory=dict)
    ran: tuple[str, ...] | None = None  # None: the complete probe set for the platform


class BitWriter:
    """Appends fixed-width unsigned fields to one big integer, most significant first."""

    def __init__(self) -> None:
        self.value, self.size = 0, 0

    def put(self, value: int, bits: int) -> None:
        assert 0 <= value < (1 << bits)
        self.value = (self.value << bits) | value
        self.size += bits


class BitReader:
    """Reads back what a BitWriter wrote; running out of bits is a too-short code."""

    def __init__(self, value: int, size: int) -> None:
        self.value, self.size = value, size

    def get(self, bits: int) -> int:
        if bits > self.size:
            raise CaseCodeError(errors.CODE_INCOMPLETE)
        self.size -= bits
        return (self.value >> self.size) & ((1 << bits) - 1)


def _main_code(res: Result) -> str:
    """The finding a helpdesk most needs: the most severe one."""
    worst = max(res.findings, key=lambda f: f.severity.rank, default=None)
    return worst.code if worst else ""


def state_from(
    results: dict[str, Result], answers: dict[str, str], platform: str, book: Codebook | None = None
) -> CaseState:
    """The case state of a run: only the code book's (built-in) probes; the run counts as
    complete when every probe that applies to the platform has a result."""
    book = book or current_codebook()
    platform = platform if platform in PLATFORMS else OTHER
    known = {p.id: p for p in book.probes}
    mine = {pid: r for pid, r in results.items() if pid in known}
    complete = all(p.id in mine for p in book.probes if _applies(p, platform))
    return CaseState(
        platform=platform,
        results={pid: (r.status, _main_code(r)) for pid, r in mine.items()},
        answers=dict(answers),
        ran=None if complete else tuple(pid for pid in known if pid in mine),
    )


def code_for(
    results: dict[str, Result],
    answers: dict[str, str],
    platform: str,
    book: Codebook | None = None,
) -> str:
    """The case code for a run's results and the person's answers (``book``: another
    book than this version's, e.g. the live one a test compares with)."""
    book = book or current_codebook()
    return encode(state_from(results, answers, platform, book), book)


def _applies(probe: BookProbe, platform: str) -> bool:
    return platform == OTHER or platform in probe.platforms


def _inferred_skip(probe: BookProbe, statuses: dict[str, Status]) -> bool:
    return any(not (statuses.get(n) or Status.OK).passed for n in probe.needs)


CLASS_OK, CLASS_WARN, CLASS_BAD, CLASS_SKIP = range(4)
BAD = (Status.FAIL, Status.ERROR, Status.TIMEOUT)


def _status_class(status: Status) -> int:
    if status == Status.WARN:
        return CLASS_WARN
    if status in BAD:
        return CLASS_BAD
    if status == Status.SKIP:
        return CLASS_SKIP
    return CLASS_OK


def _covered(book: Codebook, platform: str, ran: tuple[str, ...] | None) -> list[BookProbe]:
    return [p for p in book.probes if _applies(p, platform) and (ran is None or p.id in ran)]


def encode(state: CaseState, book: Codebook | None = None) -> str:
    """Two bits of status per probe; a main finding for each warning or failure."""
    book = book or current_codebook()
    bits = BitWriter()
    bits.put(book.ident, ID_BITS)
    bits.put(PLATFORMS.index(state.platform), 2)
    bits.put(1 if state.ran is None else 0, 1)
    if state.ran is not None:
        for p in book.probes:
            bits.put(1 if p.id in state.ran else 0, 1)
    covered = _covered(book, state.platform, state.ran)
    filled: dict[str, tuple[Status, str]] = {}
    for p in covered:  # a probe missing from the results was skipped if a need failed
        default = (
            (Status.SKIP, "")
            if _inferred_skip(p, {k: v[0] for k, v in filled.items()})
            else (Status.OK, "")
        )
        filled[p.id] = state.results.get(p.id, default)
    for p in covered:
        bits.put(_status_class(filled[p.id][0]), 2)
    for p in covered:
        status, code = filled[p.id]
        if status in BAD:
            bits.put(BAD.index(status), 2)
        if status in BAD or status == Status.WARN:
            codes = book.finding_codes(p)
            bits.put(codes.index(code) + 1 if code in codes else 0, book.finding_bits)
    for qid, options in book.questions:
        width = max(1, ceil(log2(len(options) + 1)))
        chosen = state.answers.get(qid)
        bits.put(options.index(chosen) + 1 if chosen in options else 0, width)
    bits.put(0, (-bits.size) % 5)
    symbols = [(bits.value >> (5 * k)) & 31 for k in reversed(range(bits.size // 5))]
    symbols += check_symbols(symbols)
    text = "".join(ALPHABET[s] for s in symbols)
    groups = [text[i : i + GROUP] for i in range(0, len(text), GROUP)]
    return "-".join([PREFIX, *groups])


def max_symbols(book: Codebook) -> int:
    """The longest code the encoder can make with ``book`` (symbols after the prefix):
    a partial run (a bit per probe) in which every probe failed with a main finding, and
    every question answered."""
    per_probe = 1 + 2 + 2 + book.finding_bits
    bits = ID_BITS + 2 + 1 + per_probe * len(book.probes)
    bits += sum(max(1, ceil(log2(len(options) + 1))) for _, options in book.questions)
    return ceil(bits / 5) + CHECK_SYMBOLS


def normalise(code: str, book: Codebook | None = None) -> list[int]:
    """The code's symbols; anything that is no code of this version is refused, and a
    text longer than any code is refused before it is read (the work stays linear)."""
    limit = max_symbols(book or current_codebook())
    if len(code) > 4 * limit:  # room for separators and spaces, typed loosely
        raise CaseCodeError(errors.CODE_TOO_LONG)
    raw = code.strip().upper().replace(" ", "").replace("-", "")
    if raw.startswith(OLD_PREFIXES):
        raise CaseCodeError(errors.CODE_OLD_FORMAT, prefix=PREFIX)
    if not raw.startswith(PREFIX):
        raise CaseCodeError(errors.CODE_PREFIX, prefix=PREFIX)
    out = []
    for ch in raw[len(PREFIX) :]:
        if ch not in _DECODE:
            raise CaseCodeError(errors.CODE_BAD_CHARACTER, ch=clean(ch))
        out.append(_DECODE[ch])
    if len(out) < 4:
        raise CaseCodeError(errors.CODE_TOO_SHORT)
    if len(out) > limit:
        raise CaseCodeError(errors.CODE_TOO_LONG)
    return out


def decode(code: str, book: Codebook | None = None) -> CaseState:
    book = book or current_codebook()
    symbols = normalise(code, book)
    if not intact(symbols):
        raise CaseCodeError(errors.CODE_MISTYPED)
    data = symbols[:-CHECK_SYMBOLS]
    value = int("".join(f"{s:05b}" for s in data) or "0", 2)
    reader = BitReader(value, 5 * len(data))
    ident = reader.get(ID_BITS)
    if ident != book.ident:
        raise CaseCodeError(
            errors.CODE_OTHER_VERSION,
            theirs=f"{ident:03X}",
            ours=f"{book.ident:03X}",
        )
    platform = PLATFORMS[reader.get(2)]
    complete = reader.get(1) == 1
    ran = None if complete else tuple(p.id for p in book.probes if reader.get(1))
    covered = _covered(book, platform, ran)
    classes = [reader.get(2) for _ in covered]
    results: dict[str, tuple[Status, str]] = {}
    statuses: dict[str, Status] = {}
    for p, cls in zip(covered, classes, strict=True):
        code = ""
        if cls == CLASS_BAD:
            which = reader.get(2)
            if which >= len(BAD):
                raise CaseCodeError(UNREADABLE)
            status = BAD[which]
        else:
            status = (Status.OK, Status.WARN, Status.FAIL, Status.SKIP)[cls]
        if cls in (CLASS_BAD, CLASS_WARN):
            index = reader.get(book.finding_bits)
            codes = book.finding_codes(p)
            if index > len(codes):
                raise CaseCodeError(UNREADABLE)
            code = codes[index - 1] if index else ""
        if status == Status.SKIP and _inferred_skip(p, statuses):
            code = runner_results.NEED_FAILED.code
        results[p.id] = (status, code)
        statuses[p.id] = status
    answers = {}
    for qid, options in book.questions:
        chosen = reader.get(max(1, ceil(log2(len(options) + 1))))
        if chosen > len(options):
            raise CaseCodeError(UNREADABLE)
        if chosen:
            answers[qid] = options[chosen - 1]
    if reader.value & ((1 << reader.size) - 1):
        raise CaseCodeError(UNREADABLE)
    return CaseState(platform, results, answers, ran)


def to_results(state: CaseState, book: Codebook | None = None) -> dict[str, Result]:
    """Rebuild results (summaries and findings without parameters) for display and fixes."""
    book = book or current_codebook()
    defs = finding_definitions(book)  # texts from the registry; layout from the table
    out = {}
    for pid, (status, code) in state.results.items():
        finding = [defs[code]()] if code in defs else []
        # Rendered leniently: a code carries no parameters, so a "{reader}" shows as "…".
        summary = (
            Text(finding[0].render("zh-TW"), finding[0].render("en")) if finding else Status.OK.word
        )
        if status == Status.SKIP and not finding:  # a code carries no reason for a skip
            summary = records.NOT_RECORDED
        out[pid] = result(status, summary, *finding)
    return out
