"""``diagwizard pin-test``: the only command that may use a PIN try, and only on request.

It shows the tries left (from token flags and the HiPKI report, read without logging
in), warns, refuses on a locked card, refuses on the final try unless --i-understand,
reads the PIN without echo, makes exactly one C_Login in an isolated child, and reports.
The PIN is never printed, logged, stored, or put on a command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from diagwizard.core import config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.model import Text
from diagwizard.engine.engine import Engine
from diagwizard.isolation import ChildFailed, call_isolated
from diagwizard.isolation.pkcs11 import LOGIN_TARGET, LoginOutcome

# The zh-TW prompt asks for 「是」; "yes" works in both languages.
CONFIRM_WORDS = ("yes", "是", "確定")

MSG = {
    "no_token": Text(
        "沒有讀到卡片，無法測試 PIN 碼。請先執行 diagwizard check。",
        "No card was read, so the PIN cannot be tested. Run diagwizard check first.",
    ),
    "choose": Text(
        "讀到多張卡片，請用 --token N 指定：", "Several cards were read; choose one with --token N:"
    ),
    "bad_choice": Text("--token 應為 1 到 {n}", "--token must be 1 to {n}"),
    "bad_token": Text(
        "--token 從 1 開始編號（第 1 張卡片是 --token 1）",
        "--token counts from 1 (the first card is --token 1)",
    ),
    "tries_unknown": Text(
        "卡片沒有回報 PIN 錯誤紀錄（通常還有 3 次機會，但有些程式庫不回報）。",
        "The card reports no wrong PINs (usually 3 tries left, though some libraries do not report this).",
    ),
    "tries_fewer": Text(
        "之前已輸錯過 PIN 碼：剩餘次數少於 3 次。",
        "Wrong PINs were entered before: fewer than 3 tries are left.",
    ),
    "tries_one": Text(
        "只剩最後 1 次機會！再錯一次卡片就會鎖住。",
        "Only ONE try is left! One more mistake locks the card.",
    ),
    "locked": Text(
        "卡片已鎖住，無法測試。解鎖方式：diagwizard kb show faq06-token-locked",
        "The card is locked and cannot be tested. To unlock: diagwizard kb show faq06-token-locked",
    ),
    "final_refused": Text(
        "只剩最後一次機會，為了保護您的卡片，已停止測試。確定要測試請加上 --i-understand。",
        "Only one try is left, so the test stopped to protect your card. Add --i-understand if you are sure.",
    ),
    "warning": Text(
        "注意：如果輸入的 PIN 碼錯誤，這次測試會用掉一次機會；連錯三次會鎖卡。",
        "Warning: if the PIN is wrong, this test uses up one try; three wrong PINs lock the card.",
    ),
    "confirm": Text("確定要測試請輸入「是」（或 yes）：", "Type yes to go ahead: "),
    "cancelled": Text("已取消，沒有送出 PIN 碼。", "Cancelled; no PIN was sent."),
    "no_tty": Text(
        "需要在終端機輸入 PIN 碼（或使用 --pin-stdin）",
        "The PIN must be typed in a terminal (or use --pin-stdin)",
    ),
    "prompt": Text("請輸入卡片 PIN 碼（不會顯示）：", "Card PIN (not shown): "),
    "bad_length": Text(
        "PIN 碼應為 6 到 8 個英數字元；沒有送出，也沒有用掉次數。",
        "The PIN must be 6 to 8 letters, digits or symbols; nothing was sent and no try was used.",
    ),
    "ok": Text("PIN 碼正確。", "The PIN is correct."),
    "incorrect": Text(
        "PIN 碼錯誤，已用掉一次機會。請勿再猜：diagwizard kb show faq05-wrong-pin",
        "Wrong PIN; one try was used. Do not guess: diagwizard kb show faq05-wrong-pin",
    ),
    "now_locked": Text(
        "卡片已鎖住。解鎖方式：diagwizard kb show faq06-token-locked",
        "The card is now locked. To unlock: diagwizard kb show faq06-token-locked",
    ),
    "other": Text("卡片回應：{code}", "The card answered: {code}"),
    "failed": Text(
        "測試沒有完成（{how}）；登入指令沒有送出，沒有用掉次數。",
        "The test did not complete ({how}); the login call was not made, so no try was used.",
    ),
    "failed_during": Text(
        "測試沒有完成（{how}）：登入指令已送出但沒有回應，可能已用掉一次機會。"
        "請執行 diagwizard check 查看剩餘次數，不要重複測試。",
        "The test did not complete ({how}): the login call was made but did not return, so a "
        "try may have been used. Run diagwizard check to see the tries left; do not repeat the test.",
    ),
    "failed_after": Text(
        "登入指令已完成，但無法取得結果（{how}）。請執行 diagwizard check 查看剩餘次數。",
        "The login call completed, but its result could not be read ({how}). "
        "Run diagwizard check to see the tries left.",
    ),
}


def failure_key(exc: ChildFailed) -> str:
    """Which message is honest about how far the child got before it failed."""
    if "login_returned" in exc.progress:
        return "failed_after"
    if "login_started" in exc.progress:
        return "failed_during"
    return "failed"


def _read_line(fd: int, into: bytearray, limit: int = 256) -> bytearray:
    """Read one line byte by byte into ``into``: no buffered copy holds what follows it."""
    while len(into) <= limit:
        byte = os.read(fd, 1)
        if not byte or byte == b"\n":
            break
        into += byte
    if into.endswith(b"\r"):
        del into[-1:]
    return into


def _read_pin(pin_stdin: bool, prompt: str) -> bytearray:
    """The PIN, in one mutable buffer the caller wipes; never echoed."""
    buf = bytearray()
    if pin_stdin:
        return _read_line(sys.stdin.fileno(), buf)
    if not sys.stdin.isatty():
        raise UserError(MSG["no_tty"])
    if sys.platform == "win32":
        import msvcrt  # lazy: Windows-only module

        sys.stderr.write(prompt)
        sys.stderr.flush()
        while (ch := msvcrt.getwch()) not in ("\r", "\n", "\x03") and len(buf) < 256:
            buf += ch.encode("utf-8", "replace")
        sys.stderr.write("\n")
        return buf
    import termios  # lazy: POSIX-only module

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    new = termios.tcgetattr(fd)
    new[3] &= ~termios.ECHO
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        termios.tcsetattr(fd, termios.TCSAFLUSH, new)
        _read_line(fd, buf)
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, old)
        sys.stderr.write("\n")
    return buf


def _wipe(buf: bytearray) -> None:
    buf[:] = bytes(len(buf))
    buf.clear()


def _say(key: str, lang: str, file: Any = None, **params: Any) -> None:
    print(MSG[key].get(lang, **params), file=file or sys.stdout)


def cmd_pin_test(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    if args.token is not None and args.token < 1:
        raise UserError(MSG["bad_token"])
    engine = Engine.create(cfg, plugins=False)
    results = engine.run(["pkcs11.pin", "middleware.hipki"]).results
    token_res = results.get("pkcs11.token")
    tokens = (token_res.fact("tokens") if token_res else None) or []
    if not tokens:
        _say("no_token", lang)
        return 1
    if args.token is None and len(tokens) > 1:
        _say("choose", lang)
        for i, t in enumerate(tokens, 1):
            print(f"  {i}. {t.get('label') or '?'} ({t.get('slot_description', '')})")
        return 2
    index = (1 if args.token is None else args.token) - 1
    if not 0 <= index < len(tokens):
        raise UserError(MSG["bad_choice"], n=len(tokens))
    tok = tokens[index]
    flags = set(tok.get("flags", []))
    pin_res = results.get("pkcs11.pin")
    tries = pin_res.fact("tries_left") if pin_res else "unknown"
    if "USER_PIN_LOCKED" in flags or tries == "locked":
        _say("locked", lang)
        return 2
    one_left = "USER_PIN_FINAL_TRY" in flags or tries == "one"
    _say(
        "tries_one"
        if one_left
        else "tries_fewer"
        if tries == "fewer" or "USER_PIN_COUNT_LOW" in flags
        else "tries_unknown",
        lang,
    )
    if one_left and not args.i_understand:
        _say("final_refused", lang)
        return 2
    _say("warning", lang)
    if not args.yes:
        sys.stdout.write(MSG["confirm"].get(lang))
        sys.stdout.flush()
        answer = _read_line(sys.stdin.fileno(), bytearray()).decode("utf-8", "replace")
        if answer.strip().lower() not in CONFIRM_WORDS:
            _say("cancelled", lang)
            return 2
    pin = _read_pin(args.pin_stdin, MSG["prompt"].get(lang))
    try:
        if not 6 <= len(pin) <= 8 or any(b < 0x20 or b > 0x7E for b in pin):
            _say("bad_length", lang)
            return 2
        outcome = call_isolated(
            LOGIN_TARGET,
            {"path": tok["module"], "slot": tok["slot"]},
            timeout=engine.runner_timeout("pkcs11.token"),
            secret=("pin", pin),
            returns=LoginOutcome,
        )
    except ChildFailed as exc:
        _say(failure_key(exc), lang, how=exc.how)
        return 1
    finally:
        _wipe(pin)  # the only copy in this process; it went to the child over a pipe
    if outcome.ok:
        _say("ok", lang)
        return 0
    code = outcome.code
    if code == "CKR_PIN_LOCKED" or "USER_PIN_LOCKED" in outcome.flags_after:
        _say("now_locked", lang)
    elif code == "CKR_PIN_INCORRECT":
        _say("incorrect", lang)
    else:
        _say("other", lang, code=code)
    return 1
