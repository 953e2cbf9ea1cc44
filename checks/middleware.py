"""Middleware probes: HiCOS (guide prerequisite 2), the old SafeSign (FAQ 4, 7), and the
HiPKI Local Server, the modern web component (prerequisite 3)."""

from __future__ import annotations

from pathlib import Path

from checks.hipki_meaning import (
    HIPKI_BAD,
    HIPKI_DOWN,
    HIPKI_FIELD,
    HIPKI_MINOR,
    HIPKI_NO_CARD,
    HIPKI_NO_READER,
    HIPKI_OTHER,
    HIPKI_REDIRECT,
    HIPKI_RET,
    HIPKI_UNKNOWN_TOKEN,
    hipki_certs,
    hipki_findings,
)
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
from diagwizard.system.formats.binfmt import library_archs
from diagwizard.system.transport.hipki import (
    HipkiBadAnswer,
    HipkiClient,
    HipkiRedirect,
    HipkiUnreachable,
)
from kb.components import components, version_tuple

# -- middleware.hicos ------------------------------------------------------------------
HICOS_MISSING = FindingDef(
    "middleware.E001", Text("找不到 HiCOS 卡片管理工具", "HiCOS card management tool not found")
)
HICOS_ONE_ARCH = FindingDef(
    "middleware.W002",
    Text(
        "HiCOS 只有 {have} 版本的程式庫（缺少 {missing}）",
        "HiCOS has only the {have} library (no {missing})",
    ),
)
HICOS_OLD = FindingDef(
    "middleware.W003",
    Text(
        "HiCOS 版本 {version} 過舊（目前版本 {current}）",
        "HiCOS {version} is outdated (current: {current})",
    ),
)
HICOS_NOT_CONFIGURED = FindingDef(
    "middleware.I004",
    Text(
        "此平台沒有預設的 HiCOS 程式庫位置；可在設定檔 [pkcs11] hicos 指定",
        "No default HiCOS library location on this platform; set [pkcs11] hicos in the config",
    ),
)

# -- middleware.safesign ---------------------------------------------------------------
SAFESIGN_PRESENT = FindingDef(
    "middleware.E010",
    Text("舊版 SafeSign 仍然安裝著（{where}）", "The old SafeSign is still installed ({where})"),
)
SAFESIGN_TG_CARD = FindingDef(
    "middleware.E011",
    Text(
        "卡號 TG 開頭的卡搭配舊版 SafeSign 會出現「unknow token」",
        "A card numbered TG… with the old SafeSign shows “unknow token”",
    ),
)


def _library_facts(paths: tuple[str, ...]) -> list[dict[str, object]]:
    return [{"path": p, "archs": list(library_archs(Path(p)))} for p in paths]


@probe(
    "middleware.hicos",
    "HiCOS 卡片管理工具",
    "HiCOS card middleware",
    area="component",
    step=Step.MIDDLEWARE,
    timeout=4.0,
    codes=(HICOS_MISSING, HICOS_ONE_ARCH, HICOS_OLD, HICOS_NOT_CONFIGURED),
)
def hicos(ctx: Context) -> Result:
    configured = [ctx.config.pkcs11.hicos] if ctx.config.pkcs11.hicos else []
    scan = ctx.os.middleware_scan("hicos", configured)
    libs = _library_facts(scan.libraries)
    version = next((p.version for p in scan.installed if p.version), "")
    facts = {
        "installed": [
            {"name": p.name, "version": p.version, "location": p.location} for p in scan.installed
        ],
        "libraries": libs,
        "version": version,
    }
    if not scan.installed and not scan.libraries:
        if ctx.os.system == "linux" and not configured:
            return skipped(
                Text("未設定 HiCOS 程式庫", "No HiCOS library configured"),
                HICOS_NOT_CONFIGURED(),
                facts=facts,
            )
        return found(HICOS_MISSING(), facts=facts)
    if scan.installed and not scan.libraries:
        return found(
            HICOS_MISSING(),
            summary=Text("HiCOS 安裝不完整：找不到程式庫", "HiCOS is incomplete: no library found"),
            facts=facts,
        )
    findings: list[Finding] = []
    archs = {a for lib in libs for a in lib["archs"]}  # type: ignore[attr-defined]
    if ctx.os.system == "windows" and archs and not {"x86", "x86_64"} <= archs:
        have = "/".join(sorted(archs))
        missing = "x86_64" if "x86_64" not in archs else "x86"
        findings.append(HICOS_ONE_ARCH(have=have, missing=missing))
    info = components()
    if version and version_tuple(version) < version_tuple(info.hicos.outdated_below):
        findings.append(HICOS_OLD(version=version, current=info.hicos.current))
    summary = Text(
        f"HiCOS {version or ''} 已安裝".replace("  ", " "),
        f"HiCOS {version} installed".replace("  ", " "),
    )
    return found(*findings, summary=summary, facts=facts)


def _card_serials(ctx: Context) -> list[str]:
    serials: list[str] = []
    token = ctx.results.get("pkcs11.token")
    if token is not None:
        serials += [str(s) for s in token.fact("serials") or []]
    hip = ctx.results.get("middleware.hipki")
    if hip is not None:
        serials += [str(s) for s in hip.fact("serials") or []]
    return serials


@probe(
    "middleware.safesign",
    "舊版 SafeSign",
    "Old SafeSign middleware",
    area="component",
    step=Step.MIDDLEWARE,
    timeout=4.0,
    wants=("pkcs11.token", "middleware.hipki"),
    codes=(SAFESIGN_PRESENT, SAFESIGN_TG_CARD),
)
def safesign(ctx: Context) -> Result:
    scan = ctx.os.middleware_scan("safesign")
    facts = {
        "installed": [{"name": p.name, "version": p.version} for p in scan.installed],
        "libraries": _library_facts(scan.libraries),
    }
    if not scan.installed and not scan.libraries:
        return ok(Text("沒有舊版 SafeSign", "No old SafeSign found"), facts=facts)
    where = ", ".join([p.name for p in scan.installed] + list(scan.libraries))
    findings = [SAFESIGN_PRESENT(where=where)]
    if any(s.upper().startswith("TG") for s in _card_serials(ctx)):
        findings.append(SAFESIGN_TG_CARD())
    return found(
        *findings,
        summary=Text("舊版 SafeSign 與 HiCOS 衝突", "Old SafeSign conflicts with HiCOS"),
        facts=facts,
    )


@probe(
    "middleware.hipki",
    "跨平台網頁元件",
    "HiPKI Local Server",
    area="component",
    step=Step.MIDDLEWARE,
    timeout=6.0,
    codes=(
        HIPKI_DOWN,
        HIPKI_BAD,
        *HIPKI_RET.values(),
        *HIPKI_MINOR.values(),
        HIPKI_UNKNOWN_TOKEN,
        HIPKI_FIELD,
        HIPKI_REDIRECT,
        HIPKI_NO_READER,
        HIPKI_NO_CARD,
        HIPKI_OTHER,
    ),
)
def hipki(ctx: Context) -> Result:
    client = HipkiClient(ctx.config.hipki.base_url, ctx.config.timeouts.network)
    facts: dict[str, object] = {"url": ctx.config.hipki.base_url}
    try:
        info = client.pkcs11info(with_certs=True)
    except HipkiUnreachable as exc:
        # The socket's own words (e.g. "[Errno 111] Connection refused") are a detail.
        return found(HIPKI_DOWN(), facts={**facts, "reason": exc.reason})
    except HipkiRedirect as exc:
        return found(HIPKI_REDIRECT(status=exc.status, location=exc.location or "-"), facts=facts)
    except HipkiBadAnswer as exc:
        return found(HIPKI_BAD(field=exc.field, expected=exc.expected), facts=facts)
    tokens = [(s, s.token) for s in info.slots if s.token]
    views, cert_personal = hipki_certs(info)
    facts.update(
        server_version=info.server_version,
        library=info.library,
        library_version=info.library_version,
        cryptoki_version=info.cryptoki_version,
        ret_code=f"0x{info.ret:08X}",
        last_error=f"0x{info.minor:X}",
        slots=[s.description for s in info.slots],
        tokens=[
            {"slot": s.description, "flags": t.flag_names, "flags_value": t.flags}
            for s, t in tokens
        ],
        certificate_list=views,
        certificate_ids=[c.id_hex for _, t in tokens for c in t.certs if c.certb64],
    )
    findings = hipki_findings(info)  # errors and warnings only: the status derives
    summary = Text(
        f"跨平台網頁元件 {info.server_version} 正常回應",
        f"HiPKI Local Server {info.server_version} answers",
    )
    personal = {
        "serials": [t.serial for _, t in tokens if t.serial],
        "labels": [t.label for _, t in tokens if t.label],
        **cert_personal,
    }
    return found(*findings, summary=summary, facts=facts, personal=personal)
