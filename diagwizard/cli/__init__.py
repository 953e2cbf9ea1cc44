"""Command-line entry point. Subcommand modules are imported only when used, so that
``diagwizard --version`` stays fast."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import NoReturn

from diagwizard import frozen, launch, probe_index
from diagwizard.errors import UserError
from diagwizard.i18n import resolve_lang
from diagwizard.text import Text

ERROR_PREFIX = Text("錯誤", "Error")
NO_TUI = Text(
    "無法啟動互動畫面（{err}），改為執行全面檢查。",
    "Cannot start the interactive wizard ({err}); running the full check instead.",
)
BUG = Text(
    "程式內部錯誤（{err}）。請回報此訊息；加上 --debug 可看到詳細資訊。",
    "Internal error ({err}). Please report this; add --debug for details.",
)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our one-line format."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


class UsageError(Exception):
    pass


COMMON_DEFAULTS = {"config": None, "lang": None, "no_plugins": False, "debug": False}


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS defaults: these options may stand before or after the subcommand
    # without the subparser's default overwriting the value (an argparse quirk).
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--config", metavar="FILE", help="configuration file (TOML)")
    common.add_argument("--lang", choices=["zh-TW", "en"], help="output language")
    common.add_argument("--no-plugins", action="store_true", help="load built-in probes only")
    common.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    parser = _Parser(
        prog="diagwizard",
        description="自然人憑證登入問題診斷精靈 / Diagnose smart-card certificate login problems.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=launch.version_line())
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", parents=[common], help="run the probes / 執行檢查")
    check.add_argument("--only", action="append", default=[], metavar="ID_OR_PREFIX")
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument(
        "--symptom", metavar="TEXT", default="", help="the message you saw / 您看到的訊息"
    )
    check.add_argument(
        "--include-personal",
        action="store_true",
        help="keep personal data in --json and --report output / --json 與報告保留個人資料",
    )
    check.add_argument(
        "--redact",
        action="store_true",
        help="hide personal data on this screen too, as in a report (before you share or "
        "paste it) / 畫面上也隱藏個人資料，與報告相同（分享或貼上畫面前使用）",
    )
    check.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="show each check's facts and raw details / 顯示每項檢查的資料與詳細內容",
    )
    check.add_argument("--report", metavar="FILE", help="also write a report (.json, .md or .html)")
    check.add_argument(
        "--format", choices=["json", "md", "html"], help="report format (default: from FILE)"
    )

    decode = sub.add_parser(
        "decode", parents=[common], help="read a helpdesk case code / 解讀案件代碼"
    )
    decode.add_argument("code", nargs="+", help="the case code, e.g. DW1-ZKHQ-WQZW-FR08-10C0-0N")
    sub.add_parser("helpdesk", parents=[common], help="helpdesk mode / 客服模式")
    names = sub.add_parser(
        "set-names",
        parents=[common],
        help="Windows: distinct friendly names (FAQ 10) / 設定好記的名稱",
    )
    names.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    fix = sub.add_parser("fix", parents=[common], help="apply safe fixes after consent / 幫我修好")
    fix.add_argument("ids", nargs="*", metavar="ID", help="only these fixes")
    fix.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    fix.add_argument("--yes", action="store_true", help="apply without asking")
    fix.add_argument("--undo", action="store_true", help="revert the last fix that can be undone")

    probes = sub.add_parser(
        "probes", parents=[common], help="list registered probes / 列出檢查項目"
    )
    probes.add_argument("--json", action="store_true")
    kb = sub.add_parser("kb", parents=[common], help="knowledge base / 知識庫")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, parser_class=_Parser)
    kb_list = kb_sub.add_parser("list", parents=[common], help="list entries")
    kb_list.add_argument("--json", action="store_true")
    kb_show = kb_sub.add_parser("show", parents=[common], help="show one entry")
    kb_show.add_argument("id")
    kb_search = kb_sub.add_parser("search", parents=[common], help="search by error message")
    kb_search.add_argument("text", nargs="+")
    kb_search.add_argument("--json", action="store_true")
    kb_search.add_argument("--limit", type=int, default=5)
    pin = sub.add_parser(
        "pin-test", parents=[common], help="test the card PIN (uses a try if wrong) / 測試 PIN 碼"
    )
    pin.add_argument("--token", type=int, metavar="N", help="which card, when several are read")
    pin.add_argument("--i-understand", action="store_true", help="allow the test on the final try")
    pin.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    return parser


def _wizard(args: argparse.Namespace, lang: str) -> int:
    """The Textual wizard; without a terminal, fall back to the readable check."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(NO_TUI.get(lang, err="no terminal"), file=sys.stderr)
        args.only, args.json, args.include_personal = [], False, False
        args.redact, args.verbose = False, False
        return _command("check")(args)
    from diagwizard.tui.app import make_app  # lazy: start-up time (Textual)

    global _tui_ran
    _tui_ran = True
    launch.keep_collecting()
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


_tui_ran = False


def run() -> NoReturn:
    """The console script: :func:`main`, then a fast exit (issue 15).

    Once the output is flushed and the reports are closed, the interpreter's teardown
    (module clean-up, joining nothing useful, a hung probe's daemon thread) only costs
    time, so the process ends with ``os._exit``. The wizard exits normally: Textual
    restores the terminal and its own threads on the way out.
    """
    code = main()
    if _tui_ran:
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed or broken pipe: nothing more to say
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == [frozen.CHILD_MARKER]:  # the frozen program as its own child
        from diagwizard.child import main as child_main  # lazy: start-up time

        return child_main()
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
    "check": "diagwizard.cli.check:cmd_check",
    "kb": "diagwizard.cli.kb:cmd_kb",
    "decode": "diagwizard.cli.decode:cmd_decode",
    "set-names": "diagwizard.cli.names:cmd_set_names",
    "fix": "diagwizard.cli.fix:cmd_fix",
    "helpdesk": "diagwizard.tui.helpdesk:run_helpdesk",
    "pin-test": "diagwizard.cli.pintest:cmd_pin_test",
    "probes": "diagwizard.cli.probes:cmd_probes",
}


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    module, func = COMMANDS[name].split(":")
    handler: Callable[[argparse.Namespace], int] = getattr(import_module(module), func)
    return handler


def _run(args_list: list[str]) -> int:
    parser = build_parser()
    lang = resolve_lang(None)
    try:
        args = parser.parse_args(args_list)
        for name, default in COMMON_DEFAULTS.items():
            if not hasattr(args, name):
                setattr(args, name, default)
        lang = resolve_lang(args.lang)
        if args.command in (None, "wizard"):
            return _wizard(args, lang)
        if args.command == "check" and probe_index.may_isolate(args.only):
            launch.start_card_child()  # nothing to do if diagwizard.launch started it
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
