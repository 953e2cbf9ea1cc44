"""``pkcs11.certs``: the certificates on the card, read by ``pkcs11.token`` or listed by
HiPKI, and what is wrong with them (expired, not yet valid, not government, chain only).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

from diagwizard.api import (
    Context,
    Finding,
    FindingDef,
    Result,
    Status,
    Step,
    Text,
    found,
    probe,
    skipped,
)
from diagwizard.isolation.pkcs11 import CertObject
from diagwizard.system.formats.certinfo import CertInfo, analyse, label, place, public_view
from kb.components import components

# -- pkcs11.certs ----------------------------------------------------------------------
EXPIRED = FindingDef(
    "pkcs11.E060", Text("憑證已於 {date} 過期", "The certificate expired on {date}")
)
NOT_YET_VALID = FindingDef(
    "pkcs11.E061", Text("憑證要到 {date} 才生效", "The certificate is not valid until {date}")
)
EXPIRING = FindingDef(
    "pkcs11.W062",
    Text("憑證將在 {days} 天後（{date}）到期", "The certificate expires in {days} days ({date})"),
)
UNPARSEABLE = FindingDef(
    "pkcs11.W063",
    Text(
        "卡片上有一個無法解讀的憑證：{problem}",
        "A certificate on the card cannot be read: {problem}",
    ),
)
NO_CERTS = FindingDef("pkcs11.E064", Text("卡片上沒有憑證", "There is no certificate on the card"))
NOT_GOVERNMENT = FindingDef(
    "pkcs11.I065",
    Text(
        "憑證不是由政府憑證管理中心簽發（{issuer}）",
        "The certificate is not from a government CA ({issuer})",
    ),
)

NO_USER_CERT = FindingDef(
    "pkcs11.E066",
    Text(
        "卡片上只有憑證鏈（CA 憑證），沒有使用者憑證",
        "The card holds only its CA chain, no user certificate",
    ),
)


def analyses_for_certs(certs: Iterable[CertObject]) -> list[dict[str, Any]]:
    """The analyses the PKCS#11 child made beside its scan (``pkcs11.token`` passes them on
    as result data), so that the parent need not load ``cryptography`` (issue 15)."""
    return [
        {"der_b64": c.der_b64, "id_hex": c.id_hex, "info": c.info}
        for c in certs
        if c.info is not None
    ]


def _analysis(ctx: Context, der_b64: str, id_hex: str) -> CertInfo:
    """The child's analysis of a certificate if ``pkcs11.token`` passed one on; else the
    certificate is analysed here."""
    tok = ctx.results.get("pkcs11.token")
    for made in tok.data.get("analyses", []) if tok is not None else []:
        if made.get("der_b64") == der_b64 and made.get("id_hex") == id_hex:
            try:
                return place(msgspec.convert(made["info"], CertInfo), components())
            except (msgspec.ValidationError, ValueError, KeyError):
                break  # not the shape we know: analyse it here instead
    return analyse(der_b64, cka_id_hex=id_hex)


def card_certificates(ctx: Context) -> list[str]:
    """DER (base64) of the card's certificates, from the token or the HiPKI report."""
    return [c["der_b64"] for c in _collect_certs(ctx)]


def _collect_certs(ctx: Context) -> list[dict[str, str]]:
    certs: list[dict[str, str]] = []
    tok = ctx.results.get("pkcs11.token")
    if tok is not None:
        certs += [
            {"der_b64": c["der_b64"], "id_hex": c.get("id_hex", ""), "source": "pkcs11"}
            for c in tok.fact("certificates") or []
        ]
    hip = ctx.results.get("middleware.hipki")
    if hip is not None and not certs:
        ids = list(hip.fact("certificate_ids") or [])
        for n, c in enumerate(hip.fact("certificates") or []):
            certs.append(
                {"der_b64": c, "id_hex": ids[n] if n < len(ids) else "", "source": "hipki"}
            )
    return certs


@probe(
    "pkcs11.certs",
    "卡片上的憑證",
    "Certificates on the card",
    area="cert",
    step=Step.CERTIFICATE,
    explained_by="pkcs11.token",
    wants=("pkcs11.token", "middleware.hipki"),
    timeout=4.0,
    codes=(EXPIRED, NOT_YET_VALID, EXPIRING, UNPARSEABLE, NO_CERTS, NOT_GOVERNMENT, NO_USER_CERT),
)
def certs(ctx: Context) -> Result:
    raw = _collect_certs(ctx)
    token_seen = any(
        ctx.results.get(p) is not None and ctx.results[p].status.passed
        for p in ("pkcs11.token", "middleware.hipki")
    )
    if not raw:
        if token_seen:
            return found(NO_CERTS())
        return skipped(Text("沒有讀到卡片，無法檢查憑證", "No card read; certificates not checked"))
    findings, infos = cert_findings(_analysis(ctx, c["der_b64"], c["id_hex"]) for c in raw)
    users = [i for i in infos if i.role == "user"]
    # The chain from its root down, whatever order the card lists its objects in.
    chain = sorted((i for i in infos if i.role == "chain"), key=lambda i: i.subject != i.issuer)
    personal = {
        "subjects": [i.subject_cn or i.subject for i in users],
        "cert_serials": [i.serial for i in users],
        "id_last4": [i.id_last4 for i in users if i.id_last4],
        "subject_dns": [i.subject for i in users],
    }
    facts = {
        "certificates": [public_view(i) for i in infos],
        "chain": [label(i.subject_ca, i.subject_generation) or i.subject_cn for i in chain],
        "user_certificates": len(users),
        "source": raw[0]["source"],
    }
    if not infos:
        return found(  # one unreadable certificate only warns; none readable at all fails
            *findings,
            summary=Text("憑證無法解讀", "Certificates unreadable"),
            status=Status.FAIL,
            facts=facts,
            personal=personal,
        )
    if not users:
        findings.append(NO_USER_CERT())
    summary = certs_summary(users, chain)
    return found(*findings, summary=summary, facts=facts, personal=personal)


def cert_findings(infos: Iterable[CertInfo]) -> tuple[list[Finding], list[CertInfo]]:
    """Findings for each certificate; one that cannot be read is one finding, no more."""
    findings: list[Finding] = []
    good: list[CertInfo] = []
    for info in infos:
        if not info.ok:
            findings.append(UNPARSEABLE(problem=info.problem))
            continue
        good.append(info)
        date_after, date_before = info.not_after[:10], info.not_before[:10]
        if info.validity == "expired":
            findings.append(EXPIRED(date=date_after))
        elif info.validity == "not_yet_valid":
            findings.append(NOT_YET_VALID(date=date_before))
        elif info.validity == "expiring":
            findings.append(EXPIRING(days=info.days_left, date=date_after))
        if not info.ca and info.role == "user":
            findings.append(NOT_GOVERNMENT(issuer=info.issuer_cn or info.issuer))
    return findings, good


def certs_summary(users: list[CertInfo], chain: list[CertInfo]) -> Text:
    """ "王小明 (MOICA G3); chain: GRCA G3, MOICA G3" — the chain is never the user's."""
    names = [label(i.subject_ca, i.subject_generation) or i.subject_cn for i in chain]
    zh_chain = f"；憑證鏈：{'、'.join(names)}" if names else ""
    en_chain = f"; chain: {', '.join(names)}" if names else ""
    if not users:
        return Text(f"沒有使用者憑證{zh_chain}", f"No user certificate{en_chain}")
    main = next((i for i in users if i.purpose == "sign"), users[0])
    ca = label(main.ca, main.generation)
    more_zh = f"（共 {len(users)} 張使用者憑證）" if len(users) > 1 else ""
    more_en = f" ({len(users)} user certificates)" if len(users) > 1 else ""
    return Text(
        f"{main.subject_cn}（{ca or '非政府憑證'}）{more_zh}{zh_chain}",
        f"{main.subject_cn} ({ca or 'non-government CA'}){more_en}{en_chain}",
    )
