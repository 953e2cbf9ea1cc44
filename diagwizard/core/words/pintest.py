"""``diagwizard pin-test``: every line it says, from the tries left to the card's answer."""

from __future__ import annotations

from diagwizard.core.text import Text

NO_TOKEN = Text(
    "沒有讀到卡片，無法測試 PIN 碼。請先執行 diagwizard check。",
    "No card was read, so the PIN cannot be tested. Run diagwizard check first.",
)
CHOOSE = Text(
    "讀到多張卡片，請用 --token N 指定：", "Several cards were read; choose one with --token N:"
)
BAD_CHOICE = Text("--token 應為 1 到 {n}", "--token must be 1 to {n}")
BAD_TOKEN = Text(
    "--token 從 1 開始編號（第 1 張卡片是 --token 1）",
    "--token counts from 1 (the first card is --token 1)",
)
TRIES_UNKNOWN = Text(
    "卡片沒有回報 PIN 錯誤紀錄（通常還有 3 次機會，但有些程式庫不回報）。",
    "The card reports no wrong PINs (usually 3 tries left, though some libraries do not report this).",
)
TRIES_FEWER = Text(
    "之前已輸錯過 PIN 碼：剩餘次數少於 3 次。",
    "Wrong PINs were entered before: fewer than 3 tries are left.",
)
TRIES_ONE = Text(
    "只剩最後 1 次機會！再錯一次卡片就會鎖住。",
    "Only ONE try is left! One more mistake locks the card.",
)
LOCKED = Text(
    "卡片已鎖住，無法測試。解鎖方式：diagwizard kb show faq06-token-locked",
    "The card is locked and cannot be tested. To unlock: diagwizard kb show faq06-token-locked",
)
FINAL_REFUSED = Text(
    "只剩最後一次機會，為了保護您的卡片，已停止測試。確定要測試請加上 --i-understand。",
    "Only one try is left, so the test stopped to protect your card. Add --i-understand if you are sure.",
)
WARNING = Text(
    "注意：如果輸入的 PIN 碼錯誤，這次測試會用掉一次機會；連錯三次會鎖卡。",
    "Warning: if the PIN is wrong, this test uses up one try; three wrong PINs lock the card.",
)
CONFIRM = Text("確定要測試請輸入「是」（或 yes）：", "Type yes to go ahead: ")
CANCELLED = Text("已取消，沒有送出 PIN 碼。", "Cancelled; no PIN was sent.")
NO_TTY = Text(
    "需要在終端機輸入 PIN 碼（或使用 --pin-stdin）",
    "The PIN must be typed in a terminal (or use --pin-stdin)",
)
PROMPT = Text("請輸入卡片 PIN 碼（不會顯示）：", "Card PIN (not shown): ")
BAD_LENGTH = Text(
    "PIN 碼應為 6 到 8 個英數字元；沒有送出，也沒有用掉次數。",
    "The PIN must be 6 to 8 letters, digits or symbols; nothing was sent and no try was used.",
)
PIN_OK = Text("PIN 碼正確。", "The PIN is correct.")
INCORRECT = Text(
    "PIN 碼錯誤，已用掉一次機會。請勿再猜：diagwizard kb show faq05-wrong-pin",
    "Wrong PIN; one try was used. Do not guess: diagwizard kb show faq05-wrong-pin",
)
NOW_LOCKED = Text(
    "卡片已鎖住。解鎖方式：diagwizard kb show faq06-token-locked",
    "The card is now locked. To unlock: diagwizard kb show faq06-token-locked",
)
OTHER_ANSWER = Text("卡片回應：{code}", "The card answered: {code}")
# How far the isolated child got before it failed decides what is honest to say.
FAILED = Text(
    "測試沒有完成（{how}）；登入指令沒有送出，沒有用掉次數。",
    "The test did not complete ({how}); the login call was not made, so no try was used.",
)
FAILED_DURING = Text(
    "測試沒有完成（{how}）：登入指令已送出但沒有回應，可能已用掉一次機會。"
    "請執行 diagwizard check 查看剩餘次數，不要重複測試。",
    "The test did not complete ({how}): the login call was made but did not return, so a "
    "try may have been used. Run diagwizard check to see the tries left; do not repeat the test.",
)
FAILED_AFTER = Text(
    "登入指令已完成，但無法取得結果（{how}）。請執行 diagwizard check 查看剩餘次數。",
    "The login call completed, but its result could not be read ({how}). "
    "Run diagwizard check to see the tries left.",
)
