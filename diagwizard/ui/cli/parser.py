"""The command line's grammar (argparse): one parser tree with every subcommand."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from diagwizard import __version__


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our one-line format."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


COMMON_DEFAULTS = {"config": None, "lang": None, "no_plugins": False, "debug": False}
# (name, help) -> a new subcommand parser that takes the common options too
Add = Callable[[str, str], argparse.ArgumentParser]


def parse(args: Sequence[str]) -> argparse.Namespace:
    """``args`` parsed, with the common options' defaults filled in; raises UsageError."""
    parsed = build_parser().parse_args(args)
    for name, default in COMMON_DEFAULTS.items():
        if not hasattr(parsed, name):
            setattr(parsed, name, default)
    return parsed


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
    parser.add_argument("--version", action="version", version=f"diagwizard {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help)

    for add_options in SUBCOMMANDS.values():
        add_options(add, common)
    return parser


def _check(add: Add, common: _Parser) -> None:
    check = add("check", "run the probes / 執行檢查")
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


def _decode(add: Add, common: _Parser) -> None:
    decode = add("decode", "read a helpdesk case code / 解讀案件代碼")
    # A format hint, not a sample code (one would stop decoding when the code book changes).
    decode.add_argument(
        "code", nargs="+", help="the case code the caller reads out (starts with DW2-)"
    )
    decode.add_argument("--log", action="store_true", help="log the case / 記錄這個案件")
    _case_details(decode, fix=True)
    decode.add_argument("--agent", metavar="NAME", help="who handled it / 處理人員")


OUTCOMES = ("open", "fixed", "escalated")


def _case_details(parser: argparse.ArgumentParser, fix: bool) -> None:
    parser.add_argument("--outcome", choices=OUTCOMES, help="how the call ended / 結果")
    parser.add_argument("--note", metavar="TEXT", help="a short note, no personal data / 附註")
    if fix:
        parser.add_argument("--fix", metavar="FIX_ID", help="the fix that worked / 有效的修正")


def _case_number(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a case number (1, 2, ...), got {value[:20]!r}")
    return int(value)


def _cases(add: Add, common: _Parser) -> None:
    cases = add("cases", "the helpdesk's case log / 案件紀錄")
    sub = cases.add_subparsers(dest="cases_command", required=True, parser_class=_Parser)

    def filters(p: argparse.ArgumentParser, since: str | None) -> None:
        p.add_argument("--since", metavar="SPAN", default=since, help="e.g. 24h, 7d / 例如 24h、7d")
        p.add_argument("--problem", metavar="CODE", default="", help="only cases with this problem")
        p.add_argument("--outcome", choices=OUTCOMES, help="only cases that ended so")

    listing = sub.add_parser("list", parents=[common], help="recent cases / 最近的案件")
    filters(listing, "7d")
    listing.add_argument("--limit", type=_case_number, default=50, metavar="N")
    listing.add_argument("--json", action="store_true")
    show = sub.add_parser("show", parents=[common], help="one case / 一個案件")
    show.add_argument("number", type=_case_number, metavar="N")
    show.add_argument("--json", action="store_true")
    update = sub.add_parser("update", parents=[common], help="change a case / 更新案件")
    update.add_argument("number", type=_case_number, metavar="N")
    _case_details(update, fix=True)
    stats = sub.add_parser("stats", parents=[common], help="cases per problem, waves / 統計")
    stats.add_argument("--since", metavar="SPAN", default="7d", help="e.g. 24h, 7d / 例如 24h、7d")
    stats.add_argument("--json", action="store_true")
    export = sub.add_parser("export", parents=[common], help="write the cases as CSV / 匯出")
    export.add_argument("--csv", metavar="FILE", required=True)
    filters(export, None)
    sub.add_parser("sync", parents=[common], help="send the local queue / 送出本機佇列")
    info = sub.add_parser("info", parents=[common], help="where, schema version / 位置與版本")
    info.add_argument("--json", action="store_true")


def _helpdesk(add: Add, common: _Parser) -> None:
    add("helpdesk", "helpdesk mode / 客服模式")


def _set_names(add: Add, common: _Parser) -> None:
    names = add("set-names", "Windows: distinct friendly names (FAQ 10) / 設定好記的名稱")
    names.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def _fix(add: Add, common: _Parser) -> None:
    fix = add("fix", "apply safe fixes after consent / 幫我修好")
    fix.add_argument("ids", nargs="*", metavar="ID", help="only these fixes")
    fix.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    fix.add_argument("--yes", action="store_true", help="apply without asking")
    fix.add_argument("--undo", action="store_true", help="revert the last fix that can be undone")


def _probes(add: Add, common: _Parser) -> None:
    add("probes", "list registered probes / 列出檢查項目").add_argument(
        "--json", action="store_true"
    )


def _kb(add: Add, common: _Parser) -> None:
    kb = add("kb", "knowledge base / 知識庫")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, parser_class=_Parser)
    kb_list = kb_sub.add_parser("list", parents=[common], help="list entries")
    kb_list.add_argument("--json", action="store_true")
    kb_show = kb_sub.add_parser("show", parents=[common], help="show one entry")
    kb_show.add_argument("id")
    kb_show.add_argument(
        "--os",
        choices=("windows", "macos", "linux", "all"),
        help="whose fix steps to show (default: this computer's system)",
    )
    kb_search = kb_sub.add_parser("search", parents=[common], help="search by error message")
    kb_search.add_argument("text", nargs="+")
    kb_search.add_argument("--json", action="store_true")
    kb_search.add_argument("--limit", type=int, default=5)


def _pin_test(add: Add, common: _Parser) -> None:
    pin = add("pin-test", "test the card PIN (uses a try if wrong) / 測試 PIN 碼")
    pin.add_argument("--token", type=int, metavar="N", help="which card, when several are read")
    pin.add_argument("--i-understand", action="store_true", help="allow the test on the final try")
    pin.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")


# In the order `diagwizard --help` lists them.
SUBCOMMANDS: dict[str, Callable[[Add, _Parser], None]] = {
    "check": _check,
    "decode": _decode,
    "helpdesk": _helpdesk,
    "set-names": _set_names,
    "fix": _fix,
    "probes": _probes,
    "kb": _kb,
    "cases": _cases,
    "pin-test": _pin_test,
}
