"""The command line: errors, ``check``'s readable output, ``decode``, ``kb``, ``probes`` and
``set-names`` (``pin-test`` has :mod:`.pintest`, ``fix`` has :mod:`.fixes`)."""

from __future__ import annotations

from diagwizard.core.text import Text

# -- errors and the wizard's fallback ------------------------------------------------------
ERROR_PREFIX = Text("錯誤", "Error")
NO_TUI = Text(
    "無法啟動互動畫面（{err}），改為執行全面檢查。",
    "Cannot start the interactive wizard ({err}); running the full check instead.",
)
# The console window the wizard was started in (Windows; see system/adapters/winconsole).
CONSOLE_ASCII = Text(
    "這是舊式主控台視窗，框線改用簡單字元顯示。要完整的畫面，請在 Windows Terminal 中執行 diagwizard.exe。",
    "This is the classic console window, so frames are drawn with plain characters. "
    "For the full display, run diagwizard.exe in Windows Terminal.",
)
CONSOLE_LEGACY = Text(
    "這個主控台視窗無法顯示互動畫面（已勾選「使用舊版主控台」），改為執行全面檢查。"
    "要使用互動畫面，請在視窗標題列按右鍵 →「內容」取消該選項，或在 Windows Terminal 中執行 diagwizard.exe。",
    "This console window cannot show the wizard (“Use legacy console” is on); running the "
    "full check instead. For the wizard, right-click the title bar → Properties and turn "
    "that option off, or run diagwizard.exe in Windows Terminal.",
)
BUG = Text(
    "程式內部錯誤（{err}）。請回報此訊息；加上 --debug 可看到詳細資訊。",
    "Internal error ({err}). Please report this; add --debug for details.",
)

# -- check -------------------------------------------------------------------------------
CASE_CODE_LINE = Text("案件代碼（請告訴客服人員）", "Case code (read it to the helpdesk)")
REPORT_WRITTEN = Text("報告已寫入 {path}", "Report written to {path}")
PERSONAL_INCLUDED = Text(
    "注意：輸出包含個人資料（姓名、卡號等），請勿任意分享。",
    "Warning: the output includes personal data (names, card numbers); do not share it freely.",
)
NEEDS_FILE_NAME = Text("--report 需要一個檔名", "--report needs a file name")
# The readable results, grouped by area; then the problems in order and the verdict.
OTHER_AREA = Text("其他", "Other")
MORE_LIKE_THIS = Text("（{code} 另有 {n} 項相同）", "({n} more {code} like this)")
EXPLAINED = Text("原因見「{title}」", "Caused by “{title}”")
PROBLEMS_IN_ORDER = Text("需要處理的問題（{n}），依序：", "Problems to fix ({n}), in order:")
NOTHING_CHECKED = Text(
    "沒有完成任何檢查，無法判斷是否有問題。", "Nothing could be checked, so nothing is known yet."
)
BASED_ON = Text("依據您看到的訊息「{message}」", "From the message you saw: “{message}”")
ALSO_EXPLAINS = Text("也說明了：{names}", "Also explains: {names}")
VERDICT_OK = Text("沒有發現會造成登入失敗的問題。", "No problem found that would stop the login.")
VERDICT_PROBLEMS = Text(
    "發現 {n} 個需要處理的問題，請依上列順序處理。",
    "Found {n} problem(s) to fix; work through them in the order above.",
)
FIX_AT = Text("處理方式：diagwizard kb show {id}", "How to fix: diagwizard kb show {id}")
FIX_TITLED = Text("處理方式：{title}", "How to fix: {title}")  # heads the fix's steps
SEE_KB = Text("完整說明：diagwizard kb show {id}", "The whole entry: diagwizard kb show {id}")

# -- decode ------------------------------------------------------------------------------
THE_CHECKS = Text("各項檢查", "The checks")
COLUMN_NOTE = Text("說明", "Note")
DETAILS_TECHNICAL = Text("詳細資料（給技術人員）", "Details (for technical staff)")
CALLER_ANSWERS = Text("來電者的回答", "The caller's answers")

# -- kb ----------------------------------------------------------------------------------
KB_KINDS = {
    "prerequisite": Text("前置確認", "Prerequisite"),
    "procedure": Text("操作程序", "Procedure"),
    "faq": Text("常見問答", "FAQ"),
    "pin": Text("PIN 碼", "PIN"),
    "modern": Text("現代原因", "Modern cause"),
    "tool": Text("工具", "Tool"),
}
KB_COLUMN_KIND = Text("類別", "kind")
KB_COLUMN_TITLE = Text("標題", "title")
KB_LEGACY = Text("（舊）", " (legacy)")
KB_NO_ENTRY_CLOSE = Text(
    "知識庫中沒有 {id}；您是要找：{close}？（diagwizard kb list 可列出全部）",
    "No KB entry {id}; did you mean: {close}? (diagwizard kb list shows all)",
)
KB_NO_ENTRY = Text(
    "知識庫中沒有 {id}；請用 diagwizard kb list 查看", "No KB entry {id}; see diagwizard kb list"
)
KB_QUERY_TOO_LONG = Text(
    "查詢文字太長（{n} 字元），只搜尋前 {max} 字元；請只貼上錯誤訊息。",
    "The query is too long ({n} characters); only the first {max} are searched. "
    "Paste just the error message.",
)
KB_NO_MATCH = Text(
    "找不到相符的項目，請換個說法，或執行全面檢查。",
    "No matching entry; try other words, or run the full check.",
)
KB_MATCHED = Text("符合：", "matched: ")
KB_WEAK = Text("（比對不明確）", " (weak match)")
KB_WEAK_NOTE = Text(
    "沒有與這段文字明確相符的項目；以下是同類錯誤最接近的一般說明。",
    "Nothing matches this text closely; these are the nearest general entries for this kind "
    "of error.",
)

# -- probes ------------------------------------------------------------------------------
PROBES_COLUMN_ID = Text("代碼", "id")
PROBES_COLUMN_TITLE = Text("檢查項目", "title")
PROBES_COLUMN_AREA = Text("類別", "area")
PROBES_COLUMN_NEEDS = Text("需要先檢查", "needs")
PROBES_COLUMN_PLATFORMS = Text("平台", "platforms")
PROBES_ALL_PLATFORMS = Text("全部", "all")
PROBES_PLUGIN_MARK = Text("（外掛）", " (plugin)")
PROBES_PLUGIN = Text("外掛", "plugin")

# -- set-names ---------------------------------------------------------------------------
NAMES_WINDOWS_ONLY = Text(
    "好記的名稱只能在 Windows 上設定；請參考 diagwizard kb show faq10-xca-same-name",
    "Friendly names can only be set on Windows; see diagwizard kb show faq10-xca-same-name",
)

# A double-clicked program that stopped on an error keeps its window open until Enter.
PRESS_ENTER = Text("按 Enter 鍵關閉視窗…", "Press Enter to close this window…")
