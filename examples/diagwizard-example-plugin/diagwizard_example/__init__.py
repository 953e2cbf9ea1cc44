"""Example diagwizard plugin: checks that a configured path exists.

A plugin is a distribution with an entry point in the ``checks`` group that
names a Probe or a list of Probes. Findings use the plugin's own code prefix.
"""

from __future__ import annotations

import os

from diagwizard.api import Context, FindingDef, Result, Status, Text, probe, result

HOME_MISSING = FindingDef(
    "example.W001",
    Text("找不到家目錄 {path}", "Home directory {path} not found"),
)


@probe("example.home", "範例：家目錄", "Example: home directory", codes=(HOME_MISSING,))
def home(ctx: Context) -> Result:
    path = os.path.expanduser("~")
    if os.path.isdir(path):
        return result(
            Status.OK, Text("家目錄存在", "Home directory exists"), personal={"path": path}
        )
    return result(
        Status.WARN,
        Text("家目錄不存在", "No home directory"),
        HOME_MISSING(path=path),
        personal={"path": path},
    )


PROBES = [home]
