"""The case-code book's generated table: it matches the probes and questions it was made
from, a run encodes from it without importing any probe module, and codes made from it are
those a book built from the live registry makes."""

from __future__ import annotations

from pathlib import Path

from helpers import fresh_python

from diagwizard.core.model import FindingDef, Result, Status, result
from diagwizard.core.text import Text
from diagwizard.diagnosis import casecode, codebook, codebook_data
from diagwizard.engine import runner_results

TABLE = Path(codebook_data.__file__)


def test_the_table_is_the_live_book() -> None:
    live = codebook.live_codebook()
    table = codebook.current_codebook()
    assert (table.probes, table.questions, table.ident) == (live.probes, live.questions, live.ident)


def test_encoding_imports_no_probe_module_registry_or_toml_parser() -> None:
    code = (
        "import sys\n"
        "from diagwizard.diagnosis import casecode\n"
        "print(casecode.code_for({}, {'reader_light': 'no'}, 'linux'))\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    case, modules = fresh_python(code).splitlines()
    assert case.startswith("DW2-")
    loaded = set(modules.split())
    assert not {m for m in loaded if m.startswith("checks")}
    assert not loaded & {
        "diagwizard.engine.registry",
        "kb.questions",
        "tomllib",  # (msgspec.toml is always imported with msgspec; it parses nothing)
        "hashlib",  # the table holds its ident
    }


def _runs() -> list[tuple[dict[str, Result], dict[str, str], str]]:
    """Representative runs: healthy, a dead card service, a partial card run that timed
    out, a probe's own code and a code the book does not know, with answers."""
    ok = Text("好", "fine")
    book = codebook.current_codebook()
    every = {p.id: result(Status.OK, ok) for p in book.probes}
    dead = every | {"pcsc.service": result(Status.FAIL, ok, _def("pcsc.E002")())}
    card = {
        "pcsc.service": result(Status.OK, ok),
        "pkcs11.token": result(Status.TIMEOUT, ok, runner_results.TIMED_OUT(seconds=5)),
        "pcsc.card": result(Status.WARN, ok, _def("pcsc.W025")()),
        "sys.os": result(Status.WARN, ok, runner_results.RAISED(error="x")),
    }
    answers = {q: opts[-1] for q, opts in book.questions}
    return [
        (every, {}, "linux"),
        (dead, {"reader_light": "no"}, "windows"),
        (card, answers, "macos"),
        (card, {"reader_light": "not an option"}, "plan9"),
    ]


def _def(code: str) -> FindingDef:
    return codebook.finding_definitions(codebook.current_codebook())[code]


def test_codes_from_the_table_are_those_of_the_live_registry() -> None:
    table, live = codebook.current_codebook(), codebook.live_codebook()
    for results, answers, platform in _runs():
        made = casecode.code_for(results, answers, platform, table)
        assert made == casecode.code_for(results, answers, platform, live)
        assert casecode.decode(made, live) == casecode.decode(made, table)


def test_decoding_shows_the_text_of_every_code_in_the_book() -> None:
    book = codebook.current_codebook()
    defs = codebook.finding_definitions(book)
    assert set(defs) == {c for p in book.probes for c in book.finding_codes(p)}
    state = casecode.CaseState("linux", {"pkcs11.token": (Status.TIMEOUT, "runner.E001")})
    shown = casecode.to_results(casecode.decode(casecode.encode(state, book), book), book)
    assert shown["pkcs11.token"].findings[0].code == "runner.E001"
    assert "did not finish" in shown["pkcs11.token"].summary.get("en")
