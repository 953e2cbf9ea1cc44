"""PKCS#11 probes: the token (in an isolated child), its PIN state, and its certificates.

Guide: prerequisites 2–3, FAQ 4–8 and the PIN section. Nothing here logs in: PIN state
comes from token flags (C_GetTokenInfo) and the HiPKI report, never from C_Login.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from diagwizard.binfmt import compatible, library_archs, running_arch
from diagwizard.certinfo import CertInfo, analyse, label, public_view
from diagwizard.context import Context
from diagwizard.model import Finding, FindingDef, Result, Status, Text, probe, result

# -- pkcs11.token ----------------------------------------------------------------------
NO_MODULE = FindingDef(
    "pkcs11.I040",
    Text(
        "沒有可檢查的 PKCS#11 模組（HiCOS 未找到，也未設定）",
        "No PKCS#11 module to inspect (HiCOS not found, none configured)",
    ),
)
MODULE_MISSING = FindingDef(
    "pkcs11.E041", Text("找不到 PKCS#11 模組檔案 {path}", "PKCS#11 module file {path} not found")
)
WRONG_ARCH = FindingDef(
    "pkcs11.E042",
    Text(
        "模組 {path} 是 {archs} 版本，與本程式（{mine}）不符",
        "Module {path} is built for {archs}, not for this program ({mine})",
    ),
)
LOAD_FAILED = FindingDef(
    "pkcs11.E043", Text("無法載入模組 {path}：{error}", "Cannot load module {path}: {error}")
)
MODULE_CRASHED = FindingDef(
    "pkcs11.E044",
    Text(
        "讀卡程式庫（PKCS#11 模組）當掉了（{how}）",
        "The card library (PKCS#11 module) crashed ({how})",
    ),
)
MODULE_HUNG = FindingDef(
    "pkcs11.E045",
    Text(
        "讀卡程式庫（PKCS#11 模組）超過 {seconds:g} 秒沒有回應",
        "The card library (PKCS#11 module) hung for {seconds:g} s",
    ),
)
NO_TOKEN = FindingDef(
    "pkcs11.E046", Text("讀卡程式庫沒有看到任何卡片", "The card library sees no card")
)
MODULE_ERROR = FindingDef(
    "pkcs11.W047",
    Text("讀卡程式庫回報錯誤：{error}", "The card library reported an error: {error}"),
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


def _modules(ctx: Context) -> tuple[list[str], list[Finding]]:
    """Modules to load: configured ones, then HiCOS where its location is known."""
    findings: list[Finding] = []
    chosen: list[str] = []
    configured = list(ctx.config.pkcs11.modules)
    hicos_cfg = [ctx.config.pkcs11.hicos] if ctx.config.pkcs11.hicos else []
    discovered = list(ctx.os.middleware_scan("hicos", hicos_cfg).libraries)
    mine = running_arch()
    wrong: list[tuple[str, tuple[str, ...]]] = []
    for path in [*configured, *discovered]:
        if path in chosen:
            continue
        if not Path(path).is_file():
            findings.append(MODULE_MISSING(path=path))
            continue
        archs = library_archs(Path(path))
        if compatible(archs, mine) is False:
            wrong.append((path, archs))
            continue
        chosen.append(path)
    if not chosen:  # only worth reporting when nothing loadable was found
        findings += [WRONG_ARCH(path=p, archs="/".join(a), mine=mine) for p, a in wrong]
    return chosen, findings


@probe(
    "pkcs11.token",
    "讀卡程式庫（PKCS#11）",
    "Card library (PKCS#11)",
    area="component",
    timeout=8.0,
    isolated=True,
    on_crash=MODULE_CRASHED,
    on_timeout=MODULE_HUNG,
    codes=(
        NO_MODULE,
        MODULE_MISSING,
        WRONG_ARCH,
        LOAD_FAILED,
        MODULE_CRASHED,
        MODULE_HUNG,
        NO_TOKEN,
        MODULE_ERROR,
    ),
)
def token(ctx: Context) -> Result:
    from diagwizard.transport.pkcs11 import scan_module

    paths, findings = _modules(ctx)
    if not paths and not findings:
        return result(
            Status.SKIP,
            Text("沒有可檢查的 PKCS#11 模組", "No PKCS#11 module to inspect"),
            NO_MODULE(),
        )
    modules, tokens, certs, serials, labels = [], [], [], [], []
    for path in paths:
        report = scan_module(path)
        if not report.loaded:
            findings.append(LOAD_FAILED(path=path, error=report.error))
        elif report.error:
            findings.append(MODULE_ERROR(error=report.error))
        modules.append(
            {
                "path": path,
                "loaded": report.loaded,
                "description": report.description,
                "version": report.version,
            }
        )
        for t in report.tokens:
            serials.append(t.serial)
            labels.append(t.label)  # OpenSC and others label a token with the holder's name
            tokens.append(
                {k: v for k, v in asdict(t).items() if k not in ("certificates",)}
                | {"module": path}
            )
            certs += [{"module": path, "slot": t.slot, **asdict(c)} for c in t.certificates]
    loaded = [m for m in modules if m["loaded"]]
    if loaded and not tokens:
        findings.append(NO_TOKEN())
    facts = {"modules": modules, "tokens": tokens}
    personal = {"serials": serials, "labels": labels, "certificates": certs}
    if not tokens:
        return result(
            Status.FAIL,
            Text("讀卡程式庫沒有讀到卡片", "No token seen by the card library"),
            *findings,
            facts=facts,
            personal=personal,
        )
    first = tokens[0]
    summary = Text(f"讀到卡片「{first['label']}」", f"Token “{first['label']}” found")
    return result(
        Status.WARN if findings else Status.OK, summary, *findings, facts=facts, personal=personal
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
    if tok is not None and tok.status in (Status.OK, Status.WARN):
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
        return result(
            Status.SKIP,
            Text("沒有讀到卡片，無法得知 PIN 碼狀態", "No card read; PIN state not known"),
        )
    flags = {f for fl in said.values() for f in fl}
    found = {d.code: d for name, d in _FLAG_FINDING.items() if name in flags}
    worst = max((_PIN_RANK[c] for c in found), default=0)
    findings = [d() for d in sorted(found.values(), key=lambda d: -_PIN_RANK[d.code])[:1]]
    if "USER_PIN_TO_BE_CHANGED" in flags:
        findings.append(TO_BE_CHANGED())
    if len(said) > 1 and (worst or "USER_PIN_TO_BE_CHANGED" in flags):
        findings.append(PIN_SAID_PKCS11(flags=_pin_words(said["pkcs11"]) or "-"))
        findings.append(PIN_SAID_HIPKI(flags=_pin_words(said["hipki"]) or "-"))
    tries = {3: "locked", 2: "one", 1: "fewer", 0: "unknown"}[worst]
    facts = {"flags": sorted(flags), "tries_left": tries, "sources": list(said), "said": said}
    if worst == 3:
        return result(Status.FAIL, Text("卡片已鎖住", "Card locked"), *findings, facts=facts)
    if worst == 2:
        return result(Status.FAIL, Text("只剩最後一次機會", "One try left"), *findings, facts=facts)
    if worst == 1:
        return result(
            Status.WARN, Text("PIN 碼已輸錯過", "Wrong PINs were entered"), *findings, facts=facts
        )
    findings.append(PIN_STATE_UNKNOWN())
    return result(
        Status.OK, Text("沒有 PIN 碼錯誤的紀錄", "No PIN problem reported"), *findings, facts=facts
    )


def _pin_words(flags: list[str]) -> str:
    state = (
        "USER_PIN_LOCKED",
        "USER_PIN_FINAL_TRY",
        "USER_PIN_COUNT_LOW",
        "USER_PIN_TO_BE_CHANGED",
    )
    return ", ".join(f.removeprefix("USER_PIN_") for f in state if f in flags)


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
    wants=("pkcs11.token", "middleware.hipki"),
    timeout=4.0,
    codes=(EXPIRED, NOT_YET_VALID, EXPIRING, UNPARSEABLE, NO_CERTS, NOT_GOVERNMENT, NO_USER_CERT),
)
def certs(ctx: Context) -> Result:
    raw = _collect_certs(ctx)
    token_seen = any(
        ctx.results.get(p) is not None and ctx.results[p].status in (Status.OK, Status.WARN)
        for p in ("pkcs11.token", "middleware.hipki")
    )
    if not raw:
        if token_seen:
            return result(
                Status.FAIL, Text("卡片上沒有憑證", "No certificate on the card"), NO_CERTS()
            )
        return result(
            Status.SKIP,
            Text("沒有讀到卡片，無法檢查憑證", "No card read; certificates not checked"),
        )
    findings, infos = cert_findings(analyse(c["der_b64"], cka_id_hex=c["id_hex"]) for c in raw)
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
        return result(
            Status.FAIL,
            Text("憑證無法解讀", "Certificates unreadable"),
            *findings,
            facts=facts,
            personal=personal,
        )
    if not users:
        findings.append(NO_USER_CERT())
    summary = certs_summary(users, chain)
    return result(status_of(findings), summary, *findings, facts=facts, personal=personal)


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


def status_of(findings: list[Finding]) -> Status:
    if any(f.severity == "error" for f in findings):
        return Status.FAIL
    return Status.WARN if any(f.severity == "warning" for f in findings) else Status.OK


PROBES = [token, pin, certs]
