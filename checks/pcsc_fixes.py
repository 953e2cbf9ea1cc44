"""Fix for ``pcsc.service`` (guide prerequisite 1): start the smart-card service.

Only when the service is installed but stopped (``pcsc.E002``). What it does, and what
it says, depend on the system:

* Linux where systemd runs the machine: ``systemctl enable --now pcscd.socket``, which
  starts the service now and at every boot;
* Linux without a service manager (containers, minimal installs): pcscd itself, which
  runs until the computer restarts, and the plan says so;
* Windows: SCardSvr set to start automatically, then started; undo restores the start
  type it had.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from checks.pcsc import STOPPED
from diagwizard.api import Text
from diagwizard.api.fix import (
    Fix,
    FixContext,
    FixFailed,
    PartlyDone,
    Plan,
    Undo,
    command_plan,
    found,
)
from diagwizard.system.transport.pcsc import PcscError, PcscSession, PcscUnavailable


class StartTypeUndo(msgspec.Struct, forbid_unknown_fields=True):
    """Undo record: how the service started before the fix set it to start automatically
    (Windows; a start type the fix adapter knows, never a command)."""

    start_type: Literal["demand", "disabled"]


RESTORABLE = ("demand", "disabled")

LINUX_SYSTEMD = Text(
    "啟用並啟動智慧卡服務（pcscd.socket）：現在啟動，以後每次開機也會自動啟動",
    "Enable and start the smart-card service (pcscd.socket): it starts now and at every boot",
)
LINUX_SESSION = Text(
    "啟動智慧卡服務（pcscd）：這台電腦沒有服務管理程式（systemd），所以服務只會執行到關機或"
    "重新開機為止，下次開機需要再啟動一次",
    "Start the smart-card service (pcscd): no service manager (systemd) runs this computer, "
    "so it runs only until the computer shuts down or restarts; start it again after that",
)
WINDOWS_AUTO = Text(
    "將智慧卡服務（SCardSvr）設定為開機時自動啟動，並立即啟動",
    "Set the smart-card service (SCardSvr) to start automatically at boot, and start it now",
)

UNDO_LINUX_SYSTEMD = Text(
    "沒有自動復原；若要停用，請執行 sudo systemctl disable --now pcscd.socket pcscd.service",
    "No automatic undo; to turn it off, run sudo systemctl disable --now pcscd.socket "
    "pcscd.service",
)
UNDO_LINUX_SESSION = Text(
    "沒有自動復原；服務在重新開機後就不會執行。要現在停止，請執行 sudo pkill -x pcscd",
    "No automatic undo; the service does not run again after a restart. To stop it now, "
    "run sudo pkill -x pcscd",
)
UNDO_WINDOWS = Text(
    "diagwizard fix --undo 會把啟動方式改回原本的「{before}」",
    "diagwizard fix --undo sets the start type back to “{before}”",
)
UNDO_WINDOWS_NONE = Text(
    "沒有需要復原的設定：服務原本就設定為自動啟動",
    "Nothing to undo: the service was already set to start automatically",
)


def _words(ctx: FixContext, before: str) -> tuple[Text, Text]:
    """What the plan does and how to undo it, on this system."""
    if ctx.ops.system == "windows":
        undo = UNDO_WINDOWS.fill(before=before) if before in RESTORABLE else UNDO_WINDOWS_NONE
        return WINDOWS_AUTO, undo
    if ctx.ops.service_at_boot():
        return LINUX_SYSTEMD, UNDO_LINUX_SYSTEMD
    return LINUX_SESSION, UNDO_LINUX_SESSION


def plan_start(ctx: FixContext) -> Plan | None:
    if not found(ctx, "pcsc.service", STOPPED.code):
        return None
    before = ctx.ops.service_start_type()
    what, undo = _words(ctx, before)
    return command_plan(what, ctx.ops.service_start(), undo_text=undo, start_type=before)


CARD_SETTLE_MS = 2000  # pcscd polls its readers every 0.4 s


def _settle() -> None:
    """A service just started reports the card already in a reader only once it has
    polled it: wait for that (bounded), so the checks that run next do not say "no
    card" about a card that is there."""
    try:
        with PcscSession() as pcsc:
            pcsc.await_card(CARD_SETTLE_MS)
    except (PcscError, PcscUnavailable):  # no reader, no PC/SC: the checks will say it
        return


def apply_start(ctx: FixContext, plan: Plan) -> StartTypeUndo | None:
    before = plan.data.get("start_type", "")
    record = StartTypeUndo(start_type=before) if before in RESTORABLE else None
    try:
        ctx.ops.run_all(plan.data["commands"])
    except FixFailed as exc:
        # All or nothing: the start type set before a failed start goes back.
        if record is None:
            raise
        try:
            ctx.ops.run_all(ctx.ops.service_undo(record.start_type))
        except FixFailed:
            raise PartlyDone(exc, [record]).logging(record) from None
        raise PartlyDone(exc, []) from None
    ctx.ops.service_started()
    _settle()
    return record


def plan_undo_start(ctx: FixContext, record: StartTypeUndo) -> Plan | None:
    return command_plan(
        Text(
            f"把智慧卡服務的啟動方式改回原本的「{record.start_type}」",
            f"Set the smart-card service's start type back to “{record.start_type}”",
        ),
        ctx.ops.service_undo(record.start_type),
    )


START_SERVICE = Fix(
    id="pcsc.start_service",
    title=Text("啟動智慧卡服務", "Start the smart-card service"),
    codes=(STOPPED.code,),
    probes=("pcsc.service",),
    # Shown where no plan says it for the system at hand (the plan's words come first).
    undo_text=Text(
        "Windows：diagwizard fix --undo 會還原原本的啟動方式；Linux：沒有自動復原",
        "Windows: diagwizard fix --undo restores the previous start type; Linux: no automatic undo",
    ),
    plan=plan_start,
    apply=apply_start,
    undo=Undo(StartTypeUndo, plan_undo_start),
    needs_admin=True,
    platforms=frozenset({"linux", "windows"}),
)
