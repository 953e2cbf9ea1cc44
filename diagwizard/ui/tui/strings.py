"""Every string the wizard shows, in zh-TW and English, by key.

Words other views show too come from :mod:`diagwizard.core.strings` (helpline, case code);
status and area words are properties of the enums (``Status.word``, ``Area.heading``).
"""

from __future__ import annotations

from diagwizard.core.strings import CASE_CODE, HELPLINE
from diagwizard.core.text import Text

__all__ = ["PLATFORM_NAMES", "S"]

# How the fix steps name the person's system (the same in both languages today).
PLATFORM_NAMES = {
    "windows": Text("Windows", "Windows"),
    "macos": Text("macOS", "macOS"),
    "linux": Text("Linux", "Linux"),
}


S = {
    "app_title": Text("自然人憑證登入診斷精靈", "Certificate login diagnosis"),
    "start_prompt": Text(
        "您想要做什麼？（用方向鍵選擇，按 Enter 確定）",
        "What would you like to do? (arrow keys, then Enter)",
    ),
    "choice_symptom": Text("登入時出現錯誤訊息", "I saw an error message while logging in"),
    "choice_register": Text("第一次註冊憑證", "Register my certificate for the first time"),
    "choice_login": Text("憑證登入", "Log in with my certificate"),
    "choice_full": Text("全面檢查", "Check everything"),
    "choice_help": Text("按 L 切換語言（English），按 Q 離開", "Press L for 中文, Q to quit"),
    "symptom_prompt": Text(
        "請選擇您看到的訊息，或在下方輸入／貼上訊息文字：",
        "Pick the message you saw, or type or paste it below:",
    ),
    "symptom_input": Text(
        "輸入或貼上錯誤訊息，按 Enter 搜尋", "Type or paste the error message, then Enter"
    ),
    "symptom_none": Text(
        "找不到相符的說明。請換個說法，或回到首頁選「全面檢查」。",
        "No matching entry. Try other words, or choose “Check everything” on the start screen.",
    ),
    "symptom_matches": Text(
        "可能的原因（按 Enter 檢查並查看處理方式）：",
        "Likely causes (Enter to check and see the fix):",
    ),
    "check_title": Text("全面檢查", "Full check"),
    "check_title_symptom": Text("相關檢查", "Related checks"),
    "recheck": Text("我已處理，再檢查一次", "I fixed it, check again"),
    "questions": Text("回答問題", "Answer questions"),
    "summary": Text("總結", "Summary"),
    "back": Text("返回", "Back"),
    "running": Text("檢查中…", "Checking…"),
    "waiting": Text("等待中", "Waiting"),
    "select_probe": Text(
        "選擇左側的項目查看詳細資訊與處理方式。",
        "Select an item on the left to see details and the fix.",
    ),
    "likely_causes": Text("可能的原因", "Likely causes"),
    "fix_for": Text("處理方式（{os}）", "How to fix ({os})"),
    "other_os": Text("其他作業系統的步驟", "Steps for other systems"),
    "other_os_hint": Text(
        "其他作業系統的步驟已收起，按 o 顯示。", "Steps for other systems are hidden; press o."
    ),
    "question_title": Text(
        "請回答（軟體看不到的部分）", "Please answer (what software cannot see)"
    ),
    "question_skip": Text("略過", "Skip"),
    "question_keys": Text(
        "按數字鍵回答，Esc 返回（不作答）", "Press a number to answer; Esc goes back (no answer)"
    ),
    "walk_step": Text("步驟 {n}／{total}", "Step {n} of {total}"),
    "walk_check": Text("檢查這一步", "Check this step"),
    "walk_next": Text("下一步", "Next"),
    "walk_prev": Text("上一步", "Previous"),
    "walk_done": Text("完成", "Done"),
    "walk_no_probe": Text(
        "這一步無法由軟體檢查，請依說明操作。",
        "Software cannot check this step; follow the instructions.",
    ),
    "walk_checked_ok": Text("✔ 這一步的檢查都通過了。", "✔ Every check for this step passed."),
    "walk_checked_bad": Text(
        "✘ 這一步有問題，處理方式如下：", "✘ This step has a problem; here is the fix:"
    ),
    "verdict_ok": Text("✔ 沒有找到問題", "✔ No problems found"),
    "verdict_problems": Text("✘ 找到 {n} 個問題", "✘ Found {n} problem(s)"),
    "verdict_incomplete": Text("尚未執行任何檢查", "Nothing has been checked yet"),
    "see_summary": Text("（按 s 看處理方式）", "(s: how to fix)"),
    "export": Text("匯出報告", "Export report"),
    "exported": Text(
        "報告已存到資料夾 {folder}：\n{files}\n按 d 開啟這個資料夾。",
        "Report saved in the folder {folder}:\n{files}\nPress d to open the folder.",
    ),
    "export_failed": Text("無法匯出報告：{err}", "Could not export the report: {err}"),
    "export_first": Text("請先按 e 匯出報告。", "Press e to export the report first."),
    "open_failed": Text(
        "無法自動開啟資料夾，請自行開啟：{folder}",
        "Could not open the folder; open it yourself: {folder}",
    ),
    "case_code": CASE_CODE,
    "helpline": HELPLINE,
    "hd_title": Text("客服模式", "Helpdesk mode"),
    "hd_prompt": Text("請選擇：", "Choose:"),
    "hd_code": Text("輸入來電者的案件代碼", "Enter the caller's case code"),
    "hd_kb": Text("瀏覽與搜尋知識庫", "Browse and search the knowledge base"),
    "hd_script": Text("電話引導：要問來電者的問題", "Phone script: what to ask the caller"),
    "hd_code_input": Text(
        "例如 DW1-ZKHQ-WQZW-FR08-10C0-0N，按 Enter", "e.g. DW1-ZKHQ-WQZW-FR08-10C0-0N, then Enter"
    ),
    "hd_kb_input": Text(
        "輸入關鍵字或錯誤訊息（留空列出全部）",
        "Type words or an error message (empty lists everything)",
    ),
    "hd_script_intro": Text(
        "以下是軟體看不到、需要請來電者回答的問題。每個回答後面是它代表的處理方式。",
        "These are the things software cannot see; ask the caller. Each answer is followed by the fix it points to.",
    ),
    "quit_title": Text("要離開嗎？", "Do you want to quit?"),
    "quit_hint": Text("按 q（或 Ctrl+Q）離開本程式。", "Press q (or Ctrl+Q) to quit."),
    "lang_switched": Text("已切換為中文", "Switched to English"),
}
