"""Words that more than one view shows, in the same form."""

from __future__ import annotations

from diagwizard.core.text import Text

NOTHING_TO_FIX = Text("沒有需要處理的問題。", "Nothing to fix.")
CASE_CODE = Text("案件代碼", "Case code")
HELPLINE = Text(
    "客服專線 0800-080-117 · cse@moica.nat.gov.tw",
    "Helpline 0800-080-117 · cse@moica.nat.gov.tw",
)
HOW_TO_FIX = Text("處理方式", "How to fix")
# Headings of a KB entry's parts (``kb show``, reports and the wizard's detail pane).
CAUSES_HEADING = Text("可能原因", "Likely causes")
SYMPTOMS_HEADING = Text("您可能看到的訊息", "Messages you may see")
CHECKING = Text("檢查中", "Checking")
CHECKING_NOW = Text("檢查中…", "Checking…")

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
