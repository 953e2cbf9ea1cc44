"""Language choice and the small catalogue of interface strings."""

from __future__ import annotations

import os

from diagwizard.model import LANGS, Status, Text

DEFAULT_LANG = "zh-TW"


def resolve_lang(cli: str | None, configured: str = "") -> str:
    """``--lang`` wins, then the config file, then the locale; zh-TW unless asked otherwise."""
    for choice in (cli, configured):
        if choice and choice in LANGS:
            return choice
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANG
    return DEFAULT_LANG


AREA_TITLES = {
    "card": Text("讀卡機與卡片", "Reader and card"),
    "component": Text("元件", "Components"),
    "cert": Text("憑證", "Certificates"),
    "network": Text("網路", "Network"),
    "system": Text("系統", "System"),
}

# Status marks are words plus symbols, never colour alone.
STATUS_LABEL = {
    Status.OK: Text("✔ 正常", "✔ OK"),
    Status.WARN: Text("! 注意", "! WARN"),
    Status.FAIL: Text("✘ 失敗", "✘ FAIL"),
    Status.SKIP: Text("– 略過", "– SKIP"),
    Status.ERROR: Text("✘ 錯誤", "✘ ERROR"),
    Status.TIMEOUT: Text("⏱ 逾時", "⏱ TIMEOUT"),
}
# Rows in the wizard's tree: a symbol and a short word, distinct for every state a row can
# be in (pending and running are not results, so they have no Status).
ROW_MARK = {
    "pending": ("○", Text("等待", "waiting")),
    "running": ("⠿", Text("檢查中", "running")),
    Status.OK: ("✔", Text("正常", "OK")),
    Status.WARN: ("!", Text("注意", "warning")),
    Status.FAIL: ("✘", Text("問題", "problem")),
    Status.SKIP: ("–", Text("略過", "skipped")),
    Status.ERROR: ("⚠", Text("錯誤", "error")),
    Status.TIMEOUT: ("⏱", Text("逾時", "timeout")),
}
STATUS_STYLE = {
    Status.OK: "green",
    Status.WARN: "yellow",
    Status.FAIL: "bold red",
    Status.SKIP: "dim",
    Status.ERROR: "bold red",
    Status.TIMEOUT: "magenta",
}

T = {
    "error_prefix": Text("錯誤", "Error"),
    "checking": Text("檢查中", "Checking"),
    "verdict_ok": Text(
        "沒有發現會造成登入失敗的問題。", "No problem found that would stop the login."
    ),
    "verdict_problems": Text(
        "發現 {n} 個需要處理的問題，請依上列順序處理。",
        "Found {n} problem(s) to fix; work through them in the order above.",
    ),
    "see_kb": Text("處理方式：diagwizard kb show {id}", "How to fix: diagwizard kb show {id}"),
    "personal_included": Text(
        "注意：輸出包含個人資料（姓名、卡號等），請勿任意分享。",
        "Warning: the output includes personal data (names, card numbers); do not share it freely.",
    ),
    "no_tui": Text(
        "無法啟動互動畫面（{err}），改為執行全面檢查。",
        "Cannot start the interactive wizard ({err}); running the full check instead.",
    ),
    "case_code": Text("案件代碼（請告訴客服人員）", "Case code (read it to the helpdesk)"),
    "report_written": Text("報告已寫入 {path}", "Report written to {path}"),
    "bug": Text(
        "程式內部錯誤（{err}）。請回報此訊息；加上 --debug 可看到詳細資訊。",
        "Internal error ({err}). Please report this; add --debug for details.",
    ),
}
