"""Fixes for the certificate-store probes (guide FAQ 4 and FAQ 10), after consent.

* Linux: register the card's PKCS#11 module in each browser NSS database that lacks it,
  and remove registrations of module files that no longer exist (modutil).
* Windows: distinct friendly names for same-named certificates; remove expired or
  superseded copies of the person's own certificates (kept in the fix log for undo).

Undo is planned again from the logged record and the current check: an NSS database
must be one this check found, a registration is deleted only while it is there with the
logged library, and every change goes through modutil or the certificate store's API.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path
from typing import Annotated, Any

import msgspec

from checks.friendly_names import propose
from checks.store import GOV_CAS
from diagwizard.api import Text
from diagwizard.api.fix import (
    Change,
    Fix,
    FixContext,
    PartlyDone,
    Plan,
    Undo,
    each_or_none,
)
from diagwizard.system.adapters.certstore import ModuleRegistration, same_library
from diagwizard.system.formats.certinfo import analyse

LINUX = frozenset({"linux"})
WINDOWS = frozenset({"windows"})
CLOSE_BROWSER = Text(
    "關閉 Firefox 與 Chrome；變更會在瀏覽器下次開啟時生效。",
    "close Firefox and Chrome; the change takes effect when the browser opens again.",
)

# What a logged record may hold: bounded, printable, absolute paths.
_Text = Annotated[str, msgspec.Meta(min_length=1, max_length=512, pattern=r"^[^\x00-\x1f\x7f]+$")]
_AbsPath = Annotated[str, msgspec.Meta(max_length=4096, pattern=r"^/[^\x00-\x1f\x7f]*$")]


class NssRegistration(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    db: _AbsPath  # an NSS database folder
    name: _Text  # the module's registered name
    library: _AbsPath  # its library file


class NssAdded(msgspec.Struct, forbid_unknown_fields=True):
    """Undo record of store.nss_add: the registrations it made."""

    added: list[NssRegistration]


class NssRemoved(msgspec.Struct, forbid_unknown_fields=True):
    """Undo record of store.nss_remove_missing: the registrations it deleted."""

    removed: list[NssRegistration]


# -- Linux: NSS module registration ------------------------------------------------------------


def _card_modules(ctx: FixContext) -> list[str]:
    token = ctx.results.get("pkcs11.token")
    tokens = (token.fact("tokens") if token is not None else None) or []
    return sorted({t["module"] for t in tokens if t.get("module")})


def _by_db(ctx: FixContext) -> tuple[dict[str, list[ModuleRegistration]], bool]:
    """Registrations per NSS database this check found, and whether p11-kit already
    covers the card."""
    found = ctx.os.browser_modules()
    if found is None:
        return {}, False
    regs, dbs = found
    per_db: dict[str, list[ModuleRegistration]] = {db: [] for db in dbs}
    p11kit: list[ModuleRegistration] = []
    for reg in regs:
        if reg.source.endswith("pkcs11.txt"):
            per_db.setdefault(str(Path(reg.source).parent), []).append(reg)
        else:
            p11kit.append(reg)
    covered = any(same_library(r.library, m) for r in p11kit for m in _card_modules(ctx))
    return per_db, covered


def module_name(library: str, taken: set[str]) -> str:
    base = "HiCOS PKCS#11" if "hicos" in library.lower() else f"{Path(library).stem} (PKCS#11)"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} {n}"
    return name


def _add_text(r: NssRegistration) -> Text:
    return Text(
        f"在瀏覽器資料庫 {r.db} 登錄 PKCS#11 模組「{r.name}」（{r.library}）",
        f"Register the PKCS#11 module “{r.name}” ({r.library}) in the browser database {r.db}",
    )


def _delete_text(r: NssRegistration) -> Text:
    return Text(
        f"從瀏覽器資料庫 {r.db} 刪除模組「{r.name}」的登錄（{r.library}）",
        f"Remove the registration of “{r.name}” ({r.library}) from the browser database {r.db}",
    )


def _add(ctx: FixContext, r: NssRegistration) -> None:
    ctx.ops.run(ctx.ops.nss_add(r.db, r.name, r.library))


def _delete(ctx: FixContext, r: NssRegistration) -> None:
    ctx.ops.run(ctx.ops.nss_delete(r.db, r.name))


def plan_nss_add(ctx: FixContext) -> Plan | None:
    modules = _card_modules(ctx)
    per_db, covered = _by_db(ctx)
    if not modules or covered or not ctx.ops.nss_tools():
        return None
    library = modules[0]
    adds = []
    for db, regs in per_db.items():
        if any(same_library(r.library, m) for r in regs for m in modules):
            continue
        adds.append(NssRegistration(db, module_name(library, {r.name for r in regs}), library))
    changes = tuple(Change(_add_text(r), ctx.ops.nss_add(r.db, r.name, r.library)) for r in adds)
    return Plan(changes, {"add": adds}, note=CLOSE_BROWSER)


def apply_nss_add(ctx: FixContext, plan: Plan) -> NssAdded:
    adds: list[NssRegistration] = plan.data["add"]
    try:  # all or nothing: a failure deletes what was registered before it
        each_or_none(adds, lambda r: _add(ctx, r), lambda r: _delete(ctx, r))
    except PartlyDone as exc:
        raise exc.logging(NssAdded(exc.left)) from None
    return NssAdded(adds)


def _current(ctx: FixContext) -> dict[str, list[ModuleRegistration]] | None:
    """The NSS databases this check finds, with their registrations."""
    if not ctx.ops.nss_tools():
        return None
    return _by_db(ctx)[0]


def _unknown_db(r: NssRegistration) -> Text:
    return Text(
        f"{r.db}：這次檢查沒有找到這個瀏覽器資料庫",
        f"{r.db}: this check finds no such browser database",
    )


def plan_undo_nss_add(ctx: FixContext, record: NssAdded) -> Plan | None:
    """Delete each logged registration that is there now, with the logged library."""
    per_db = _current(ctx)
    if per_db is None:
        return None
    changes, deletes, left = [], [], []
    for r in record.added:
        if r.db not in per_db:
            left.append(_unknown_db(r))
        elif not any(g.name == r.name and g.library == r.library for g in per_db[r.db]):
            left.append(
                Text(
                    f"{r.db}：沒有名為「{r.name}」、程式庫為 {r.library} 的登錄",
                    f"{r.db}: no registration “{r.name}” of {r.library}",
                )
            )
        else:
            changes.append(Change(_delete_text(r), ctx.ops.nss_delete(r.db, r.name)))
            deletes.append(r)
    return Plan(tuple(changes), {"delete": deletes}, note=CLOSE_BROWSER, left_alone=tuple(left))


def undo_nss_add(ctx: FixContext, plan: Plan) -> None:
    each_or_none(plan.data["delete"], lambda r: _delete(ctx, r), lambda r: _add(ctx, r))


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
    undo=Undo(NssAdded, plan_undo_nss_add, undo_nss_add),
    platforms=LINUX,
)


def plan_nss_missing(ctx: FixContext) -> Plan | None:
    per_db = _current(ctx)
    if per_db is None:
        return None
    removals = [
        NssRegistration(db, reg.name, reg.library)
        for db, regs in per_db.items()
        for reg in regs
        if reg.library.startswith("/") and not Path(reg.library).exists()
    ]
    changes = tuple(
        Change(
            Text(
                f"從瀏覽器資料庫 {r.db} 刪除模組「{r.name}」的登錄（{r.library} 已不存在）",
                f"Remove the registration of “{r.name}” from the browser database {r.db} ({r.library} no longer exists)",
            ),
            ctx.ops.nss_delete(r.db, r.name),
        )
        for r in removals
    )
    return Plan(changes, {"remove": removals}, note=CLOSE_BROWSER)


def apply_nss_missing(ctx: FixContext, plan: Plan) -> NssRemoved:
    removals: list[NssRegistration] = plan.data["remove"]
    done: list[NssRegistration] = []
    try:
        for r in removals:
            _delete(ctx, r)
            done.append(r)
    except Exception as exc:
        # modutil cannot register a missing library again, so nothing is rolled back:
        # the log names exactly the registrations removed before the failure.
        raise PartlyDone(exc, done).logging(NssRemoved(done)) from None
    return NssRemoved(done)


def plan_undo_nss_missing(ctx: FixContext, record: NssRemoved) -> Plan | None:
    """Register each removed module again with modutil, once its library file is back."""
    per_db = _current(ctx)
    if per_db is None:
        return None
    changes, adds, left = [], [], []
    for r in record.removed:
        if r.db not in per_db:
            left.append(_unknown_db(r))
        elif any(g.name == r.name for g in per_db[r.db]):
            left.append(
                Text(f"{r.db}：「{r.name}」已經登錄", f"{r.db}: “{r.name}” is registered already")
            )
        elif not Path(r.library).is_file():
            left.append(
                Text(
                    f"{r.library} 仍不存在：modutil 無法登錄不存在的程式庫，請先重新安裝它",
                    f"{r.library} is still missing: modutil cannot register a missing library; "
                    "install it again first",
                )
            )
        else:
            changes.append(Change(_add_text(r), ctx.ops.nss_add(r.db, r.name, r.library)))
            adds.append(r)
    return Plan(tuple(changes), {"add": adds}, note=CLOSE_BROWSER, left_alone=tuple(left))


def undo_nss_missing(ctx: FixContext, plan: Plan) -> None:
    each_or_none(plan.data["add"], lambda r: _add(ctx, r), lambda r: _delete(ctx, r))


NSS_MISSING = Fix(
    id="store.nss_remove_missing",
    title=Text(
        "刪除瀏覽器中已不存在的模組登錄", "Remove browser registrations of modules that are gone"
    ),
    codes=(),
    probes=("store.registered",),
    undo_text=Text(
        "diagwizard fix --undo 會用 modutil 重新登錄這些模組（需先把程式庫檔案裝回去）",
        "diagwizard fix --undo registers these modules again with modutil (once their "
        "library files are back)",
    ),
    plan=plan_nss_missing,
    apply=apply_nss_missing,
    undo=Undo(NssRemoved, plan_undo_nss_missing, undo_nss_missing),
    platforms=LINUX,
)


# -- Windows: friendly names (FAQ 10) ----------------------------------------------------------

Thumbprint = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-F]{40}$")]
FriendlyName = Annotated[str, msgspec.Meta(max_length=256, pattern=r"^[^\x00-\x1f\x7f]*$")]


class OldName(msgspec.Struct, forbid_unknown_fields=True):
    thumbprint: Thumbprint
    old: FriendlyName  # "" = it had none


class NamesChanged(msgspec.Struct, forbid_unknown_fields=True):
    """Undo record of store.names: each certificate renamed, with its old name."""

    names: list[OldName]


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


def _set_name(ctx: FixContext, thumbprint: str, name: str) -> None:
    store = ctx.os.cert_store()
    editor = ctx.ops.cert_editor() if not name else None
    if store is None or (not name and editor is None):
        raise LookupError("no certificate store")
    if editor is not None:
        editor.clear_friendly_name(thumbprint)
    else:
        store.set_friendly_name(thumbprint, name)


def apply_names(ctx: FixContext, plan: Plan) -> NamesChanged:
    names = plan.data["names"]
    try:
        each_or_none(
            names,
            lambda n: _set_name(ctx, n["thumbprint"], n["new"]),
            lambda n: _set_name(ctx, n["thumbprint"], n["old"]),
        )
    except PartlyDone as exc:
        left = [OldName(n["thumbprint"], n["old"]) for n in exc.left]
        raise exc.logging(NamesChanged(left)) from None
    return NamesChanged([OldName(n["thumbprint"], n["old"]) for n in names])


def plan_undo_names(ctx: FixContext, record: NamesChanged) -> Plan | None:
    """Give each renamed certificate still in the store its old name back."""
    store = ctx.os.cert_store()
    if store is None:
        return None
    now = {c.thumbprint: c.friendly_name for c in store.personal()}
    changes, names, left = [], [], []
    for n in record.names:
        if n.thumbprint not in now:
            left.append(
                Text(
                    f"憑證 {n.thumbprint[:8]}… 已不在存放區",
                    f"certificate {n.thumbprint[:8]}… is no longer in the store",
                )
            )
            continue
        if now[n.thumbprint] == n.old:
            continue
        changes.append(
            Change(
                Text(
                    f"憑證 {n.thumbprint[:8]}… 的好記名稱：「{now[n.thumbprint]}」→「{n.old}」",
                    f"Friendly name of certificate {n.thumbprint[:8]}…: “{now[n.thumbprint]}” → “{n.old}”",
                )
            )
        )
        names.append({"thumbprint": n.thumbprint, "old": now[n.thumbprint], "new": n.old})
    return Plan(tuple(changes), {"names": names}, left_alone=tuple(left))


def undo_names(ctx: FixContext, plan: Plan) -> None:
    each_or_none(
        plan.data["names"],
        lambda n: _set_name(ctx, n["thumbprint"], n["new"]),
        lambda n: _set_name(ctx, n["thumbprint"], n["old"]),
    )


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
    undo=Undo(NamesChanged, plan_undo_names, undo_names),
    platforms=WINDOWS,
)


# -- Windows: old copies of the person's own certificates (FAQ 4) -----------------------------

CertB64 = Annotated[str, msgspec.Meta(min_length=1, max_length=64 * 1024)]


class RemovedCert(msgspec.Struct, forbid_unknown_fields=True):
    der_b64: CertB64
    friendly_name: FriendlyName = ""
    # The serialised store element (base64, Windows): the certificate with its
    # properties. Put back only when it holds exactly ``der_b64``'s certificate.
    element: Annotated[str, msgspec.Meta(max_length=256 * 1024)] = ""


class CertsRemoved(msgspec.Struct, forbid_unknown_fields=True):
    """Undo record of store.remove_stale: the certificates removed, to put back."""

    removed: list[RemovedCert]


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


def apply_stale(ctx: FixContext, plan: Plan) -> CertsRemoved:
    store, editor = ctx.os.cert_store(), ctx.ops.cert_editor()
    if store is None or editor is None:
        raise LookupError("no certificate store")
    by_thumb = {c.thumbprint: c for c in store.personal()}
    certs = [by_thumb[t] for t in plan.data["thumbprints"]]
    removed: dict[str, RemovedCert] = {}

    def remove(cert: Any) -> None:
        # The store element holds the certificate with its properties (the key link to
        # the card, the friendly name): undo puts back exactly what was there.
        element = editor.delete(cert.thumbprint)
        removed[cert.thumbprint] = RemovedCert(cert.der_b64, cert.friendly_name, element or "")

    try:  # all or nothing: a failure puts back what was removed before it
        each_or_none(certs, remove, lambda c: _put_back(editor, removed[c.thumbprint]))
    except PartlyDone as exc:
        left = [removed[c.thumbprint] for c in exc.left]
        raise exc.logging(CertsRemoved(left)) from None
    return CertsRemoved([removed[c.thumbprint] for c in certs])


def _put_back(editor: Any, cert: RemovedCert) -> None:
    if cert.element:
        editor.restore(cert.element)
    else:  # logged without its store element (an older version): bytes and name only
        editor.add(cert.der_b64, cert.friendly_name)


def _thumbprint(der_b64: str) -> str:
    return hashlib.sha1(base64.b64decode(der_b64, validate=True)).hexdigest().upper()


def _element_holds(element_b64: str, der_b64: str) -> bool:
    """A serialised store element carries its certificate's bytes whole: the element
    the log keeps must hold the very certificate that was checked, nothing else."""
    try:
        return base64.b64decode(der_b64, validate=True) in base64.b64decode(
            element_b64, validate=True
        )
    except (binascii.Error, ValueError):
        return False


def plan_undo_stale(ctx: FixContext, record: CertsRemoved) -> Plan | None:
    """Put back each removed certificate that is a government card certificate and is
    not in the store now (the log cannot slip in anything else)."""
    store, editor = ctx.os.cert_store(), ctx.ops.cert_editor()
    if store is None or editor is None:
        return None
    present = {c.thumbprint for c in store.personal()}
    changes, certs, left = [], [], []
    for cert in record.removed:
        try:
            thumb = _thumbprint(cert.der_b64)
        except (binascii.Error, ValueError):
            thumb = ""
        info = analyse(cert.der_b64) if thumb else None
        if info is None or not info.ok or info.ca not in GOV_CAS or info.role != "user":
            left.append(
                Text(
                    "紀錄中的一張憑證不是政府憑證卡的憑證，不會放回",
                    "a logged certificate is not a government card certificate; not put back",
                )
            )
        elif cert.element and not _element_holds(cert.element, cert.der_b64):
            left.append(
                Text(
                    "紀錄中的一張憑證與它的存放區資料不符，不會放回",
                    "a logged certificate does not match its store data; not put back",
                )
            )
        elif thumb in present:
            left.append(
                Text(f"憑證 {thumb[:8]}… 已在存放區", f"certificate {thumb[:8]}… is in the store already")
            )
        else:
            changes.append(
                Change(
                    Text(
                        f"把舊憑證 {thumb[:8]}…（{info.ca}，效期至 {info.not_after[:10]}）放回個人憑證存放區",
                        f"Put the old certificate {thumb[:8]}… ({info.ca}, valid until {info.not_after[:10]}) back into the personal store",
                    )
                )
            )
            certs.append(cert)
    return Plan(tuple(changes), {"certs": certs}, left_alone=tuple(left))


def undo_stale(ctx: FixContext, plan: Plan) -> None:
    editor = ctx.ops.cert_editor()
    if editor is None:
        raise LookupError("no certificate store")
    each_or_none(
        plan.data["certs"],
        lambda c: _put_back(editor, c),
        lambda c: editor.delete(_thumbprint(c.der_b64)),
    )


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
    undo=Undo(CertsRemoved, plan_undo_stale, undo_stale),
    platforms=WINDOWS,
)
