"""Fix for ``pcsc.service`` (guide prerequisite 1): start the smart-card service.

Linux: ``systemctl enable --now pcscd.socket`` where systemd runs the machine, else
pcscd itself (it becomes a daemon). Windows: SCardSvr set to start automatically, and
started. Only when the service is installed but stopped (``pcsc.E002``).
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


class StartTypeUndo(msgspec.Struct, forbid_unknown_fields=True):
    """Undo record: how the service started before the fix set it to start automatically
    (Windows; a start type the fix adapter knows, never a command)."""

    start_type: Literal["demand", "disabled"]


RESTORABLE = ("demand", "disabled")


def plan_start(ctx: FixContext) -> Plan | None:
    if not found(ctx, "pcsc.service", STOPPED.code):
        return None
    return command_plan(
        Text(
            "啟動智慧卡服務，並設定為開機時自動啟動",
            "Start the smart-card service and have it start automatically",
        ),
        ctx.ops.service_start(),
        start_type=ctx.ops.service_start_type(),
    )


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
    undo_text=Text(
        "Windows：diagwizard fix --undo 會還原原本的啟動方式；Linux：服務本來就應該執行，"
        "若要停止請執行 systemctl stop pcscd.socket pcscd",
        "Windows: diagwizard fix --undo restores the previous start type; Linux: the service "
        "is meant to run; to stop it, run systemctl stop pcscd.socket pcscd",
    ),
    plan=plan_start,
    apply=apply_start,
    undo=Undo(StartTypeUndo, plan_undo_start),
    needs_admin=True,
    platforms=frozenset({"linux", "windows"}),
)
