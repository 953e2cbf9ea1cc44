"""The entry point's guess: which command lines start the PKCS#11 child before argparse."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import fresh_python

from diagwizard import __version__
from diagwizard.ui.launch import card_check_ahead


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
    assert not loaded & {"diagwizard.ui.cli", "msgspec", "argparse"}


def test_a_one_shot_command_runs_without_the_cycle_collector() -> None:
    """``launch.run`` turns the collector off for a command that exits within seconds
    (issue 15: ~50 collections during start-up); nothing else changes for the user."""
    code = (
        "import gc, os, sys\n"
        "from diagwizard.ui import launch\n"
        "real_exit = os._exit\n"
        "def report(code):\n"
        "    sys.stdout.write(f'{code} {gc.isenabled()}\\n'); sys.stdout.flush(); real_exit(0)\n"
        "os._exit = report\n"
        "sys.argv = ['diagwizard', 'kb', 'show', 'prereq-reader']\n"
        "launch.run()\n"
    )
    assert fresh_python(code).splitlines()[-1] == "0 False"


def test_the_wizard_collects_garbage_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wizard stays up for as long as the user works in it: the collector is on again
    (what start-up made is frozen, so collections skip it)."""
    import gc

    from diagwizard.ui import cli
    from diagwizard.ui.tui import app

    seen: list[tuple[bool, int]] = []

    class FakeApp:
        def run(self) -> None:
            seen.append((gc.isenabled(), gc.get_freeze_count()))

    monkeypatch.setattr(app, "make_app", lambda **kw: FakeApp())
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    gc.disable()
    try:
        assert cli.main([]) == 0
    finally:
        gc.unfreeze()
        gc.enable()
    assert seen and seen[0][0] is True and seen[0][1] > 0
