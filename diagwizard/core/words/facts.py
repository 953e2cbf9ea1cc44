"""A probe's facts in words (:mod:`diagwizard.ui.fact_words` lays them out): labels by fact
name, the words for code-like values, and the Details heading over the raw values."""

from __future__ import annotations

from diagwizard.core.text import Text

DETAILS = Text("詳細資料", "Details")
CODES = Text("代碼", "Codes")
NO = Text("否", "No")
YES = Text("是", "Yes")

# Facts a person can read, with their label. Order here is the order on screen.
LABELS: dict[str, Text] = {
    "readers": Text("讀卡機", "Reader"),
    "cards": Text("卡片", "Card"),
    "installed": Text("已安裝", "Installed"),
    "running": Text("執行中", "Running"),
    "labels": Text("卡片名稱", "Card label"),
    "serials": Text("卡號", "Card number"),
    "subjects": Text("憑證持有人", "Certificate holder"),
    "id_last4": Text("身分證號末四碼", "ID number, last four digits"),
    "user_certificates": Text("使用者憑證數", "User certificates"),
    "chain": Text("憑證鏈", "Certificate chain"),
    "tries_left": Text("PIN 剩餘次數", "PIN tries left"),
    "server_version": Text("元件版本", "Component version"),
    "version": Text("版本", "Version"),
    "user": Text("使用者帳號", "User account"),
    "hostname": Text("電腦名稱", "Computer name"),
    "python": Text("Python 版本", "Python version"),
}
# Facts whose value is itself a code word: said in words.
VALUE_WORDS: dict[str, dict[str, Text]] = {
    "tries_left": {
        "locked": Text("0（卡片已鎖住）", "0 (the card is locked)"),
        "one": Text("1（最後一次）", "1 (the final try)"),
        "fewer": Text("比原本少（已輸錯過）", "fewer than full (wrong PINs were entered)"),
        "unknown": Text("不明（讀卡程式庫沒有回報）", "unknown (the card library does not say)"),
    },
}
