"""PKCS#11 probes: the token (each module in its own isolated child), its PIN state, and
its certificates.

Guide: prerequisites 2–3, FAQ 4–8 and the PIN section. Nothing here logs in: PIN state
comes from token flags (C_GetTokenInfo) and the HiPKI report, never from C_Login. The
token probe lives here; ``pkcs11_pin`` and ``pkcs11_certs`` hold the other two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from checks.pkcs11_certs import analyses_for_certs
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
from diagwizard.isolation.pkcs11 import CertObject, ModuleFailed, ModuleReport, scan_modules
from diagwizard.system.formats.binfmt import compatible, library_archs, running_arch

TIMEOUT = 8.0  # seconds for every module's child together (they run at the same time)

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
        "讀卡程式庫（PKCS#11 模組）{path} 當掉了（{how}）",
        "The card library (PKCS#11 module) {path} crashed ({how})",
    ),
)
MODULE_HUNG = FindingDef(
    "pkcs11.E045",
    Text(
        "讀卡程式庫（PKCS#11 模組）{path} 超過 {seconds:g} 秒沒有回應",
        "The card library (PKCS#11 module) {path} hung for {seconds:g} s",
    ),
)
NO_TOKEN = FindingDef(
    "pkcs11.E046", Text("讀卡程式庫沒有看到任何卡片", "The card library sees no card")
)
MODULE_ERROR = FindingDef(
    "pkcs11.W047",
    Text("讀卡程式庫回報錯誤：{error}", "The card library reported an error: {error}"),
)
NOT_CONTAINED = FindingDef(
    "pkcs11.E048",
    Text(
        "為了安全沒有載入讀卡程式庫 {path}：無法把它的子程式放進 Windows 工作物件（{how}）",
        "The card library {path} was not loaded, for safety: its child process could not be put in a Windows job object ({how})",
    ),
)
PATH_NOT_LOADABLE = FindingDef(
    "pkcs11.W049",
    Text(
        "無法從 {path} 載入讀卡程式庫來檢查：路徑含有中文等非英文字元，也沒有 8.3 短檔名可用",
        "Cannot load the card library from {path} to inspect it: the path has non-English characters and no 8.3 short name",
    ),
)


def _modules(ctx: Context) -> tuple[dict[str, str], list[Finding]]:
    """Modules to load: configured ones, then HiCOS where its location is known; each
    with the name it is loaded by (a Windows path PyKCS11 cannot pass may have an 8.3
    short name that it can)."""
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
    load_as: dict[str, str] = {}
    for path in chosen:
        name = ctx.os.module_load_name(path)
        if name is None:
            findings.append(PATH_NOT_LOADABLE(path=path))
        else:
            load_as[path] = name
    return load_as, findings


@probe(
    "pkcs11.token",
    "讀卡程式庫（PKCS#11）",
    "Card library (PKCS#11)",
    area="component",
    step=Step.MIDDLEWARE,
    explained_by="pcsc.card",
    explained_codes=(NO_TOKEN,),
    timeout=TIMEOUT,
    isolates_calls=True,
    codes=(
        NO_MODULE,
        MODULE_MISSING,
        WRONG_ARCH,
        LOAD_FAILED,
        MODULE_CRASHED,
        MODULE_HUNG,
        NO_TOKEN,
        MODULE_ERROR,
        NOT_CONTAINED,
        PATH_NOT_LOADABLE,
    ),
)
def token(ctx: Context) -> Result:
    load_as, findings = _modules(ctx)
    paths = list(load_as)
    if not paths and not findings:
        return skipped(
            Text("沒有可檢查的 PKCS#11 模組", "No PKCS#11 module to inspect"), NO_MODULE()
        )
    limit = ctx.time_limit or TIMEOUT
    modules: list[dict[str, Any]] = []
    tokens: list[dict[str, Any]] = []
    certs: list[dict[str, Any]] = []
    analyses: list[dict[str, Any]] = []  # the child's certificate analyses, for pkcs11.certs
    failed: list[ModuleFailed] = []
    reports = scan_modules([load_as[p] for p in paths], limit, analyse=True)
    for path, scanned in zip(paths, reports, strict=True):
        report = msgspec.structs.replace(scanned, path=path)  # the path as configured
        if isinstance(report, ModuleFailed):
            failed.append(report)
            findings.append(_failure(report, limit))
            continue
        findings += _module_findings(report)
        modules.append(
            {
                "path": report.path,
                "loaded": report.loaded,
                "description": report.description,
                "version": report.version,
            }
        )
        for t in report.tokens:
            tokens.append(
                {k: v for k, v in msgspec.structs.asdict(t).items() if k != "certificates"}
                | {"module": report.path}
            )
            analyses += analyses_for_certs(t.certificates)
            certs += [_cert_fact(report.path, t.slot, c) for c in t.certificates]
    if any(m["loaded"] for m in modules) and not tokens:
        findings.append(NO_TOKEN())
    facts = {"modules": modules, "tokens": tokens}
    personal = {
        "serials": [t["serial"] for t in tokens],
        "labels": [t["label"] for t in tokens],  # OpenSC labels a token with the holder's name
        "certificates": certs,
    }
    if not tokens:  # always holds an error
        status = _failed_status(failed)
        return found(*findings, status=status, facts=facts, personal=personal)
    first = tokens[0]
    summary = Text(f"讀到卡片「{first['label']}」", f"Token “{first['label']}” found")
    # A token was read: a module that failed beside it is only worth a warning.
    return found(
        *findings,
        summary=summary,
        status=Status.WARN if findings else Status.OK,
        facts=facts,
        personal=personal,
        data={"analyses": analyses},
    )


def _cert_fact(module: str, slot: int, cert: CertObject) -> dict[str, Any]:
    """A certificate as ``pkcs11.token`` reports it (the child's analysis stays out)."""
    return {
        "module": module,
        "slot": slot,
        **{k: v for k, v in msgspec.structs.asdict(cert).items() if k != "info"},
    }


def _module_findings(report: ModuleReport) -> list[Finding]:
    if not report.loaded:
        return [LOAD_FAILED(path=report.path, error=report.error)]
    return [MODULE_ERROR(error=report.error)] if report.error else []


def _failure(failed: ModuleFailed, limit: float) -> Finding:
    if not failed.contained:
        return NOT_CONTAINED(path=failed.path, how=failed.how)
    if failed.timed_out:
        return MODULE_HUNG(path=failed.path, seconds=limit)
    return MODULE_CRASHED(path=failed.path, how=failed.how)


def _failed_status(failed: list[ModuleFailed]) -> Status | None:
    """With no token read, a crash is an ``error`` and a hang a ``timeout`` (as for an
    isolated probe): the check could not finish, which is not the same as "no card"."""
    if any(not f.timed_out for f in failed):
        return Status.ERROR
    return Status.TIMEOUT if failed else None
