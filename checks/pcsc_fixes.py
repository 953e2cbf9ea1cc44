"""Fix for ``pcsc.service`` (guide prerequisite 1): start the smart-card service.

Linux: ``systemctl enable --now pcscd.socket`` where systemd runs the machine, else
pcscd itself (it becomes a daemon). Windows: SCardSvr set to start automatically, and
started. Only when the service is installed but stopped (``pcsc.E002``).
"""

from __future__ import annotations

from typing import Any

from checks.pcsc import STOPPED
from diagwizard.api import Text
from diagwizard.api.fix import Fix, FixContext, Plan, command_plan, found, undo_commands


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


def apply_start(ctx: FixContext, plan: Plan) -> dict[str, Any] | None:
    ctx.ops.run_all(plan.data["commands"])
    ctx.ops.service_started()
    before = plan.data.get("start_type", "")
    undo = ctx.ops.service_undo(before) if before and before != "auto" else []
    return {"commands": [list(c) for c in undo]} if undo else None


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
    undo=undo_commands,
    needs_admin=True,
    platforms=frozenset({"linux", "windows"}),
)
