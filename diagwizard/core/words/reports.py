"""The Markdown and HTML reports (the JSON report is the check schema, without words)."""

from __future__ import annotations

from diagwizard.core.text import Text

TITLE = Text("diagwizard 診斷報告", "diagwizard diagnosis report")
META = Text("版本 {v} · {platform} · {time}", "Version {v} · {platform} · {time}")
REDACTED = Text("個人資料已隱藏。", "Personal data has been redacted.")
NOT_REDACTED = Text("注意：本報告包含個人資料。", "Warning: this report contains personal data.")
RESULTS = Text("檢查結果", "Results")
FIXES = Text("建議處理順序", "Fixes, in order")
PROBLEMS = Text("需要處理的問題（{n}）", "Problems to fix ({n})")
ANSWERS = Text("使用者的回答", "The user's answers")
COLUMN_SUMMARY = Text("摘要", "Summary")
BAD_FORMAT = Text(
    "報告格式應為 json、md 或 html（{path}）",
    "The report format must be json, md or html ({path})",
)
CANNOT_WRITE = Text("無法寫入報告 {path}：{err}", "Cannot write the report {path}: {err}")
