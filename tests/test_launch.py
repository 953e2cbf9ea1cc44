"""The entry point's guess: which command lines start the PKCS#11 child before argparse."""

from __future__ import annotations

import subprocess
import sys

import pytest

from diagwizard import __version__
from diagwizard.launch import card_check_ahead


@pytest.mark.parametrize(
    ("argv", "ahead"),
    [
        (["check", "--only", "pkcs11"], True),
        (["--lang", "en", "check", "--json"], True),  # a full check scans the modules
        (["check", "--only=pkcs11.certs"], True),  # reads the token probe's result
        (["check", "--only", "pcsc", "--only", "pkcs11"], True),
        (["check", "--only", "net"], False),
        (["check", "--only=pcsc"], False),
        (["--config", "check", "kb", "list"], False),  # "check" is the config file here
        (["kb", "search", "check"], False),
        (["decode", "DW1-ABCD"], False),
        ([], False),  # the wizard starts its own engine later
    ],
)
def test_card_check_is_recognised_before_parsing(argv: list[str], ahead: bool) -> None:
    assert card_check_ahead(argv) is ahead


def test_version_answers_before_the_command_line_loads() -> None:
    """``--version`` is the start-up time floor (issue 15): no CLI, no msgspec."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "diagwizard", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stdout.strip() == f"diagwizard {__version__}"
    loaded = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()}
    assert not loaded & {"diagwizard.cli", "msgspec", "argparse"}
