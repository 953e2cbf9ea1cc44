"""Words of the records every view shows: statuses, areas, why a check was skipped or cut
off, what a re-check found, and the person's message disagreeing with the checks."""

from __future__ import annotations

from diagwizard.core.text import Text

# Areas, as the wizard groups the checks (in the guide's order).
AREA_CARD = Text("讀卡機與卡片", "Reader and card")
AREA_COMPONENT = Text("元件", "Components")
AREA_CERT = Text("憑證", "Certificates")
AREA_NETWORK = Text("網路", "Network")
AREA_SYSTEM = Text("系統", "System")

# A status: the word beside its symbol (the wizard's rows), and the column of the terminal,
# ``decode`` and reports (glyph and a short word: 失敗 / FAIL there).
STATUS_OK = Text("正常", "OK")
STATUS_WARN = Text("注意", "warning")
STATUS_FAIL = Text("問題", "problem")
STATUS_SKIP = Text("略過", "skipped")
STATUS_ERROR = Text("錯誤", "error")
STATUS_TIMEOUT = Text("逾時", "timeout")
LABEL_OK = Text("✔ 正常", "✔ OK")
LABEL_WARN = Text("! 注意", "! WARN")
LABEL_FAIL = Text("✘ 失敗", "✘ FAIL")
LABEL_SKIP = Text("– 略過", "– SKIP")
LABEL_ERROR = Text("✘ 錯誤", "✘ ERROR")
LABEL_TIMEOUT = Text("⏱ 逾時", "⏱ TIMEOUT")

# What the runner reports for a check that could not report itself.
TIMED_OUT = Text("逾時（{seconds} 秒）", "Timed out after {seconds} s")
DEADLINE = Text("整體時間已到", "Overall deadline reached")
RAISED = Text("檢查程式錯誤", "The check raised an error")
CRASHED = Text("元件當掉", "A component crashed")
NOT_CONTAINED = Text("為了安全沒有執行", "Not run, for safety")
PLUGIN_PROBLEM = Text("外掛 {name} 有問題", "Plugin {name} has a problem")

# "Not checked, because …": never a pass.
SKIP_BECAUSE = Text("未檢查，因為{why}", "Not checked, because {why}")
NEED_FAILED = Text("「{need}」沒有通過", "“{need}” did not pass")
NEED_MISSING = Text("「{need}」不適用於這台電腦", "“{need}” does not apply to this computer")
NEED_NOT_CHECKED = Text("「{need}」也沒有檢查", "“{need}” was not checked either")
# A skip read back from a case code, which carries statuses only.
NOT_RECORDED = Text("案件代碼沒有記錄原因", "the case code does not record why")

# What checking again found.
RECHECK_FIXED = Text("已修好", "Fixed")
RECHECK_FAILING = Text("仍有問題", "Still failing")
RECHECK_UNCHANGED = Text("狀態沒有改變", "Nothing changed")
NO_LONGER_SEEN = Text("不再出現：", "No longer seen: ")
NEWLY_SEEN = Text("新發現：", "New: ")

# The person's message, when the checks do not show it.
CONFLICT = Text(
    "您看到「{message}」，但檢查結果沒有顯示這個狀況（{checks}）：請先依此說明處理。",
    "You saw “{message}”, but the checks do not show it ({checks}): follow this fix first.",
)
# A guided answer as a finding: "question → answer".
ANSWERED = Text("{question} → {answer}", "{question} → {answer}")
