"""The wizard's and helpdesk mode's screens (the footer's key labels are in
:mod:`.keylabels`; the words other views share are in :mod:`.common`)."""

from __future__ import annotations

from diagwizard.core.text import Text

APP_TITLE = Text("自然人憑證登入診斷精靈", "Certificate login diagnosis")
LANGUAGE_SWITCHED = Text("已切換為中文", "Switched to English")
QUIT_TITLE = Text("要離開嗎？", "Do you want to quit?")
QUIT_HINT = Text("按 q（或 Ctrl+Q）離開本程式。", "Press q (or Ctrl+Q) to quit.")

# -- the start menu ----------------------------------------------------------------------
START_PROMPT = Text(
    "您想要做什麼？（用方向鍵選擇，按 Enter 確定）",
    "What would you like to do? (arrow keys, then Enter)",
)
CHOICE_SYMPTOM = Text("登入時出現錯誤訊息", "I saw an error message while logging in")
CHOICE_REGISTER = Text("第一次註冊憑證", "Register my certificate for the first time")
CHOICE_LOGIN = Text("憑證登入", "Log in with my certificate")
CHOICE_FULL = Text("全面檢查", "Check everything")
START_HINT = Text("按 L 切換語言（English），按 Q 離開", "Press L for 中文, Q to quit")

# -- the symptom path --------------------------------------------------------------------
SYMPTOM_PROMPT = Text(
    "請選擇您看到的訊息，或在下方輸入／貼上訊息文字：",
    "Pick the message you saw, or type or paste it below:",
)
SYMPTOM_INPUT = Text(
    "輸入或貼上錯誤訊息，按 Enter 搜尋", "Type or paste the error message, then Enter"
)
SYMPTOM_NONE = Text(
    "找不到相符的說明。請換個說法，或回到首頁選「全面檢查」。",
    "No matching entry. Try other words, or choose “Check everything” on the start screen.",
)
SYMPTOM_WEAK = Text(
    "沒有與這段文字明確相符的說明；以下是同類錯誤最接近的一般說明（按 Enter 檢查並查看處理方式）：",
    "Nothing matches this text closely; these are the nearest general entries for this kind "
    "of error (Enter to check and see the fix):",
)
SYMPTOM_MATCHES = Text(
    "可能的原因（按 Enter 檢查並查看處理方式）：",
    "Likely causes (Enter to check and see the fix):",
)

# -- the check list and its detail pane ----------------------------------------------------
CHECK_TITLE = Text("全面檢查", "Full check")
CHECK_TITLE_SYMPTOM = Text("相關檢查", "Related checks")
RECHECK = Text("我已處理，再檢查一次", "I fixed it, check again")
ANSWER_QUESTIONS = Text("回答問題", "Answer questions")
WAITING = Text("等待中", "Waiting")
# A row's mark before its result (a result's mark is its status word).
ROW_PENDING = Text("等待", "waiting")
ROW_RUNNING = Text("檢查中", "running")
SELECT_PROBE = Text(
    "選擇左側的項目查看詳細資訊與處理方式。",
    "Select an item on the left to see details and the fix.",
)
LIKELY_CAUSES = Text("可能的原因", "Likely causes")
FINDINGS = Text("發現", "Findings")
NOTHING_WRONG = Text("沒有發現問題。", "Nothing wrong found.")

# -- guided questions --------------------------------------------------------------------
QUESTION_TITLE = Text("請回答（軟體看不到的部分）", "Please answer (what software cannot see)")
QUESTION_SKIP = Text("略過", "Skip")
QUESTION_KEYS = Text(
    "按數字鍵回答，Esc 返回（不作答）", "Press a number to answer; Esc goes back (no answer)"
)

# -- walkthroughs ------------------------------------------------------------------------
WALK_STEP = Text("步驟 {n}／{total}", "Step {n} of {total}")
WALK_CHECK = Text("檢查這一步", "Check this step")
WALK_DONE = Text("完成", "Done")
WALK_NO_PROBE = Text(
    "這一步無法由軟體檢查，請依說明操作。",
    "Software cannot check this step; follow the instructions.",
)
WALK_CHECKED_OK = Text("✔ 這一步的檢查都通過了。", "✔ Every check for this step passed.")
WALK_CHECKED_BAD = Text(
    "✘ 這一步有問題，處理方式如下：", "✘ This step has a problem; here is the fix:"
)

# -- the verdict and the summary -----------------------------------------------------------
VERDICT_OK = Text("✔ 沒有找到問題", "✔ No problems found")
VERDICT_PROBLEMS = Text("✘ 找到 {n} 個問題", "✘ Found {n} problem(s)")
VERDICT_INCOMPLETE = Text("尚未執行任何檢查", "Nothing has been checked yet")
SEE_SUMMARY = Text("（按 s 看處理方式）", "(s: how to fix)")
# The verdict screen's problems: the one in view is marked; how each is fixed.
PROBLEM_MARK = Text("▶ ", "▶ ")
PROBLEM_OF = Text("問題 {n}／{total}：{headline}", "Problem {n} of {total}: {headline}")
PROBLEM_AUTO = Text(
    "🔧 按 f「幫我修好」：先顯示會變更什麼，經您同意才執行；處理後按 r 再檢查",
    "🔧 Press f, “Fix it for me”: see exactly what changes first; r checks it again",
)
PROBLEM_MANUAL = Text(
    "✋ 這個問題需要您依下列步驟處理，處理後按 r 再檢查；按 n 看下一個問題",
    "✋ Follow the steps below for this one, then press r to check again; n: next problem",
)
PROBLEM_MANUAL_LAST = Text(  # the last problem: no next one for n to show
    "✋ 這是最後一個問題：請依下列步驟處理，處理後按 r 再檢查",
    "✋ This is the last problem: follow the steps below, then press r to check again",
)
MANUAL_PROBLEM = Text(
    "這個問題沒有自動修正：請依畫面上的步驟處理，處理後按 r 再檢查。",
    "There is no automatic fix for this problem: follow the steps shown, then press r.",
)
EXPORTED = Text(
    "報告已存到資料夾 {folder}：\n{files}\n按 d 開啟這個資料夾。",
    "Report saved in the folder {folder}:\n{files}\nPress d to open the folder.",
)
EXPORT_FAILED = Text("無法匯出報告：{err}", "Could not export the report: {err}")
OPEN_FAILED = Text(
    "無法自動開啟資料夾，請自行開啟：{folder}",
    "Could not open the folder; open it yourself: {folder}",
)

# -- helpdesk mode -----------------------------------------------------------------------
HD_TITLE = Text("客服模式", "Helpdesk mode")
HD_PROMPT = Text("請選擇：", "Choose:")
HD_CODE = Text("輸入來電者的案件代碼", "Enter the caller's case code")
HD_KB = Text("瀏覽與搜尋知識庫", "Browse and search the knowledge base")
HD_SCRIPT = Text("電話引導：要問來電者的問題", "Phone script: what to ask the caller")
# A format hint, not a sample code: a sample would stop decoding when the code book changes.
HD_CODE_INPUT = Text(
    "來電者唸的代碼，以 {prefix}- 開頭，按 Enter",
    "The code the caller reads out, {prefix}-…, then Enter",
)
HD_KB_INPUT = Text(
    "輸入關鍵字或錯誤訊息（留空列出全部）",
    "Type words or an error message (empty lists everything)",
)
HD_SCRIPT_INTRO = Text(
    "以下是軟體看不到、需要請來電者回答的問題。每個回答後面是它代表的處理方式。",
    "These are the things software cannot see; ask the caller. Each answer is followed by the fix it points to.",
)
HD_NEEDS_TERMINAL = Text(
    "客服模式需要在終端機中執行；請改用 `diagwizard decode 代碼`。",
    "diagwizard helpdesk needs a terminal; use `diagwizard decode CODE` instead.",
)
