"""Functions run by ``call_isolated`` in the hardening tests: children that misbehave.

The child imports this module by name (``PYTHONPATH`` includes tests/)."""

from __future__ import annotations

import os
import time

from diagwizard.isolation.calls import progress


def flood_stderr(megabytes: int, then_exit: int = 0) -> str:
    """Write a lot to stderr (like a chatty vendor module), then answer or die."""
    block = b"x" * (1 << 20)
    for _ in range(megabytes):
        os.write(2, block)
    os.write(2, b"\nlast words of the module\n")
    if then_exit:
        os._exit(then_exit)
    return "answered"


def fork_lingering_grandchild(seconds: float) -> int:
    """Fork a grandchild that keeps the pipes open and would outlive everyone."""
    pid = os.fork()
    if pid == 0:  # the grandchild: holds stdin/stdout/stderr and the answer pipe
        time.sleep(seconds)
        os._exit(0)
    return pid


def hang_after(step: str) -> None:
    """Announce a step (like "login_started"), then hang."""
    progress(step)
    time.sleep(3600)


def pid_and_session() -> list[int]:
    """Which process answered, and which session it leads."""
    return [os.getpid(), os.getsid(0)]


def malformed_scan(path: str, analyse: bool) -> object:
    """A scan child that answers, but not in the scan's shape (``path`` picks how)."""
    return {
        "list": [path, analyse],
        "unknown-field": {"path": path, "loaded": True, "surprise": 1},
        "wrong-type": {"path": path, "loaded": True, "tokens": [{"slot": "one"}]},
    }[path]


def exit_with(code: int) -> None:
    """Leave as a module's atexit-style sys.exit would."""
    raise SystemExit(code)


def daemon_then_crash(pidfile: str) -> None:
    """A helper that leaves the session and the tree (fork, setsid, fork), then the child
    crashes before anyone could walk its tree: only the marker finds the helper."""
    middle = os.fork()
    if middle == 0:
        os.setsid()
        helper = os.fork()
        if helper == 0:
            for fd in range(3):
                os.close(fd)
            time.sleep(3600)
            os._exit(0)
        with open(pidfile, "w") as f:
            f.write(f"{helper}\n")
        os._exit(0)
    os.waitpid(middle, 0)
    os.abort()
