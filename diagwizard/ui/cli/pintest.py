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
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import pintest as say
from diagwizard.engine.engine import Engine
from diagwizard.isolation.calls import ChildFailed, call_isolated
from diagwizard.isolation.pkcs11 import LOGIN_TARGET, LoginOutcome

# The zh-TW prompt asks for 「是」; "yes" works in both languages.
CONFIRM_WORDS = ("yes", "是", "確定")


def failure_words(exc: ChildFailed) -> Text:
    """Which message is honest about how far the child got before it failed."""
    if "login_returned" in exc.progress:
        return say.FAILED_AFTER
    if "login_started" in exc.progress:
        return say.FAILED_DURING
    return say.FAILED


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
        raise UserError(say.NO_TTY)
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


def _say(words: Text, lang: str, file: Any = None, **params: Any) -> None:
    print(clean(words.get(lang, **params), multiline=True), file=file or sys.stdout)


def cmd_pin_test(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    if args.token is not None and args.token < 1:
        raise UserError(say.BAD_TOKEN)
    engine = Engine.create(cfg, plugins=False)
    results = engine.run(["pkcs11.pin", "middleware.hipki"]).results
    token_res = results.get("pkcs11.token")
    tokens = (token_res.fact("tokens") if token_res else None) or []
    if not tokens:
        _say(say.NO_TOKEN, lang)
        return 1
    if args.token is None and len(tokens) > 1:
        _say(say.CHOOSE, lang)
        for i, t in enumerate(tokens, 1):
            # A card's label and a reader's name are the card's and the driver's words.
            print(clean(f"  {i}. {t.get('label') or '?'} ({t.get('slot_description', '')})"))
        return 2
    index = (1 if args.token is None else args.token) - 1
    if not 0 <= index < len(tokens):
        raise UserError(say.BAD_CHOICE, n=len(tokens))
    tok = tokens[index]
    flags = set(tok.get("flags", []))
    pin_res = results.get("pkcs11.pin")
    tries = pin_res.fact("tries_left") if pin_res else "unknown"
    if "USER_PIN_LOCKED" in flags or tries == "locked":
        _say(say.LOCKED, lang)
        return 2
    one_left = "USER_PIN_FINAL_TRY" in flags or tries == "one"
    _say(
        say.TRIES_ONE
        if one_left
        else say.TRIES_FEWER
        if tries == "fewer" or "USER_PIN_COUNT_LOW" in flags
        else say.TRIES_UNKNOWN,
        lang,
    )
    if one_left and not args.i_understand:
        _say(say.FINAL_REFUSED, lang)
        return 2
    _say(say.WARNING, lang)
    if not args.yes:
        sys.stdout.write(say.CONFIRM.get(lang))
        sys.stdout.flush()
        answer = _read_line(sys.stdin.fileno(), bytearray()).decode("utf-8", "replace")
        if answer.strip().lower() not in CONFIRM_WORDS:
            _say(say.CANCELLED, lang)
            return 2
    pin = _read_pin(args.pin_stdin, say.PROMPT.get(lang))
    try:
        if not 6 <= len(pin) <= 8 or any(b < 0x20 or b > 0x7E for b in pin):
            _say(say.BAD_LENGTH, lang)
            return 2
        outcome = call_isolated(
            LOGIN_TARGET,
            {"path": tok["module"], "slot": tok["slot"]},
            timeout=engine.runner_timeout("pkcs11.token"),
            secret=("pin", pin),
            returns=LoginOutcome,
        )
    except ChildFailed as exc:
        _say(failure_words(exc), lang, how=exc.how)
        return 1
    finally:
        _wipe(pin)  # the only copy in this process; it went to the child over a pipe
    if outcome.ok:
        _say(say.PIN_OK, lang)
        return 0
    code = outcome.code
    if code == "CKR_PIN_LOCKED" or "USER_PIN_LOCKED" in outcome.flags_after:
        _say(say.NOW_LOCKED, lang)
    elif code == "CKR_PIN_INCORRECT":
        _say(say.INCORRECT, lang)
    else:
        _say(say.OTHER_ANSWER, lang, code=code)
    return 1
