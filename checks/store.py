"""The certificate store the browser reads (guide FAQ 4 and FAQ 10).

* ``store.registered``: is the card's certificate where the browser looks? Windows:
  CurrentUser\\MY, linked to the card's key provider. Linux: a browser NSS database (or
  p11-kit) loads a PKCS#11 module that sees the card. macOS: the card's certificate is
  readable through HiPKI/PKCS#11 (the keychain is not on the login path).
* ``store.stale``: expired or superseded copies of earlier card certificates.
* ``store.names``: several certificates that show the same name in the dialog.
"""

from __future__ import annotations

from collections import defaultdict

from checks.pkcs11_certs import card_certificates
from diagwizard.api import (
    Context,
    Finding,
    FindingDef,
    Result,
    Step,
    Text,
    found,
    ok,
    probe,
    skipped,
)
from diagwizard.system.adapters.certstore import StoreCert, same_library
from diagwizard.system.formats.certinfo import CertInfo, analyse

NOT_IN_STORE = FindingDef(
    "store.E001",
    Text(
        "卡片上的憑證不在瀏覽器使用的憑證存放區",
        "The card's certificate is not in the store the browser uses",
    ),
)
NO_KEY_LINK = FindingDef(
    "store.W002",
    Text(
        "憑證在存放區中，但沒有連結到卡片的金鑰（{provider}）",
        "The certificate is in the store but not linked to the card's key ({provider})",
    ),
)
NSS_MISSING_MODULE = FindingDef(
    "store.E003",
    Text(
        "瀏覽器沒有載入能讀取這張卡的 PKCS#11 模組（{dbs}）",
        "No browser loads a PKCS#11 module that can see this card ({dbs})",
    ),
)
NO_BROWSER_DB = FindingDef(
    "store.I004",
    Text("找不到瀏覽器的憑證資料庫（NSS）", "No browser certificate database (NSS) was found"),
)
EXPIRED_COPIES = FindingDef(
    "store.W010",
    Text(
        "存放區裡有 {count} 張已過期的舊憑證", "The store holds {count} expired old certificate(s)"
    ),
)
SUPERSEDED = FindingDef(
    "store.W011",
    Text(
        "存放區裡有 {count} 張被新卡取代的舊憑證",
        "The store holds {count} certificate(s) replaced by a newer card",
    ),
)
SAME_NAME = FindingDef(
    "store.W020",
    Text(
        "有 {count} 張憑證在選擇視窗中都顯示為「{name}」",
        "{count} certificates all show as “{name}” in the dialog",
    ),
)

HICOS_PROVIDER = "HiCOS"
GOV_CAS = ("MOICA", "MOEACA", "GCA", "XCA")


def _thumbprints(ders: list[str]) -> set[str]:
    return {StoreCert(d).thumbprint for d in ders}


def _card_modules(ctx: Context) -> list[str]:
    token = ctx.results.get("pkcs11.token")
    if token is None:
        return []
    return sorted({t["module"] for t in token.fact("tokens") or []})


@probe(
    "store.registered",
    "瀏覽器看得到憑證",
    "Certificate visible to the browser",
    area="cert",
    step=Step.STORE,
    wants=("pkcs11.token", "middleware.hipki"),
    timeout=6.0,
    codes=(NOT_IN_STORE, NO_KEY_LINK, NSS_MISSING_MODULE, NO_BROWSER_DB),
)
def registered(ctx: Context) -> Result:
    store = ctx.os.cert_store()
    if store is not None:
        card = _thumbprints(card_certificates(ctx))
        if not card:
            return skipped(Text("沒有讀到卡片上的憑證", "No card certificate was read"))
        mine = [c for c in store.personal() if c.thumbprint in card]
        facts = {
            "store": "CurrentUser\\MY",
            "in_store": len(mine),
            "providers": sorted({c.provider for c in mine}),
        }
        if not mine:
            return found(NOT_IN_STORE(), facts=facts)
        unlinked = [c for c in mine if HICOS_PROVIDER.lower() not in c.provider.lower()]
        if len(unlinked) == len(mine):
            return found(NO_KEY_LINK(provider=unlinked[0].provider or "—"), facts=facts)
        return ok(
            Text("憑證已在存放區，並連結到卡片", "Certificate in the store, linked to the card"),
            facts=facts,
        )
    modules = ctx.os.browser_modules()
    if modules is not None:
        registrations, dbs = modules
        seeing = _card_modules(ctx)
        facts = {
            "databases": dbs,
            "registered": [{"name": m.name, "library": m.library} for m in registrations],
            "card_modules": seeing,
        }
        if not seeing:
            return skipped(
                Text("沒有讀到卡片，無法比對", "No card read; nothing to compare"), facts=facts
            )
        if not dbs:
            return skipped(
                Text("找不到瀏覽器資料庫", "No browser database found"),
                NO_BROWSER_DB(),
                facts=facts,
            )
        if any(same_library(m.library, lib) for m in registrations for lib in seeing):
            return ok(
                Text("瀏覽器已載入讀卡模組", "The browser loads the card's module"),
                facts=facts,
            )
        return found(NSS_MISSING_MODULE(dbs=", ".join(dbs)), facts=facts)
    identities = ctx.os.smartcard_identities()
    if identities is not None:
        return _macos(ctx, identities)
    return skipped(Text("此平台無法檢查", "Not checkable on this platform"))


def _macos(ctx: Context, identities: list[str]) -> Result:
    """macOS: government-card login goes through the HiPKI Local Server and the HiCOS
    PKCS#11 module, not the keychain. A HiCOS card never appears among CryptoTokenKit
    tokens (`security list-smartcards`), so their absence is no fault: what counts is
    that the card's certificate was read the way the login page reads it."""
    card = card_certificates(ctx)
    facts = {"card_certificates": len(card), "cryptotokenkit_tokens": len(identities)}
    if card:
        return ok(
            Text(
                "登入網頁可經由 HiPKI 本機服務讀到卡片上的憑證",
                "The login page can read the card's certificate through HiPKI",
            ),
            facts=facts,
        )
    if identities:
        return ok(
            Text(
                "系統看得到智慧卡（CryptoTokenKit）",
                "The system sees a smart card (CryptoTokenKit)",
            ),
            facts=facts,
        )
    return skipped(
        Text(
            "沒有讀到卡片上的憑證（原因見讀卡機與元件的檢查）",
            "No card certificate was read (see the reader and middleware checks)",
        ),
        facts=facts,
    )


def _analysed(certs: list[StoreCert]) -> list[tuple[StoreCert, CertInfo]]:
    out = []
    for c in certs:
        info = analyse(c.der_b64)
        if info.ok and info.ca in GOV_CAS:
            out.append((c, info))
    return out


@probe(
    "store.stale",
    "舊憑證",
    "Old certificates in the store",
    area="cert",
    step=Step.STORE,
    platforms=frozenset({"windows"}),
    wants=("pkcs11.token", "middleware.hipki"),
    timeout=6.0,
    codes=(EXPIRED_COPIES, SUPERSEDED),
)
def stale(ctx: Context) -> Result:
    store = ctx.os.cert_store()
    if store is None:
        return skipped(Text("此平台沒有憑證存放區", "No certificate store here"))
    card = _thumbprints(card_certificates(ctx))
    gov = _analysed(store.personal())
    current_subjects = {i.subject for c, i in gov if c.thumbprint in card}
    expired = [(c, i) for c, i in gov if i.validity == "expired" and c.thumbprint not in card]
    superseded = [
        (c, i)
        for c, i in gov
        if i.validity != "expired" and c.thumbprint not in card and i.subject in current_subjects
    ]
    findings: list[Finding] = []
    if expired:
        findings.append(EXPIRED_COPIES(count=len(expired)))
    if superseded:
        findings.append(SUPERSEDED(count=len(superseded)))
    facts = {
        "old": [
            {"thumbprint": c.thumbprint, "not_after": i.not_after, "ca": i.ca}
            for c, i in expired + superseded
        ]
    }
    personal = {"old_subjects": [i.subject_cn for _, i in expired + superseded]}
    if findings:
        return found(
            *findings,
            summary=Text("存放區裡有舊憑證", "Old certificates in the store"),
            facts=facts,
            personal=personal,
        )
    return ok(Text("沒有多餘的舊憑證", "No stale certificates"), facts=facts, personal=personal)


def display_name(cert: StoreCert, info: CertInfo) -> str:
    """What the certificate dialog shows: the friendly name if set, else the subject CN."""
    return cert.friendly_name or info.subject_cn or info.subject


def duplicate_groups(certs: list[StoreCert]) -> dict[str, list[tuple[StoreCert, CertInfo]]]:
    groups: dict[str, list[tuple[StoreCert, CertInfo]]] = defaultdict(list)
    for c, i in _analysed(certs):
        if i.validity != "expired":
            groups[display_name(c, i)].append((c, i))
    return {name: members for name, members in groups.items() if len(members) > 1}


@probe(
    "store.names",
    "憑證名稱可分辨",
    "Certificates tell apart",
    area="cert",
    step=Step.STORE,
    platforms=frozenset({"windows"}),
    timeout=6.0,
    codes=(SAME_NAME,),
)
def names(ctx: Context) -> Result:
    store = ctx.os.cert_store()
    if store is None:
        return skipped(Text("此平台沒有憑證存放區", "No certificate store here"))
    groups = duplicate_groups(store.personal())
    findings = [SAME_NAME(count=len(members), name=name) for name, members in groups.items()]
    facts = {
        "duplicates": [
            {
                "thumbprint": c.thumbprint,
                "card_role": i.card_role or "unknown",
                "not_after": i.not_after[:10],
                "ca": i.ca,
            }
            for members in groups.values()
            for c, i in members
        ]
    }
    personal = {
        "names": list(groups),
        "serials": [i.serial for members in groups.values() for _, i in members],
    }
    if findings:
        return found(  # one summary for every group, and no holder's name in it
            *findings,
            summary=Text("有同名的憑證", "Certificates share a name"),
            facts=facts,
            personal=personal,
        )
    return ok(Text("每張憑證的名稱都不同", "Every certificate has its own name"), facts=facts)
