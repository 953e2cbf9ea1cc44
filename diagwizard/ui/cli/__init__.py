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
from diagwizard.core.i18n import resolve_lang
from diagwizard.engine import selection
from diagwizard.ui.cli import parser
from diagwizard.ui.cli.parser import UsageError


def _plain_check(args: argparse.Namespace) -> int:
    args.only, args.json, args.include_personal = [], False, False
    args.redact, args.verbose = False, False
    return _command("check")(args)


def _wizard(args: argparse.Namespace, lang: str) -> int:
    """The Textual wizard, drawn for the console it was started in (README "Windows
    consoles"); without a terminal, or in Windows' legacy console, the readable check."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from diagwizard.core.words.terminal import NO_TUI  # lazy: see _run

        print(NO_TUI.get(lang, err="no terminal"), file=sys.stderr)
        return _plain_check(args)
    from diagwizard.core.words.terminal import CONSOLE_LEGACY  # lazy: see _run
    from diagwizard.system.adapters import winconsole  # lazy: start-up time (ctypes)

    kind = winconsole.current()
    if kind in (winconsole.ConsoleKind.LEGACY, winconsole.ConsoleKind.NONE):
        print(CONSOLE_LEGACY.get(lang), file=sys.stderr)
        code = _plain_check(args)
        frozen.hold_console(code, [], lang, always=True)  # the window would close unread
        return code
    from diagwizard.ui.tui.app import make_app  # lazy: start-up time (Textual)

    ascii_cells = kind is winconsole.ConsoleKind.CONHOST
    make_app(lang=args.lang, config_path=args.config, ascii_cells=ascii_cells).run()
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
        from diagwizard.isolation import child  # lazy: only the frozen program's child

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
    """Parse, start the PKCS#11 scan's spare child where a check will want it, then load
    and run the command. Only argparse, the parser and the generated probe index load
    before the spare starts (see ``diagwizard.isolation.spare``): everything else here is
    imported after it."""
    lang = resolve_lang(None)
    try:
        args = parser.parse(args_list)
    except UsageError as exc:
        return _usage_error(str(exc), lang)
    lang = resolve_lang(args.lang)
    if args.command == "check" and selection.may_isolate(args.only):
        from diagwizard.isolation import spare  # lazy: msgspec and subprocess, only here

        spare.start()  # the PKCS#11 scan's child starts while the probes load
    from diagwizard.core.errors import UserError  # lazy: after the spare's start
    from diagwizard.core.sanitize import clean  # lazy: as UserError
    from diagwizard.core.words.terminal import BUG, ERROR_PREFIX  # lazy: as UserError

    try:
        if args.command in (None, "wizard"):
            return _wizard(args, lang)
        return _command(args.command)(args)
    # Errors quote what was typed or read (a case code, a path, a config value): the one
    # sanitiser shows any control character as an escape instead of sending it raw.
    except UsageError as exc:
        return _usage_error(str(exc), lang)
    except UserError as exc:
        print(f"diagwizard: {ERROR_PREFIX.get(lang)}: {clean(exc.render(lang))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a genuine bug: short message, traceback only with --debug
        if "--debug" in args_list:
            raise
        err = clean(f"{type(exc).__name__}: {exc}")
        print(f"diagwizard: {BUG.get(lang, err=err)}", file=sys.stderr)
        return 70


def _usage_error(message: str, lang: str) -> int:
    from diagwizard.core.sanitize import clean  # lazy: see _run
    from diagwizard.core.words.terminal import ERROR_PREFIX  # lazy: see _run

    # What was typed is quoted: the one sanitiser shows a control character as an escape.
    print(f"diagwizard: {ERROR_PREFIX.get(lang)}: {clean(message)}", file=sys.stderr)
    return 2
