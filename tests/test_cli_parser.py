"""The command line: parsing with only the named subcommand's parser (issue 15) reads
every command line as the whole tree does, and leaves help and errors to the whole tree."""

from __future__ import annotations

import pytest

from diagwizard.ui import cli
from diagwizard.ui.cli.parser import COMMON_DEFAULTS, SUBCOMMANDS, UsageError, build_parser, parse

LINES = [
    ["check", "--only", "pcsc", "--only=pkcs11", "--json"],
    ["--lang", "en", "check", "--symptom", "9056"],
    ["check", "--lang", "en", "--report", "r.md", "--format", "md", "-v"],
    ["--config", "kb", "kb", "search", "card", "not", "found", "--limit", "3"],
    ["--no-plugins", "decode", "DW1-ZKHQ-WQZW-FR08-10C0-0N"],
    ["fix", "--dry-run", "pcsc.start"],
    ["pin-test", "--token", "2", "--pin-stdin"],
    ["probes", "--json"],
    ["set-names", "--yes"],
    ["helpdesk", "--lang", "zh-TW"],
    ["--config", "check"],  # "check" is the file here
    [],
]


@pytest.mark.parametrize("args", LINES, ids=lambda a: " ".join(a) or "(none)")
def test_each_command_line_reads_as_the_whole_tree_reads_it(args: list[str]) -> None:
    whole = vars(build_parser().parse_args(args))
    assert vars(parse(args)) == {**COMMON_DEFAULTS, **whole}


@pytest.mark.parametrize(
    "args",
    [["check", "--bogus"], ["chek"], ["--", "check"], ["kb", "show"], ["check", "x"]],
)
def test_usage_errors_are_the_whole_trees(args: list[str]) -> None:
    with pytest.raises(UsageError) as whole:
        build_parser().parse_args(args)
    with pytest.raises(UsageError) as ours:
        parse(args)
    assert str(ours.value) == str(whole.value)


@pytest.mark.parametrize("ask", ["--help", "--he", "-h"])
def test_help_lists_every_subcommand(ask: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse([ask, "check"])
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)


def test_every_subcommand_has_a_handler() -> None:
    assert set(SUBCOMMANDS) == set(cli.COMMANDS)
