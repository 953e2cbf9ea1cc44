"""Footer labels of the wizard's key bindings (:func:`diagwizard.ui.tui.keys.key`).

Short, so that every footer fits 80 columns in both languages; each label's zh-TW text is
unique (the footer finds the label by it). Buttons for the same action use the same words.
"""

from __future__ import annotations

from diagwizard.core.text import Text

LANGUAGE = Text("English", "中文")  # names the language the key switches to
QUIT = Text("離開", "Quit")
BACK = Text("返回", "Back")
CANCEL = Text("取消", "Cancel")
RECHECK = Text("再檢查", "Re-check")
QUESTIONS = Text("問題", "Questions")
SUMMARY = Text("總結", "Summary")
FIX_IT = Text("幫我修好", "Fix it")
NEXT = Text("下一步", "Next")
PREVIOUS = Text("上一步", "Previous")
CHECK = Text("檢查", "Check")
OTHER_SYSTEMS = Text("其他系統", "Other OS")
EXPORT = Text("匯出", "Export")
OPEN_FOLDER = Text("開資料夾", "Open folder")
NEXT_PROBLEM = Text("下一個", "Next")
PREVIOUS_PROBLEM = Text("上一個", "Previous")
LOG_CASE = Text("記錄案件", "Log case")
EDIT = Text("編輯", "Edit")
FILTER = Text("篩選", "Filter")
REFRESH = Text("重新整理", "Refresh")
