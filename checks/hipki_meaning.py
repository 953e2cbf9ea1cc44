"""What a HiPKI Local Server answer means: findings for its codes (the vendor table in
``kb/components.toml``), for what its slots say (no reader, no card, unknown token), and
the certificates it lists, analysed the same way ``pkcs11.certs`` does."""

from __future__ import annotations

from diagwizard.api import Finding, FindingDef, Text
from diagwizard.system.formats.certinfo import analyse, public_view
from diagwizard.system.transport.hipki import Pkcs11Info
from kb.components import HipkiCode, hipki_codes

# -- middleware.hipki ------------------------------------------------------------------
HIPKI_DOWN = FindingDef(
    "middleware.E020",
    Text(
        "跨平台網頁元件沒有回應，可能沒有在執行",
        "The HiPKI Local Server does not answer; it may not be running",
    ),
)
HIPKI_BAD = FindingDef(
    "middleware.E021",
    Text(
        "跨平台網頁元件的回應格式不正確：欄位 {field} 應為 {expected}",
        "The HiPKI Local Server's answer is malformed: field {field}, expected {expected}",
    ),
)
HIPKI_RET = {
    "no_card": FindingDef(
        "middleware.E022", Text("元件回報：未插入IC卡", "The component reports: no card inserted")
    ),
    "no_library": FindingDef(
        "middleware.E023",
        Text("元件回報：無法載入IC卡函式庫", "The component reports: cannot load the card library"),
    ),
    "no_reader": FindingDef(
        "middleware.E024",
        Text("元件回報：無可用讀卡機", "The component reports: no reader available"),
    ),
    "login_failed": FindingDef(
        "middleware.E025",
        Text("元件回報：IC卡登入失敗", "The component reports: card login failed"),
    ),
    "forbidden_domain": FindingDef(
        "middleware.E026",
        Text("元件回報：禁止存取的網域", "The component reports: forbidden domain"),
    ),
    "unauthorised_site": FindingDef(
        "middleware.E027",
        Text("元件回報：未授權網站", "The component reports: this site is not authorized"),
    ),
    "cert_expired": FindingDef(
        "middleware.E028",
        Text("元件回報：憑證已逾期", "The component reports: certificate expired"),
    ),
    "wrong_card_kind": FindingDef(
        "middleware.E029",
        Text(
            "元件回報：此服務不接受這種卡片（{code}）",
            "The component reports: this service does not accept this kind of card ({code})",
        ),
    ),
    "exec_timeout": FindingDef(
        "middleware.E041",
        Text(
            "元件回報：執行檔錯誤或逾時（{code}）",
            "The component reports: executable error or timeout ({code})",
        ),
    ),
    "user_cancelled": FindingDef(
        "middleware.W042",
        Text(
            "元件回報：使用者已取消動作（{code}）",
            "The component reports: the user cancelled ({code})",
        ),
    ),
    "cert_not_found": FindingDef(
        "middleware.E043",
        Text(
            "元件回報：找不到指定憑證（{code}）",
            "The component reports: the requested certificate was not found ({code})",
        ),
    ),
    "cert_not_yet_valid": FindingDef(
        "middleware.E044",
        Text("元件回報：憑證尚未生效", "The component reports: the certificate is not yet valid"),
    ),
    "not_gpki_card": FindingDef(
        "middleware.E045",
        Text(
            "元件回報：插入的卡片不是政府憑證卡（非 GPKI 卡片，例如健保卡）",
            "The component reports: the card is not a government PKI card (e.g. an NHI card)",
        ),
    ),
    "unknown": FindingDef(
        "middleware.W030",
        Text("元件回報未知的代碼 {code}", "The component reports an unknown code {code}"),
    ),
}
HIPKI_MINOR = {
    "wrong_pin": FindingDef(
        "middleware.W031", Text("元件回報：PIN 碼錯誤", "The component reports: wrong PIN")
    ),
    "wrong_pin_length": FindingDef(
        "middleware.W032",
        Text("元件回報：PIN 碼長度錯誤", "The component reports: wrong PIN length"),
    ),
    "locked": FindingDef(
        "middleware.E033", Text("元件回報：卡片已鎖住", "The component reports: the card is locked")
    ),
    "two_tries": FindingDef(
        "middleware.W034",
        Text("元件回報：PIN 碼只剩 2 次機會", "The component reports: 2 PIN tries left"),
    ),
    "one_try": FindingDef(
        "middleware.E035",
        Text(
            "元件回報：PIN 碼只剩 1 次機會，請勿再猜",
            "The component reports: 1 PIN try left — do not guess",
        ),
    ),
    "function_failed": FindingDef(
        "middleware.W047",
        Text(
            "元件回報次要代碼 0x06：函式失敗（卡片程式庫執行失敗）",
            "The component reports minor code 0x06: function failed (in the card library)",
        ),
    ),
    "buffer_too_small": FindingDef(
        "middleware.W048",
        Text(
            "元件回報次要代碼 0x150：記憶體緩衝不足（卡片程式庫與元件版本不合）",
            "The component reports minor code 0x150: buffer too small "
            "(card library and component versions do not match)",
        ),
    ),
}
HIPKI_UNKNOWN_TOKEN = FindingDef(
    "middleware.W036",
    Text("元件讀到的卡片為「unknown token」", "The component sees the card as “unknown token”"),
)
HIPKI_FIELD = FindingDef(
    "middleware.W037",
    Text(
        "元件回應中的欄位 {field} 無法使用（應為 {expected}）；其餘內容照常判讀",
        "Field {field} of the component's answer is unusable (expected {expected}); "
        "the rest was read as usual",
    ),
)
HIPKI_REDIRECT = FindingDef(
    "middleware.E038",
    Text(
        "元件位址回應轉址（HTTP {status} 到 {location}）；本工具不會跟隨，這不是跨平台網頁元件",
        "The component's address answers with a redirect (HTTP {status} to {location}); "
        "not followed — this is not the HiPKI Local Server",
    ),
)
HIPKI_NO_READER = FindingDef(
    "middleware.E039",
    Text("元件沒有看到任何讀卡機", "The component sees no card reader"),
)
HIPKI_NO_CARD = FindingDef(
    "middleware.E040",
    Text(
        "元件看到讀卡機 {reader}，但裡面沒有卡片",
        "The component sees reader {reader} but no card in it",
    ),
)
HIPKI_OTHER = FindingDef(
    "middleware.W046",
    Text("元件回報 {code}：{zh}", "The component reports {code}: {en}"),
)


def code_finding(table: dict[str, FindingDef], entry: HipkiCode | None, code: int) -> Finding:
    """Known kind → its finding; vendor code without one → its meaning; else unknown (hex)."""
    hexcode = f"0x{code:08X}"
    if entry is not None and entry.kind in table:
        return table[entry.kind](code=hexcode)
    if entry is not None:
        return HIPKI_OTHER(code=hexcode, zh=entry.text.zh, en=entry.text.en)
    return HIPKI_RET["unknown"](code=hexcode)


def hipki_findings(info: Pkcs11Info) -> list[Finding]:
    table = hipki_codes()
    findings = [HIPKI_FIELD(field=f, expected=e) for f, e in info.problems]
    if info.ret != 0:
        findings.append(code_finding(HIPKI_RET, table.ret(info.ret), info.ret))
    if info.minor:
        findings.append(code_finding(HIPKI_MINOR, table.minor(info.minor), info.minor))
    if info.ret == 0:
        if not info.slots:
            findings.append(HIPKI_NO_READER())
        elif all(s.token is None and not s.unknown_token for s in info.slots):
            findings.append(HIPKI_NO_CARD(reader=info.slots[0].description))
    if any(s.unknown_token for s in info.slots):
        findings.append(HIPKI_UNKNOWN_TOKEN())
    return findings


def hipki_certs(info: Pkcs11Info) -> tuple[list[dict[str, object]], dict[str, list[str]]]:
    """The certificates it lists, analysed the same way ``pkcs11.certs`` does, and the
    personal values of the user's certificates (chain certificates name only CAs)."""
    views: list[dict[str, object]] = []
    personal: dict[str, list[str]] = {
        k: [] for k in ("certificates", "cert_serials", "subjects", "id_last4")
    }
    for c in (c for s in info.slots if s.token for c in s.token.certs if c.certb64):
        cert = analyse(c.certb64, cka_id_hex=c.id_hex)
        views.append(public_view(cert) if cert.ok else {"problem": cert.problem})
        personal["certificates"].append(c.certb64)
        if cert.ok and cert.role == "chain":
            continue
        personal["cert_serials"] += [v for v in (c.sn, cert.serial) if v]
        personal["subjects"] += [v for v in (c.subject_cn, cert.subject_cn, cert.subject) if v]
        personal["id_last4"] += [v for v in (c.subject_id, cert.id_last4) if v]
    return views, personal
