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
# A result's mark in the tables of ``decode`` and the reports: which problem it shows, or
# which problem it follows from.
PROBLEM_N = Text("問題 {n}", "problem {n}")
CAUSED_BY_N = Text("由問題 {n} 造成", "caused by problem {n}")

# Column headings of the results tables (terminal ``decode`` and the reports).
COLUMN_STATUS = Text("狀態", "Status")
COLUMN_CHECK = Text("檢查項目", "Check")

# The other parts of a KB entry, as ``kb show``, reports and the wizard lay it out.
KB_GUIDE = Text("指南出處", "In the guide")
KB_LEGACY = Text(
    "舊版（Windows 98／IE 時代）項目，現代的對應做法",
    "Legacy item (Windows 98 / IE era); the modern equivalent",
)
KB_STEPS = Text("步驟", "Steps")
KB_ERROR_CODES = Text("錯誤代碼", "Error codes")
KB_STEP = Text("步驟", "Step")
KB_CHECKED_BY = Text("可由以下檢查確認", "Checked by")
KB_CONFIRM = Text("處理後，以下檢查應通過", "After the fix, these checks should pass")
KB_CODES = Text("相關檢查代碼", "Finding codes")
KB_REFS = Text("參考資料與客服", "References and help")
KB_PLATFORMS = Text("適用平台", "Platforms")
KB_ONLY_IF = Text("只在以下情況都成立時", "Only if all of these hold")
# Conditions a KB step may depend on ("only if all of these hold").
IF_PIN_NEVER_CHANGED = Text("您從未改過 PIN 碼", "you never changed the PIN")
IF_PIN_TRIES_LEFT = Text("PIN 碼還剩一次以上的嘗試機會", "more than one PIN try remains")

# Fix steps are numbered per system; these head them (``kb show``, reports, ``check``,
# the wizard's detail pane).
FIX_FOR = Text("處理方式（{os}）", "How to fix ({os})")
OTHER_SYSTEMS = Text("其他作業系統的步驟", "Steps for other systems")
OTHER_SYSTEMS_HINT = Text(
    "其他作業系統的步驟已收起，按 o 顯示。", "Steps for other systems are hidden; press o."
)
OTHER_SYSTEMS_CLI = Text(
    "其他作業系統的步驟：diagwizard kb show {id} --os {others}",
    "Steps for other systems: diagwizard kb show {id} --os {others}",
)
# How the fix steps name a system (the same in both languages today).
PLATFORM_NAMES = {
    "windows": Text("Windows", "Windows"),
    "macos": Text("macOS", "macOS"),
    "linux": Text("Linux", "Linux"),
}
