"""The case-code book: what encoder and decoder must agree on (the built-in probes' ids,
platforms, needs and finding codes, in registry order, and the guided questions' options).

A run encodes its code from :mod:`diagwizard.diagnosis.codebook_data`, a generated table, so it
imports no check module, no registry and no TOML parser (issue 15: that cost ~50 ms of
processor time beside the probes). Decoding reads the same table for the code's layout and
the registry only for what it shows (titles, finding texts). ``tests/test_generated.py``
compares the table with the live registry and ``kb/questions.toml``; after changing a
probe's codes or the questions, run ``python scripts/dev/generate.py``.
"""

from __future__ import annotations

import json
from functools import cache
from math import ceil, log2
from typing import TYPE_CHECKING

import msgspec

from diagwizard.engine import runner_results

if TYPE_CHECKING:
    from diagwizard.api.probe import Probe
    from diagwizard.core.model import FindingDef

ID_BITS = 12
REGENERATE = "python scripts/dev/generate.py"
# The runner's own findings (timeout, crash, ...), which any probe may end with.
GENERIC = tuple(d.code for d in runner_results.CODES)


class BookProbe(msgspec.Struct, frozen=True):
    """What a case code needs to know of one built-in probe."""

    id: str
    platforms: tuple[str, ...]
    needs: tuple[str, ...]
    codes: tuple[str, ...]  # its findings, on_crash/on_timeout included; not GENERIC


class Codebook(msgspec.Struct, frozen=True):
    """The shared vocabulary of encoder and decoder: built-in probes, codes, questions."""

    probes: tuple[BookProbe, ...]
    questions: tuple[tuple[str, tuple[str, ...]], ...]  # (question id, option ids)
    # The table's ident, computed when it was generated (no hashlib, i.e. OpenSSL, to load).
    known_ident: int | None = None

    def finding_codes(self, probe: BookProbe) -> tuple[str, ...]:
        """The codes a main finding is numbered in (1-based; 0 is "none of these")."""
        return probe.codes + GENERIC

    @property
    def finding_bits(self) -> int:
        return max(1, ceil(log2(max(len(self.finding_codes(p)) for p in self.probes) + 1)))

    @property
    def probe_bits(self) -> int:
        return max(1, ceil(log2(len(self.probes) + 1)))

    @property
    def ident(self) -> int:
        """A hash of the probe ids, their codes and the questions' options."""
        if self.known_ident is not None:
            return self.known_ident
        import hashlib  # lazy: loads OpenSSL (~4 ms); only a book not from the table needs it

        text = "|".join(
            [p.id + ":" + ",".join(self.finding_codes(p)) for p in self.probes]
            + [q + ":" + ",".join(opts) for q, opts in self.questions]
        )
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % (1 << ID_BITS)


@cache
def current_codebook() -> Codebook:
    """The book of this version, from the generated table."""
    from diagwizard.diagnosis import codebook_data  # lazy: the generator runs when broken

    probes = tuple(BookProbe(*row) for row in codebook_data.PROBES)
    return Codebook(probes, codebook_data.QUESTIONS, codebook_data.IDENT)


def book_probe(probe: Probe) -> BookProbe:
    extra = tuple(
        d for d in (probe.on_crash, probe.on_timeout) if d is not None and d not in probe.codes
    )
    codes = tuple(d.code for d in probe.codes + extra)
    return BookProbe(probe.id, tuple(sorted(probe.platforms)), probe.needs, codes)


def live_codebook() -> Codebook:
    """The book as the built-in probes and ``questions.toml`` state it today (what the
    table is generated from and compared with)."""
    from diagwizard.engine import declarations  # lazy: imports every check module
    from kb.questions import questions  # lazy: TOML parsing; generator and tests

    probes = tuple(book_probe(p) for _, p in declarations.builtin_probes())
    qs = tuple((q.id, tuple(o.id for o in q.options)) for q in questions().values())
    return Codebook(probes, qs)


def live_probes(book: Codebook) -> dict[str, Probe]:
    """The registry's probes of the book, in the book's order (for showing a decoded code)."""
    from diagwizard.engine import registry  # lazy: imports every check module; decoding only

    reg = registry.load(plugins=False)
    return {p.id: reg.probes[p.id] for p in book.probes if p.id in reg.probes}


def finding_definitions(book: Codebook) -> dict[str, FindingDef]:
    """The finding definitions (texts) of every code in the book."""
    probes = live_probes(book).values()
    defs = {d.code: d for p in probes for d in (*p.codes, p.on_crash, p.on_timeout) if d}
    defs |= {d.code: d for d in runner_results.CODES}
    return {c: defs[c] for p in book.probes for c in book.finding_codes(p) if c in defs}


def render(book: Codebook) -> str:
    """The text of ``codebook_data.py`` for ``book``: deterministic and ruff-format clean."""
    lines = [HEADER]
    lines.append("PROBES: tuple[Row, ...] = (")
    for p in book.probes:
        lines.append("    (")
        lines.append(f"        {json.dumps(p.id)},")
        lines.extend(_tuple(items, 8) for items in (p.platforms, p.needs, p.codes))
        lines.append("    ),")
    lines.append(")")
    lines.append("QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (")
    for qid, options in book.questions:
        lines.append(f"    ({json.dumps(qid)}, {_inline(options)}),")
    lines.append(")")
    lines.append("# The book's ident (see Codebook.ident), kept so that encoding loads no hashlib.")
    lines.append(f"IDENT = 0x{Codebook(book.probes, book.questions).ident:03X}")
    return "\n".join(lines) + "\n"


def _inline(items: tuple[str, ...]) -> str:
    inner = ", ".join(json.dumps(s) for s in items)
    return f"({inner},)" if len(items) == 1 else f"({inner})"


def _tuple(items: tuple[str, ...], indent: int) -> str:
    """One field: on its line if it fits in 100 columns, else one item a line."""
    pad = " " * indent
    one = f"{pad}{_inline(items)},"
    if len(one) <= 100:
        return one
    body = "".join(f"{pad}    {json.dumps(s)},\n" for s in items)
    return f"{pad}(\n{body}{pad}),"


HEADER = '''"""Generated by ``python scripts/dev/generate.py`` from the declarations in
``checks/`` and ``kb/questions.toml``: do not edit. ``tests/test_generated.py`` fails when it
is stale. The case-code book's facts; data only, so that encoding a case code imports
nothing else (see :mod:`diagwizard.diagnosis.codebook`)."""

from __future__ import annotations

# (probe id, platforms, needs, finding codes without the runner's generic ones), in
# registry order; then (question id, option ids).
Row = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
'''
