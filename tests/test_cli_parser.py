"""The command line: one argparse tree; the common options may stand before or after the
subcommand, and errors, help and ``--version`` are argparse's."""

from __future__ import annotations

import subprocess
import sys

import pytest

from diagwizard import __version__
from diagwizard.ui import cli
from diagwizard.ui.cli.parser import COMMON_DEFAULTS, SUBCOMMANDS, UsageError, parse


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--only", "pcsc", "--only=pkcs11", "--json"], {"only": ["pcsc", "pkcs11"]}),
        (["--lang", "en", "check", "--symptom", "9056"], {"lang": "en", "symptom": "9056"}),
        (["check", "--lang", "en", "--report", "r.md", "-v"], {"lang": "en", "verbose": True}),
        (["--config", "kb", "kb", "search", "card", "--limit", "3"], {"config": "kb", "limit": 3}),
        (["--no-plugins", "decode", "DW2-ZKHQ"], {"no_plugins": True, "code": ["DW2-ZKHQ"]}),
        (["fix", "--dry-run", "pcsc.start"], {"ids": ["pcsc.start"], "dry_run": True}),
        (["pin-test", "--token", "2", "--pin-stdin"], {"token": 2, "pin_stdin": True}),
        (["helpdesk", "--lang", "zh-TW"], {"command": "helpdesk", "lang": "zh-TW"}),
        (["--config", "check"], {"command": None, "config": "check"}),  # "check" is the file
        ([], {"command": None}),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else "",
)
def test_each_command_line_reads_with_the_common_options_filled_in(
    args: list[str], expected: dict[str, object]
) -> None:
    parsed = vars(parse(args))
    assert {k: parsed[k] for k in expected} == expected
    assert set(COMMON_DEFAULTS) <= set(parsed)


@pytest.mark.parametrize(
    "args",
    [["check", "--bogus"], ["chek"], ["--", "check"], ["kb", "show"], ["check", "x"]],
)
def test_usage_errors_raise_instead_of_exiting(args: list[str]) -> None:
    with pytest.raises(UsageError):
        parse(args)


@pytest.mark.parametrize("ask", ["--help", "--he", "-h"])
def test_help_lists_every_subcommand(ask: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse([ask, "check"])
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)


def test_every_subcommand_has_a_handler() -> None:
    assert set(SUBCOMMANDS) == set(cli.COMMANDS)


def test_version_prints_the_version_and_exits_0() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "diagwizard", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (out.returncode, out.stdout.strip(), out.stderr) == (0, f"diagwizard {__version__}", "")
