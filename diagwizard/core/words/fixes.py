"""「幫我修好」 (Fix it for me): the plan shown in full, consent, the verdict, undo; the same
words in ``diagwizard fix`` and the wizard's dialog."""

from __future__ import annotations

from diagwizard.core.text import Text

FIX_IT = Text("幫我修好", "Fix it for me")
FIXES_NOW = Text("可以幫您處理的問題（{n} 項）：", "Fixes that apply now ({n}):")
NOTHING = Text("目前沒有可以自動處理的問題。", "Nothing can be fixed automatically right now.")
# A plan, as :func:`diagwizard.ui.fixwords.describe` lays it out.
WILL_CHANGE = Text("將會變更：", "What will change:")
ADMIN_YES = Text("需要系統管理員權限", "Needs administrator rights")
ADMIN_NO = Text("不需要系統管理員權限", "No administrator rights needed")
FIRST = Text("請先：{text}", "First: {text}")
UNDO = Text("如何復原：{text}", "How to undo: {text}")
DRY_RUN = Text("（試跑：沒有做任何變更）", "(dry run: nothing was changed)")
ONLY_THIS = Text("只套用這一項：diagwizard fix {id}", "To apply only this one: diagwizard fix {id}")
CONFIRM = Text("要套用「{title}」嗎？輸入 yes 套用：", "Apply “{title}”? Type yes to apply: ")
SKIPPED = Text("已略過，沒有變更。", "Skipped; nothing changed.")
RESULT = Text("{title}：{verdict}", "{title}: {verdict}")
RECHECKED = Text("再檢查一次：{probe} — {summary}", "Checked again: {probe} — {summary}")
UNKNOWN = Text("沒有這個修正：{ids}（可用的有：{known}）", "No such fix: {ids} (available: {known})")
UNDO_NONE = Text("沒有可以復原的修正。", "No applied fix can be undone.")
UNDO_PLAN = Text("將復原 {when} 套用的「{title}」：", "This undoes “{title}”, applied {when}:")
UNDO_NOTHING_NOW = Text(
    "「{title}」（{when} 套用）目前沒有需要復原的變更：這次檢查找不到它做過的變更",
    "Nothing to undo for “{title}” (applied {when}): this check finds none of its changes",
)
LEFT_ALONE = Text("不會變更：{what}", "Left alone: {what}")
# Entries of the fix log that undo does not use, and why (one line each).
LOG_ENTRY_SKIPPED = Text(
    "修正紀錄第 {n} 筆格式不符，已略過（不會執行）：{why}",
    "Fix log entry {n} is malformed and was skipped (nothing of it runs): {why}",
)
LOG_ENTRY_SEQ = Text(
    "修正紀錄第 {n} 筆的序號 {seq} 重複，已略過（不會執行）",
    "Fix log entry {n} repeats the number {seq} and was skipped (nothing of it runs)",
)
LOG_ENTRY_OLD = Text(
    "修正紀錄第 {n} 筆（{fix}）由舊版 diagwizard 記錄，無法自動復原；請依當時顯示的說明手動復原",
    "Fix log entry {n} ({fix}) was logged by an older diagwizard and cannot be undone "
    "automatically; undo it by hand as described when it was applied",
)
LOG_ENTRY_UNKNOWN = Text(
    "修正紀錄第 {n} 筆（{fix}）：這個版本沒有這項修正或它的復原方式，已略過（不會執行）",
    "Fix log entry {n} ({fix}): this version has no such fix, or no undo for it; skipped "
    "(nothing of it runs)",
)
LOG_ENTRY_RECORD = Text(
    "修正紀錄第 {n} 筆（{fix}）的復原資料不符，已略過（不會執行）：{why}",
    "Fix log entry {n} ({fix}) has undo data that does not check out and was skipped "
    "(nothing of it runs): {why}",
)
UNDO_CONFIRM = Text("要復原嗎？輸入 yes 復原：", "Undo it? Type yes to undo: ")
LOGGED = Text("已記錄在 {path}", "Logged in {path}")
# The wizard: a hint under a result a fix addresses, the dialog's words.
NO_FIX_HERE = Text("這一項沒有可以自動處理的修正。", "There is no automatic fix for this item.")
PRESS_F = Text(
    "🔧 按 f「幫我修好」：先顯示會變更什麼，經您同意才執行",
    "🔧 Press f, “Fix it for me”: see exactly what changes; nothing runs without your OK",
)
CLOSE = Text("關閉", "Close")
RUNNING = Text("正在處理並重新檢查…", "Applying and checking again…")
# ``check``'s pointer to ``diagwizard fix``.
CHECK_HINT = Text(
    "有 {n} 項問題可以由工具協助處理（經您同意）：diagwizard fix",
    "{n} problem(s) can be fixed for you, with your consent: diagwizard fix",
)

# A fix's verdict once applied (or undone), and what may go wrong around it.
VERDICT_FIXED = Text("✔ 已修好", "✔ fixed")
VERDICT_STILL_FAILING = Text("✘ 仍有問題", "✘ still failing")
VERDICT_UNDONE = Text("✔ 已復原", "✔ undone")
VERDICT_FAILED = Text("✘ 修正失敗：{detail}", "✘ the fix failed: {detail}")
VERDICT_NEEDS_ADMIN = Text(
    "! 需要系統管理員權限：請用 sudo 再執行一次",
    "! needs administrator rights: run it again with sudo",
)
# Windows: diagwizard never runs as administrator; each command that needs the rights
# is started through Windows' permission prompt (UAC), one at a time.
ADMIN_PROMPT = Text(
    "Windows 會為每一個需要權限的指令詢問您（使用者帳戶控制）；本程式本身不需要以系統管理員身分執行",
    "Windows asks you (User Account Control) before each command that needs the rights; "
    "diagwizard itself never runs as administrator",
)
ELEVATION_DECLINED = Text(
    "您在 Windows 的權限確認視窗選擇了「否」，沒有執行：{command}",
    "You answered No in Windows' permission prompt; this did not run: {command}",
)
LOG_UNUSABLE = Text(
    "注意：{err}。現在套用的修正不會記錄下來，diagwizard fix --undo 無法復原它。",
    "Note: {err}. A fix applied now is not logged, and diagwizard fix --undo cannot undo it.",
)
LOG_FAILED = Text("無法寫入修正紀錄：{err}", "could not write the fix log: {err}")
RUN_COMMAND = Text("執行：{command}", "Run: {command}")
PARTLY_DONE = Text(
    "{cause}；有 {n} 項已做的變更無法還原，已記錄下來，可用 diagwizard fix --undo 復原",
    "{cause}; {n} change(s) already made could not be rolled back: they are logged, and "
    "diagwizard fix --undo reverts them",
)
ROLLED_BACK = Text(
    "{cause}；已做的變更都已還原，沒有留下任何變更",
    "{cause}; what had been changed was rolled back, nothing is left changed",
)
COMMAND_FAILED = Text(
    "指令失敗（{code}）：{command}：{err}", "Command failed ({code}): {command}: {err}"
)

# The repair loop (``diagwizard fix`` and the wizard's verdict): progress after each step,
# and what to do once no fix is left to offer.
PROGRESS = Text("已修好 {fixed} 個，還有 {left} 個問題", "{fixed} fixed, {left} problem(s) left")
PROGRESS_DONE = Text("已修好 {fixed} 個，沒有其他問題了", "{fixed} fixed, no problems left")
REVEALED = Text("（新發現：{problems}）", "(newly found: {problems})")
NEXT_ALL_CLEAR = Text(
    "接下來：請關閉所有瀏覽器視窗，再登入一次。若仍無法登入，請撥客服專線 0800-080-117，"
    "並唸出案件代碼 {code}。",
    "Next: close every browser window and log in again. If it still fails, call the helpline "
    "0800-080-117 and read them the case code {code}.",
)
NEXT_MANUAL = Text(
    "接下來：剩下的 {n} 個問題需要您依上面的步驟自己處理，處理後請再檢查一次。需要協助時，"
    "請撥客服專線 0800-080-117，並唸出案件代碼 {code}。",
    "Next: the {n} problem(s) left need you to follow the steps above; then check again. "
    "For help, call the helpline 0800-080-117 and read them the case code {code}.",
)
FOUND = Text("找到 {n} 個問題：", "Found {n} problem(s):")
PROBLEM_HEADING = Text("問題 {n}／{total}：{headline}", "Problem {n} of {total}: {headline}")
MANUAL_ONLY = Text(
    "這個問題沒有自動修正，請依步驟處理：diagwizard kb show {id}",
    "No automatic fix for this one; follow the steps: diagwizard kb show {id}",
)
AUTO_MARK = Text("（可由工具協助處理）", "(can be fixed for you)")
