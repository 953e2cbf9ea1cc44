"""The one catalogue of interface words that more than one view shows.

A string lives here when the terminal, the reports, ``decode`` or the wizard show it in
the same words; a string only one module shows stays a named constant in that module.
Status and area words are properties of the enums (``Status.word``, ``Area.heading``).
"""

from __future__ import annotations

from diagwizard.core.model import Status
from diagwizard.core.text import Text

NOTHING_TO_FIX = Text("沒有需要處理的問題。", "Nothing to fix.")
CASE_CODE = Text("案件代碼", "Case code")
HELPLINE = Text(
    "客服專線 0800-080-117 · cse@moica.nat.gov.tw",
    "Helpline 0800-080-117 · cse@moica.nat.gov.tw",
)
HOW_TO_FIX = Text("處理方式", "How to fix")
# Headings of a KB entry's parts (``kb show`` and the wizard's detail pane).
CAUSES_HEADING = Text("可能原因", "Likely causes")
SYMPTOMS_HEADING = Text("您可能看到的訊息", "Messages you may see")
CHECKING = Text("檢查中", "Checking")

# A decoded case code's heading (``decode`` and the wizard's helpdesk mode).
CASE_HEADING = Text(
    "案件代碼 {code}　平台：{p}　{scope}", "Case code {code}   Platform: {p}   {scope}"
)
COMPLETE_CHECK = Text("完整檢查", "complete check")
PARTIAL_CHECK = Text("部分檢查", "partial check")
PROBLEM_COUNT = Text("需要處理的問題：{n} 個", "Problems to fix: {n}")

# Column headings of the results tables (terminal ``decode`` and the reports).
COLUMN_STATUS = Text("狀態", "Status")
COLUMN_CHECK = Text("檢查項目", "Check")

# The plain-terminal verdict after a full check.
VERDICT_OK = Text("沒有發現會造成登入失敗的問題。", "No problem found that would stop the login.")
VERDICT_PROBLEMS = Text(
    "發現 {n} 個需要處理的問題，請依上列順序處理。",
    "Found {n} problem(s) to fix; work through them in the order above.",
)
SEE_KB = Text("處理方式：diagwizard kb show {id}", "How to fix: diagwizard kb show {id}")

# Terminal colours of a status (always shown with its glyph and word, never alone).
STATUS_STYLE = {
    Status.OK: "green",
    Status.WARN: "yellow",
    Status.FAIL: "bold red",
    Status.SKIP: "dim",
    Status.ERROR: "bold red",
    Status.TIMEOUT: "magenta",
}

# Rows in the wizard's tree: pending and running are not results, so they have no Status.
PENDING_MARK = ("○", Text("等待", "waiting"))
RUNNING_MARK = ("⠿", Text("檢查中", "running"))
ROW_MARK: dict[str | Status, tuple[str, Text]] = {
    "pending": PENDING_MARK,
    "running": RUNNING_MARK,
    **{s: (s.glyph, s.word) for s in Status},
}
