"""Probes that misbehave on purpose, loaded as a third-party plugin by the tests."""

from __future__ import annotations

import ctypes
import os
import time

from diagwizard.api.context import Context
from diagwizard.api.probe import probe
from diagwizard.core.model import FindingDef, Result, Status, result
from diagwizard.core.text import Text

BAD = FindingDef("bad.E001", Text("壞", "bad"))


@probe("bad.sleeper", "永遠睡", "Sleeps forever", timeout=1.0)
def sleeper(ctx: Context) -> Result:
    while True:
        time.sleep(3600)


@probe("bad.segfault", "當掉", "Segfaults", isolated=True, timeout=5.0)
def segfault(ctx: Context) -> Result:
    ctypes.string_at(0)  # dereference NULL: SIGSEGV in native code
    return result(Status.OK, Text("", ""))


@probe("bad.hang_isolated", "隔離後卡住", "Hangs in a child", isolated=True, timeout=1.0)
def hang_isolated(ctx: Context) -> Result:
    time.sleep(3600)
    return result(Status.OK, Text("", ""))


@probe("bad.raises", "丟出例外", "Raises", timeout=2.0)
def raises(ctx: Context) -> Result:
    raise RuntimeError("boom from the probe")


@probe("bad.fails", "失敗", "Fails", timeout=2.0, codes=(BAD,))
def fails(ctx: Context) -> Result:
    return result(Status.FAIL, Text("失敗了", "It failed"), BAD())


@probe("bad.isolated_ok", "隔離正常", "Isolated and fine", isolated=True, timeout=10.0)
def isolated_ok(ctx: Context) -> Result:
    return result(Status.OK, Text("子行程正常", "Child is fine"), facts={"pid": os.getpid()})


SLEEPER = [sleeper]
SEGFAULT = [segfault, hang_isolated]
RAISES = [raises]
FAILS = [fails]
ISOLATED_OK = [isolated_ok]
DUPLICATE = [fails]  # same id as FAILS
NOT_PROBES = "just a string"
