"""The program's entry point. For a check that will scan PKCS#11 modules it starts the
spare child process first, and only then loads the command line (issue 15).

The child's interpreter start and imports (PyKCS11, cryptography) then overlap all that
the parent loads, instead of following it. The guess reads the arguments without
argparse: if it is wrong, the child is simply not used and exits with us. ``cli`` makes
the same call after parsing (nothing happens when a child is already waiting), for
callers that do not come through here.
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from diagwizard import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

_VALUE_OPTIONS = frozenset({"--config", "--lang"})  # options before the command with a value


def command_word(argv: Sequence[str]) -> str:
    """The subcommand ``argv`` names, read without argparse; "" for none. A guess: the
    callers only use it to do less, and check it against argparse where it matters."""
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        if word in _VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


def card_check_ahead(argv: Sequence[str]) -> bool:
    """Does ``argv`` look like ``check`` with an isolated probe among those it runs?"""
    if command_word(argv) != "check":
        return False
    only: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        if word == "--only":
            only.append(next(words, ""))
        elif word.startswith("--only="):
            only.append(word.removeprefix("--only="))
    from diagwizard.engine import registry  # lazy: start-up time (--version)

    return registry.may_isolate(only)


def start_card_child(first_thing: bool = False) -> None:
    """Start the spare child for the PKCS#11 scan (the one isolated built-in probe).

    ``first_thing``: called from :func:`run` before anything else, so it may be forked.
    """
    from diagwizard import isolation  # lazy: start-up time (issue 15)
    from diagwizard.system.transport import pkcs11_scan  # lazy: start-up time (issue 15)

    isolation.prestart(pkcs11_scan.WARM_MODULES, pkcs11_scan.WARM_LATER, may_fork=first_thing)


def version_line() -> str:
    return f"diagwizard {__version__}"


def keep_collecting() -> None:
    """For a process that stays up (the wizard, helpdesk mode): collect cyclic garbage
    again. What start-up made is frozen first, so later collections do not walk it."""
    gc.freeze()
    gc.enable()


def run() -> NoReturn:
    """The console script and ``python -m diagwizard``. ``--version`` alone answers here,
    before the command line's modules load (issue 15: within 0.1 s).

    The cyclic garbage collector is off from here on (issue 15): a one-shot command
    allocates a few MB and exits, and during start-up CPython would otherwise run some 50
    collections (about 8 ms) that free a few hundred objects. The wizard and helpdesk
    mode turn it on again (:func:`keep_collecting`).
    """
    gc.disable()
    if sys.argv[1:] == ["--version"]:
        print(version_line())
        raise SystemExit(0)
    if card_check_ahead(sys.argv[1:]):
        try:
            start_card_child(first_thing=True)
        except Exception:  # only a head start: the probe starts its own child
            pass
    from diagwizard.ui.cli import run as cli_run  # lazy: after the child's start (issue 15)

    cli_run()
