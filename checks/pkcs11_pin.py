"""``pkcs11.pin``: how many PIN tries are left, from what the token and HiPKI say.

Nothing here logs in: the state comes from token flags (C_GetTokenInfo, read by
``pkcs11.token``) and HiPKI's ``token.flags``, never from C_Login or ``/sign``.
"""

from __future__ import annotations

from diagwizard.api import (
    Context,
    FindingDef,
    Result,
    Status,
    Step,
    Text,
    found,
    ok,
    probe,
    skipped,
)

# -- pkcs11.pin ------------------------------------------------------------------------
COUNT_LOW = FindingDef(
    "pkcs11.W050",
    Text("PIN 碼已輸錯過，剩餘次數正在減少", "Wrong PINs were entered: tries are being used up"),
)
FINAL_TRY = FindingDef(
    "pkcs11.E051", Text("PIN 碼只剩最後一次機會：請勿再猜", "One PIN try left: do not guess")
)
LOCKED = FindingDef(
    "pkcs11.E052",
    Text("卡片已鎖住（PIN 碼錯誤太多次）", "The card is locked (too many wrong PINs)"),
)
TO_BE_CHANGED = FindingDef(
    "pkcs11.I053", Text("卡片要求先變更 PIN 碼", "The card asks for the PIN to be changed")
)
PIN_STATE_UNKNOWN = FindingDef(
    "pkcs11.I054",
    Text(
        "讀卡程式庫沒有回報 PIN 錯誤；但有些程式庫不回報，這不保證 PIN 未被鎖",
        "The card library reports no PIN problem; some libraries never report it, so this is not proof",
    ),
)
PIN_SAID_PKCS11 = FindingDef(
    "pkcs11.I055",
    Text(
        "讀卡程式庫（PKCS#11）回報的 PIN 旗標：{flags}", "The card library (PKCS#11) says: {flags}"
    ),
)
PIN_SAID_HIPKI = FindingDef(
    "pkcs11.I056",
    Text(
        "跨平台網頁元件（HiPKI token.flags）回報的 PIN 旗標：{flags}",
        "The HiPKI Local Server (token.flags) says: {flags}",
    ),
)


_PIN_RANK = {"pkcs11.E052": 3, "pkcs11.E051": 2, "pkcs11.W050": 1}
_FLAG_FINDING = {
    "USER_PIN_LOCKED": LOCKED,
    "USER_PIN_FINAL_TRY": FINAL_TRY,
    "USER_PIN_COUNT_LOW": COUNT_LOW,
}
# HiPKI minor codes (from an earlier /sign by another program) that say the same thing.
_HIPKI_MINOR_FLAG = {
    "middleware.E033": "USER_PIN_LOCKED",
    "middleware.E035": "USER_PIN_FINAL_TRY",
    "middleware.W034": "USER_PIN_COUNT_LOW",
}


def _pin_said(ctx: Context) -> dict[str, list[str]]:
    """PIN flags per source: the PKCS#11 module's token flags, HiPKI's ``token.flags``."""
    said: dict[str, list[str]] = {}
    tok = ctx.results.get("pkcs11.token")
    if tok is not None and tok.status.passed:
        said["pkcs11"] = sorted({f for t in tok.fact("tokens") or [] for f in t.get("flags", [])})
    hip = ctx.results.get("middleware.hipki")
    if hip is not None and hip.status in (Status.OK, Status.WARN, Status.FAIL):
        tokens = hip.fact("tokens") or []
        flags = {f for t in tokens for f in t.get("flags", [])}
        flags |= {_HIPKI_MINOR_FLAG[f.code] for f in hip.findings if f.code in _HIPKI_MINOR_FLAG}
        if tokens or flags:
            said["hipki"] = sorted(flags)
    return said


@probe(
    "pkcs11.pin",
    "PIN 碼狀態（不會用掉次數）",
    "PIN state (uses no tries)",
    area="cert",
    step=Step.PIN,
    explained_by="pkcs11.token",
    wants=("pkcs11.token", "middleware.hipki"),
    timeout=3.0,
    codes=(
        COUNT_LOW,
        FINAL_TRY,
        LOCKED,
        TO_BE_CHANGED,
        PIN_STATE_UNKNOWN,
        PIN_SAID_PKCS11,
        PIN_SAID_HIPKI,
    ),
)
def pin(ctx: Context) -> Result:
    said = _pin_said(ctx)
    if not said:
        return skipped(
            Text("沒有讀到卡片，無法得知 PIN 碼狀態", "No card read; PIN state not known")
        )
    flags = {f for fl in said.values() for f in fl}
    said_defs = {d.code: d for name, d in _FLAG_FINDING.items() if name in flags}
    worst = max((_PIN_RANK[c] for c in said_defs), default=0)
    findings = [d() for d in sorted(said_defs.values(), key=lambda d: -_PIN_RANK[d.code])[:1]]
    if "USER_PIN_TO_BE_CHANGED" in flags:
        findings.append(TO_BE_CHANGED())
    if len(said) > 1 and (worst or "USER_PIN_TO_BE_CHANGED" in flags):
        findings.append(PIN_SAID_PKCS11(flags=_pin_words(said["pkcs11"]) or "-"))
        findings.append(PIN_SAID_HIPKI(flags=_pin_words(said["hipki"]) or "-"))
    tries = {3: "locked", 2: "one", 1: "fewer", 0: "unknown"}[worst]
    facts = {"flags": sorted(flags), "tries_left": tries, "sources": list(said), "said": said}
    if worst:  # locked, final try or count low comes first, and is the summary
        return found(*findings, facts=facts)
    findings.append(PIN_STATE_UNKNOWN())
    return ok(Text("沒有 PIN 碼錯誤的紀錄", "No PIN problem reported"), *findings, facts=facts)


def _pin_words(flags: list[str]) -> str:
    state = (
        "USER_PIN_LOCKED",
        "USER_PIN_FINAL_TRY",
        "USER_PIN_COUNT_LOW",
        "USER_PIN_TO_BE_CHANGED",
    )
    return ", ".join(f.removeprefix("USER_PIN_") for f in state if f in flags)
