"""Command-line entry point (the console script and ``python -m diagwizard``).

Subcommand modules are imported only when used: ``diagwizard kb show`` need not load the
probes, nor ``check`` the wizard."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import NoReturn

from diagwizard.core import frozen
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.words.terminal import BUG, ERROR_PREFIX, NO_TUI
from diagwizard.engine import registry
from diagwizard.isolation import child, spare
from diagwizard.ui.cli import parser
from diagwizard.ui.cli.parser import UsageError


def _wizard(args: argparse.Namespace, lang: str) -> int:
    """The Textual wizard; without a terminal, fall back to the readable check."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(NO_TUI.get(lang, err="no terminal"), file=sys.stderr)
        args.only, args.json, args.include_personal = [], False, False
        args.redact, args.verbose = False, False
        return _command("check")(args)
    from diagwizard.ui.tui.app import make_app  # lazy: start-up time (Textual)

    make_app(lang=args.lang, config_path=args.config).run()
    return 0


def utf8_when_redirected() -> None:
    """Pipes and files get UTF-8 (undecodable characters replaced), never the ANSI code
    page: on zh-TW Windows that is cp950, which has no ✔ ✘ ⏱ nor rare name characters
    and would end the run with UnicodeEncodeError. Consoles keep their own encoding."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        try:
            if reconfigure is None or stream.isatty():
                continue
            reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):  # closed or detached stream: nothing to fix
            continue


def run() -> NoReturn:
    """The console script and ``python -m diagwizard``."""
    raise SystemExit(main())


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == [frozen.CHILD_MARKER]:  # the frozen program as its own child
        return child.main()
    if "--debug" not in args_list:
        # Library warnings (e.g. cryptography on a CN over 64 characters) name source
        # files and mean nothing to the user; what matters becomes a finding instead.
        warnings.simplefilter("ignore")
    utf8_when_redirected()
    code = _run(args_list)
    frozen.hold_console(code, args_list, resolve_lang(None))
    return code


# Subcommand -> "module:function", imported only when used (start-up time).
COMMANDS = {
    "check": "diagwizard.ui.cli.check:cmd_check",
    "kb": "diagwizard.ui.cli.kb:cmd_kb",
    "decode": "diagwizard.ui.cli.decode:cmd_decode",
    "set-names": "diagwizard.ui.cli.names:cmd_set_names",
    "fix": "diagwizard.ui.cli.fix:cmd_fix",
    "helpdesk": "diagwizard.ui.tui.helpdesk:run_helpdesk",
    "pin-test": "diagwizard.ui.cli.pintest:cmd_pin_test",
    "probes": "diagwizard.ui.cli.probes:cmd_probes",
    "cases": "diagwizard.ui.cli.cases:cmd_cases",
}


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    module, func = COMMANDS[name].split(":")
    handler: Callable[[argparse.Namespace], int] = getattr(import_module(module), func)
    return handler


def _run(args_list: list[str]) -> int:
    lang = resolve_lang(None)
    try:
        args = parser.parse(args_list)
        lang = resolve_lang(args.lang)
        if args.command in (None, "wizard"):
            return _wizard(args, lang)
        if args.command == "check" and registry.may_isolate(args.only):
            spare.start()  # the PKCS#11 scan's child starts while the probes load
        return _command(args.command)(args)
    except UsageError as exc:
        print(f"diagwizard: {ERROR_PREFIX.get(lang)}: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"diagwizard: {ERROR_PREFIX.get(lang)}: {exc.render(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a genuine bug: short message, traceback only with --debug
        if "--debug" in args_list:
            raise
        err = f"{type(exc).__name__}: {exc}"
        print(f"diagwizard: {BUG.get(lang, err=err)}", file=sys.stderr)
        return 70
