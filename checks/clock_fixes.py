"""Fix for ``sys.clock``: turn on network time sync when the clock is off.

Linux ``timedatectl set-ntp true``, Windows ``w32tm /resync``, macOS
``systemsetup -setusingnetworktime on``; the commands come from the fix adapter.
"""

from __future__ import annotations

from typing import Any

from checks.clock import SKEWED
from diagwizard.api import Text
from diagwizard.api.fix import Fix, FixContext, Plan, command_plan, found, undo_commands


def plan_sync(ctx: FixContext) -> Plan | None:
    if not found(ctx, "sys.clock", SKEWED.code):
        return None
    return command_plan(
        Text("開啟網路校時，讓電腦時間自動校正", "Turn on network time sync to set the clock"),
        ctx.ops.time_sync(),
        was_on=ctx.ops.time_sync_on(),
    )


def apply_sync(ctx: FixContext, plan: Plan) -> dict[str, Any] | None:
    ctx.ops.run_all(plan.data["commands"])
    undo = ctx.ops.time_sync_undo()
    # Undo only turns sync off again if this fix turned it on.
    if undo and plan.data.get("was_on") is False:
        return {"commands": [list(c) for c in undo]}
    return None


TIME_SYNC = Fix(
    id="sys.time_sync",
    title=Text("開啟網路校時", "Turn on network time sync"),
    codes=(SKEWED.code,),
    probes=("sys.clock",),
    undo_text=Text(
        "Linux/macOS：diagwizard fix --undo 會再關閉網路校時（若原本是關閉的）；"
        "Windows 的立即校時不需復原",
        "Linux/macOS: diagwizard fix --undo turns network time sync off again (if it was "
        "off); the one-off Windows resync needs no undo",
    ),
    plan=plan_sync,
    apply=apply_sync,
    undo=undo_commands,
    needs_admin=True,
)
