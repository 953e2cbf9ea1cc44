"""Example diagwizard plugin: checks that the home folder exists.

A plugin is a distribution with an entry point in the ``diagwizard.checks`` group that
names a module (the probes it declares), a Probe, or a list of Probes. It uses the same
contract as the built-in probes, ``diagwizard.api``. Findings use the plugin's own code
prefix; a KB directory for them can be added through the ``diagwizard.kb`` group.
"""

from __future__ import annotations

import os

from diagwizard.api import Context, FindingDef, Result, Step, Text, found, ok, probe

HOME_MISSING = FindingDef(
    "example.W001",
    Text("找不到家目錄 {path}", "Home directory {path} not found"),
)


@probe(
    "example.home",
    "範例：家目錄",
    "Example: home directory",
    area="system",
    step=Step.SYSTEM,  # where its problems come in the guide's order
    codes=(HOME_MISSING,),
)
def home(ctx: Context) -> Result:
    path = os.path.expanduser("~")
    if os.path.isdir(path):
        return ok(Text("家目錄存在", "Home directory exists"), personal={"path": path})
    return found(HOME_MISSING(path=path), personal={"path": path})
