"""The Markdown and HTML reports (the JSON report is the check schema, without words)."""

from __future__ import annotations

from diagwizard.core.text import Text

TITLE = Text("diagwizard 診斷報告", "diagwizard diagnosis report")
META = Text("版本 {v} · {platform} · {time}", "Version {v} · {platform} · {time}")
REDACTED = Text("個人資料已隱藏。", "Personal data has been redacted.")
NOT_REDACTED = Text("注意：本報告包含個人資料。", "Warning: this report contains personal data.")
RESULTS = Text("檢查結果", "Results")
PROBLEMS = Text("需要處理的問題（{n}）", "Problems to fix ({n})")
ANSWERS = Text("使用者的回答", "The user's answers")
COLUMN_SUMMARY = Text("摘要", "Summary")
COLUMN_NOTE = Text("說明", "Note")
# The verdict the report opens with, each problem's heading and what it rests on.
VERDICT_PROBLEMS = Text(
    "找到 {n} 個問題，請依下列順序處理。", "Found {n} problem(s); fix them in this order."
)
VERDICT_OK = Text("沒有找到會造成登入失敗的問題。", "No problem found that would stop the login.")
VERDICT_INCOMPLETE = Text("沒有完成任何檢查。", "Nothing could be checked.")
PROBLEM_HEADING = Text("問題 {n}：{headline}", "Problem {n}: {headline}")
FIX_HEADING = Text("處理方式（{os}）：{title}", "How to fix ({os}): {title}")
EVIDENCE = Text("檢查結果顯示：", "What the checks show:")
DETAILS = Text("詳細資料（給技術人員）", "Details (for technical staff)")
DETAILS_NOTE = Text(
    "檢查代碼、狀態與發現代碼，供客服與技術人員查詢。",
    "Check ids, statuses and finding codes, for the helpdesk and technical staff.",
)
BAD_FORMAT = Text(
    "報告格式應為 json、md 或 html（{path}）",
    "The report format must be json, md or html ({path})",
)
CANNOT_WRITE = Text("無法寫入報告 {path}：{err}", "Cannot write the report {path}: {err}")
