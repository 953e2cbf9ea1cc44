"""Fix for ``sys.clock``: turn on network time sync when the clock is off.

Linux ``timedatectl set-ntp true``, Windows ``w32tm /resync``, macOS
``systemsetup -setusingnetworktime on``; the commands come from the fix adapter.
"""

from __future__ import annotations

import msgspec

from checks.clock import SKEWED
from diagwizard.api import Text
from diagwizard.api.fix import Fix, FixContext, Plan, Undo, command_plan, found, run_commands


class SyncOffUndo(msgspec.Struct, forbid_unknown_fields=True):
    """Undo record: network time sync was off before the fix turned it on (no parameters:
    the commands that turn it off again come from the fix adapter)."""


def plan_sync(ctx: FixContext) -> Plan | None:
    if not found(ctx, "sys.clock", SKEWED.code):
        return None
    return command_plan(
        Text("開啟網路校時，讓電腦時間自動校正", "Turn on network time sync to set the clock"),
        ctx.ops.time_sync(),
        was_on=ctx.ops.time_sync_on(),
    )


def apply_sync(ctx: FixContext, plan: Plan) -> SyncOffUndo | None:
    run_commands(ctx, plan)
    # Undo only turns sync off again if this fix turned it on.
    if ctx.ops.time_sync_undo() and plan.data.get("was_on") is False:
        return SyncOffUndo()
    return None


def plan_undo_sync(ctx: FixContext, record: SyncOffUndo) -> Plan | None:
    return command_plan(
        Text("再關閉網路校時（套用修正前是關閉的）", "Turn network time sync off again (it was off before)"),
        ctx.ops.time_sync_undo(),
    )


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
    undo=Undo(SyncOffUndo, plan_undo_sync),
    needs_admin=True,
)
