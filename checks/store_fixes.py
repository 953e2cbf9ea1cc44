"""Fixes for the certificate-store probes (guide FAQ 4 and FAQ 10), after consent.

* Linux: register the card's PKCS#11 module in each browser NSS database that lacks it,
  and remove registrations of module files that no longer exist (modutil).
* Windows: distinct friendly names for same-named certificates; remove expired or
  superseded copies of the person's own certificates (kept in the fix log for undo).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from checks.friendly_names import propose
from diagwizard.api import Text
from diagwizard.api.fix import Change, Fix, FixContext, FixFailed, Plan
from diagwizard.system.adapters.certstore import ModuleRegistration, same_library

LINUX = frozenset({"linux"})
WINDOWS = frozenset({"windows"})
CLOSE_BROWSER = Text(
    "關閉 Firefox 與 Chrome；變更會在瀏覽器下次開啟時生效。",
    "close Firefox and Chrome; the change takes effect when the browser opens again.",
)


# -- Linux: NSS module registration ------------------------------------------------------------


def _card_modules(ctx: FixContext) -> list[str]:
    token = ctx.results.get("pkcs11.token")
    tokens = (token.fact("tokens") if token is not None else None) or []
    return sorted({t["module"] for t in tokens if t.get("module")})


def _by_db(ctx: FixContext) -> tuple[dict[str, list[ModuleRegistration]], bool, list[str]]:
    """Registrations per NSS database, whether p11-kit already covers the card, the dbs."""
    found = ctx.os.browser_modules()
    if found is None:
        return {}, False, []
    regs, dbs = found
    per_db: dict[str, list[ModuleRegistration]] = {db: [] for db in dbs}
    p11kit: list[ModuleRegistration] = []
    for reg in regs:
        if reg.source.endswith("pkcs11.txt"):
            per_db.setdefault(str(Path(reg.source).parent), []).append(reg)
        else:
            p11kit.append(reg)
    covered = any(same_library(r.library, m) for r in p11kit for m in _card_modules(ctx))
    return per_db, covered, dbs


def module_name(library: str, taken: set[str]) -> str:
    base = "HiCOS PKCS#11" if "hicos" in library.lower() else f"{Path(library).stem} (PKCS#11)"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} {n}"
    return name


def plan_nss_add(ctx: FixContext) -> Plan | None:
    modules = _card_modules(ctx)
    per_db, covered, _ = _by_db(ctx)
    if not modules or covered or not ctx.ops.nss_tools():
        return None
    library = modules[0]
    changes, adds = [], []
    for db, regs in per_db.items():
        if any(same_library(r.library, m) for r in regs for m in modules):
            continue
        name = module_name(library, {r.name for r in regs})
        command = ctx.ops.nss_add(db, name, library)
        changes.append(
            Change(
                Text(
                    f"在瀏覽器資料庫 {db} 登錄 PKCS#11 模組「{name}」（{library}）",
                    f"Register the PKCS#11 module “{name}” ({library}) in the browser database {db}",
                ),
                command,
            )
        )
        adds.append({"db": db, "name": name, "library": library})
    return Plan(tuple(changes), {"add": adds}, note=CLOSE_BROWSER)


def apply_nss_add(ctx: FixContext, plan: Plan) -> dict[str, Any]:
    done: list[dict[str, str]] = []
    try:
        for add in plan.data["add"]:
            ctx.ops.run(ctx.ops.nss_add(add["db"], add["name"], add["library"]))
            done.append(add)
    except FixFailed:
        undo_nss_add(ctx, {"add": done})  # all or nothing
        raise
    return {"add": done}


def undo_nss_add(ctx: FixContext, data: dict[str, Any]) -> None:
    for add in reversed(data["add"]):
        ctx.ops.run(ctx.ops.nss_delete(add["db"], add["name"]))


NSS_ADD = Fix(
    id="store.nss_add",
    title=Text(
        "在瀏覽器登錄讀卡的 PKCS#11 模組", "Register the card's PKCS#11 module in the browsers"
    ),
    codes=("store.E003",),
    probes=("store.registered",),
    undo_text=Text(
        "diagwizard fix --undo 會從這些資料庫刪除這筆登錄",
        "diagwizard fix --undo deletes the registration from these databases again",
    ),
    plan=plan_nss_add,
    apply=apply_nss_add,
    undo=undo_nss_add,
    platforms=LINUX,
)


def _record(db: str, name: str, library: str) -> str:
    """The pkcs11.txt record (blank-line separated block) of one registration."""
    try:
        text = (Path(db) / "pkcs11.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    for block in re.split(r"\n\s*\n", text):
        lines = {line.strip() for line in block.splitlines()}
        if f"library={library}" in lines and f"name={name}" in lines:
            return block.strip("\n")
    return ""


def plan_nss_missing(ctx: FixContext) -> Plan | None:
    per_db, _, _ = _by_db(ctx)
    if not ctx.ops.nss_tools():
        return None
    changes, removals = [], []
    for db, regs in per_db.items():
        for reg in regs:
            if not reg.library.startswith("/") or Path(reg.library).exists():
                continue
            changes.append(
                Change(
                    Text(
                        f"從瀏覽器資料庫 {db} 刪除模組「{reg.name}」的登錄（{reg.library} 已不存在）",
                        f"Remove the registration of “{reg.name}” from the browser database {db} ({reg.library} no longer exists)",
                    ),
                    ctx.ops.nss_delete(db, reg.name),
                )
            )
            removals.append({"db": db, "name": reg.name, "library": reg.library})
    return Plan(tuple(changes), {"remove": removals}, note=CLOSE_BROWSER)


def apply_nss_missing(ctx: FixContext, plan: Plan) -> dict[str, Any]:
    undo: list[dict[str, str]] = []
    for rm in plan.data["remove"]:
        record = _record(rm["db"], rm["name"], rm["library"])
        ctx.ops.run(ctx.ops.nss_delete(rm["db"], rm["name"]))
        undo.append({"db": rm["db"], "record": record})
    return {"restore": undo}


def undo_nss_missing(ctx: FixContext, data: dict[str, Any]) -> None:
    """modutil refuses to add a missing library, so the saved record goes back as text."""
    for item in data["restore"]:
        if not item["record"]:
            continue
        path = Path(item["db"]) / "pkcs11.txt"
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(f"{text}\n\n{item['record']}\n", encoding="utf-8")


NSS_MISSING = Fix(
    id="store.nss_remove_missing",
    title=Text(
        "刪除瀏覽器中已不存在的模組登錄", "Remove browser registrations of modules that are gone"
    ),
    codes=(),
    probes=("store.registered",),
    undo_text=Text(
        "diagwizard fix --undo 會把刪除的登錄原樣寫回",
        "diagwizard fix --undo writes the removed registrations back as they were",
    ),
    plan=plan_nss_missing,
    apply=apply_nss_missing,
    undo=undo_nss_missing,
    platforms=LINUX,
)


# -- Windows: friendly names (FAQ 10) ----------------------------------------------------------


def plan_names(ctx: FixContext) -> Plan | None:
    store = ctx.os.cert_store()
    if store is None:
        return None
    old = {c.thumbprint: c.friendly_name for c in store.personal()}
    proposals = propose(store, ctx.lang)
    changes = tuple(
        Change(
            Text(
                f"憑證 {p.thumbprint[:8]}… 的好記名稱：「{p.current}」→「{p.proposed}」",
                f"Friendly name of certificate {p.thumbprint[:8]}…: “{p.current}” → “{p.proposed}”",
            )
        )
        for p in proposals
    )
    data = {
        "names": [
            {"thumbprint": p.thumbprint, "old": old.get(p.thumbprint, ""), "new": p.proposed}
            for p in proposals
        ]
    }
    return Plan(changes, data)


def apply_names(ctx: FixContext, plan: Plan) -> dict[str, Any]:
    store = ctx.os.cert_store()
    if store is None:
        raise LookupError("no certificate store")
    for n in plan.data["names"]:
        store.set_friendly_name(n["thumbprint"], n["new"])
    return {"names": list(plan.data["names"])}


def undo_names(ctx: FixContext, data: dict[str, Any]) -> None:
    store, editor = ctx.os.cert_store(), ctx.ops.cert_editor()
    if store is None or editor is None:
        raise LookupError("no certificate store")
    for n in data["names"]:
        if n["old"]:
            store.set_friendly_name(n["thumbprint"], n["old"])
        else:
            editor.clear_friendly_name(n["thumbprint"])


NAMES = Fix(
    id="store.names",
    title=Text(
        "為同名的憑證設定可分辨的好記名稱", "Give same-named certificates distinct friendly names"
    ),
    codes=("store.W020",),
    probes=("store.names",),
    undo_text=Text(
        "diagwizard fix --undo 會還原原本的名稱", "diagwizard fix --undo restores the old names"
    ),
    plan=plan_names,
    apply=apply_names,
    undo=undo_names,
    platforms=WINDOWS,
)


# -- Windows: old copies of the person's own certificates (FAQ 4) -----------------------------


def plan_stale(ctx: FixContext) -> Plan | None:
    stale = ctx.results.get("store.stale")
    old = (stale.fact("old") if stale is not None else None) or []
    store = ctx.os.cert_store()
    if not old or store is None or ctx.ops.cert_editor() is None:
        return None
    present = {c.thumbprint for c in store.personal()}
    rows = [o for o in old if o["thumbprint"] in present]
    changes = tuple(
        Change(
            Text(
                f"從個人憑證存放區（CurrentUser\\MY）移除舊憑證 {o['thumbprint'][:8]}…（{o['ca']}，效期至 {str(o['not_after'])[:10]}）",
                f"Remove the old certificate {o['thumbprint'][:8]}… ({o['ca']}, valid until {str(o['not_after'])[:10]}) from the personal store (CurrentUser\\MY)",
            )
        )
        for o in rows
    )
    return Plan(changes, {"thumbprints": [o["thumbprint"] for o in rows]})


def apply_stale(ctx: FixContext, plan: Plan) -> dict[str, Any]:
    store, editor = ctx.os.cert_store(), ctx.ops.cert_editor()
    if store is None or editor is None:
        raise LookupError("no certificate store")
    by_thumb = {c.thumbprint: c for c in store.personal()}
    removed = []
    for thumb in plan.data["thumbprints"]:
        cert = by_thumb[thumb]
        element = editor.delete(thumb)
        # The store element holds the certificate with its properties (the key link to
        # the card, the friendly name): undo puts back exactly what was there.
        removed.append(
            {"der_b64": cert.der_b64, "friendly_name": cert.friendly_name, "element": element}
        )
    return {"removed": removed}


def undo_stale(ctx: FixContext, data: dict[str, Any]) -> None:
    editor = ctx.ops.cert_editor()
    if editor is None:
        raise LookupError("no certificate store")
    for cert in data["removed"]:
        if cert.get("element"):
            editor.restore(cert["element"])
        else:  # logged by a version that kept only the bytes and the name
            editor.add(cert["der_b64"], cert["friendly_name"])


STALE = Fix(
    id="store.remove_stale",
    title=Text(
        "從存放區移除過期或已被取代的舊憑證",
        "Remove expired or replaced old certificates from the store",
    ),
    codes=("store.W010", "store.W011"),
    probes=("store.stale",),
    undo_text=Text(
        "diagwizard fix --undo 會把移除的憑證原樣放回存放區（含好記名稱與卡片金鑰的連結）",
        "diagwizard fix --undo puts the removed certificates back as they were (with their friendly names and their link to the card's key)",
    ),
    plan=plan_stale,
    apply=apply_stale,
    undo=undo_stale,
    platforms=WINDOWS,
)
