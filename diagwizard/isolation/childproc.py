"""Start a child process, talk to it, and bound everything it can do to the parent.

A vendor module may flood stderr (gigabytes), hang, or fork a grandchild that keeps the
pipes open and outlives us, even one that calls ``setsid()``. So: output is drained by
threads into bounded buffers (the answer up to a limit, stderr keeping only its tail and
counting what was dropped); the child runs in its own session, and everything it started
(``isolation.reaper`` on POSIX: a cgroup, or its tree and a marker; a job object on
Windows) is killed when the child has answered, exits or times out; every wait has a
limit.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from diagwizard.isolation import reaper, winjob

if TYPE_CHECKING:
    from typing import BinaryIO

ANSWER_LIMIT = 16 * 1024 * 1024
STDERR_TAIL = 64 * 1024
# After the child has gone, its pipes must close soon (the group was killed).
DRAIN_GRACE = 2.0

# Crash codes of Windows processes (NTSTATUS) a native module typically dies with.
NTSTATUS = {
    0xC0000005: "access violation",
    0xC000001D: "illegal instruction",
    0xC0000017: "out of memory",
    0xC0000094: "integer divide by zero",
    0xC0000096: "privileged instruction",
    0xC00000FD: "stack overflow",
    0xC0000135: "DLL not found",
    0xC0000139: "entry point not found",
    0xC0000142: "DLL initialisation failed",
    0xC000013A: "terminated by Ctrl+C",
    0xC0000374: "heap corruption",
    0xC0000409: "stack buffer overrun (fail fast)",
    0xC0000420: "assertion failure",
    0x80000003: "breakpoint",
    0x40010004: "terminated by the debugger",
}


def describe_exit(code: int, platform: str = sys.platform) -> str:
    """A crash code as a person can read it: a signal name or an NTSTATUS name."""
    if code < 0 and platform != "win32":
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    unsigned = code & 0xFFFFFFFF
    if platform == "win32" and (unsigned in NTSTATUS or unsigned >= 0xC0000000):
        name = NTSTATUS.get(unsigned, "system error")
        return f"0x{unsigned:08X} {name}"
    return f"exit code {code}"


class _Head:
    """Keeps the first ``limit`` bytes (the answer); notes if there was more."""

    def __init__(self, limit: int) -> None:
        self.limit, self.data, self.overflow = limit, bytearray(), False

    def add(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if len(chunk) > room:
            self.overflow = True
        self.data += chunk[: max(room, 0)]


class _Tail:
    """Keeps the last ``limit`` bytes (stderr) and counts the bytes dropped before."""

    def __init__(self, limit: int) -> None:
        self.limit, self.data, self.dropped = limit, bytearray(), 0

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        extra = len(self.data) - self.limit
        if extra > 0:
            del self.data[:extra]
            self.dropped += extra


def _drain(pipe: BinaryIO, sink: _Head | _Tail, at_end: Callable[[], None] | None = None) -> None:
    try:
        while chunk := pipe.read(65536):
            sink.add(chunk)
    except (OSError, ValueError):
        return
    if at_end is not None:
        at_end()


def _feed(pipe: BinaryIO, parts: Sequence[bytes | bytearray | memoryview]) -> None:
    """Write the request without joining the parts (one may be a secret to be wiped)."""
    try:
        for part in parts:
            view = memoryview(part)
            while view:
                written = pipe.write(view)
                view = view[written or 0 :]
        pipe.close()
    except (OSError, ValueError):
        pass


class ChildOutput(msgspec.Struct, frozen=True):
    """What a child left behind."""

    returncode: int | None
    answer: bytes
    answer_overflow: bool
    stderr_tail: bytes
    stderr_dropped: int
    timed_out: bool
    answer_closed: bool  # the child closed its answer pipe before it ended, or was ended

    def last_error_line(self) -> str:
        lines = self.stderr_tail.decode(errors="replace").strip().splitlines()
        return lines[-1][:200] if lines else ""


class Child(subprocess.Popen[bytes]):
    """A child started by :func:`spawn`: on Windows it carries the job object that has
    held it since before it ran (``job``), ended with it; on POSIX the tree of everything
    it starts (``tree``)."""

    job: Any = None
    tree: reaper.Tree | None = None


class _Group:
    """The child and all it started (POSIX, ``reaper``) or its job object (Windows), to
    kill as a whole."""

    def __init__(self, proc: Child) -> None:
        self.proc = proc
        self.tree = proc.tree

    def kill(self) -> None:
        if sys.platform == "win32":
            job, self.proc.job = self.proc.job, None
            if job is not None:
                winjob.terminate(job)
            else:  # ended already (a second kill)
                self.proc.kill()
            return
        if self.tree is not None:
            self.tree.kill(child_alive=not _exited(self.proc))
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        if self.tree is not None:
            self.tree.close()


def _exited(proc: subprocess.Popen[bytes]) -> bool:
    """Has the child exited? On Linux without reaping it, so its group id stays ours."""
    waitid = getattr(os, "waitid", None)
    if waitid is not None and sys.platform != "win32":
        try:
            flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
            return waitid(os.P_PID, proc.pid, flags) is not None
        except ChildProcessError:
            return True
    return proc.poll() is not None


def _wait(proc: subprocess.Popen[bytes], deadline: float) -> bool:
    """Wait until the child exits (True) or ``deadline`` passes (False), not reaping it.

    On Linux a pidfd wakes us the moment it exits; elsewhere we poll, briefly at first.
    Polling with a growing pause would add up to its last pause to every answer.
    """
    if _wait_pidfd(proc, deadline):
        return True
    pause = 0.001
    while not _exited(proc):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.01)
    return True


def _wait_pidfd(proc: subprocess.Popen[bytes], deadline: float) -> bool:
    """True once the child has exited, seen through a pidfd; False if there is no pidfd
    here (not Linux 5.3+) or the deadline passed (the caller then checks once more)."""
    if sys.platform == "win32":  # no pidfd nor poll(); keeps `mypy --platform win32` exact
        return False
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is None or not hasattr(select, "poll"):
        return False
    try:
        fd = pidfd_open(proc.pid)
    except OSError:  # too old a kernel, or the child is gone and was reaped already
        return False
    try:
        waiter = select.poll()
        waiter.register(fd, select.POLLIN)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if waiter.poll(max(1, int(left * 1000))):
                return True
    except OSError:
        return False
    finally:
        os.close(fd)


def child_env() -> dict[str, str]:
    """This process's environment, for a child."""
    env = dict(os.environ)
    # Any value, even "0", turns faulthandler on; its dumps would bury the real error.
    env.pop("PYTHONFAULTHANDLER", None)
    return env


def spawn(argv: Sequence[str], env: dict[str, str]) -> Child:
    """Start ``argv`` in its own process group (session), all three pipes ours.

    On Windows the child starts suspended and runs only once it is in its job object;
    if that cannot be set up it is ended unrun and ``winjob.JobSetupFailed`` is raised.
    On POSIX it carries a marker in its environment and, where possible, gets a cgroup
    of its own.
    """
    kwargs: dict[str, Any] = {}
    tree: reaper.Tree | None = None
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | winjob.CREATE_SUSPENDED
    else:
        kwargs["start_new_session"] = True
        tree = reaper.Tree(reaper.new_marker())
        env = {**env, reaper.MARKER: tree.marker}
    proc = Child(
        list(argv),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        bufsize=0,
        **kwargs,
    )
    if sys.platform == "win32":
        try:
            proc.job = winjob.contain(proc)
        except winjob.JobSetupFailed:
            try:  # ended before it ran: only its pipes are left to close
                proc.wait(timeout=DRAIN_GRACE)
            except subprocess.TimeoutExpired:
                pass
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
            raise
    if tree is not None:
        tree.adopt(proc.pid)
        proc.tree = tree
    return proc


def run_child(
    argv: Sequence[str],
    parts: Sequence[bytes | bytearray | memoryview],
    timeout: float,
    env: dict[str, str],
    proc: Child | None = None,
) -> ChildOutput:
    """Run ``argv`` with ``parts`` on stdin; return its (bounded) output within ``timeout``.

    The answer is complete when the child closes its stdout: what it does after that
    (its interpreter's exit, a vendor module's ``C_Finalize``) cannot change the answer,
    so it is ended then, with its group, rather than waited for.

    ``proc``: the same child, started already (``diagwizard.isolation.spare``).
    """
    if proc is None:
        proc = spawn(argv, env)
    group = _Group(proc)
    answer, err = _Head(ANSWER_LIMIT), _Tail(STDERR_TAIL)
    closed = threading.Event()

    def answer_closed() -> None:
        closed.set()
        group.kill()

    assert proc.stdin and proc.stdout and proc.stderr
    threads = [
        threading.Thread(target=_feed, args=(proc.stdin, parts), daemon=True),
        threading.Thread(target=_drain, args=(proc.stdout, answer, answer_closed), daemon=True),
        threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True),
    ]
    for t in threads:
        t.start()
    try:
        exited = _wait(proc, time.monotonic() + timeout)
    finally:  # also on Ctrl+C: the child is in its own session and would not see it
        group.kill()  # a hung child, and any grandchild still holding our pipes
    was_closed = closed.is_set()
    try:
        code: int | None = proc.wait(timeout=DRAIN_GRACE)
    except subprocess.TimeoutExpired:
        code = None
    group.close()
    end = time.monotonic() + DRAIN_GRACE
    for t in threads:
        t.join(max(end - time.monotonic(), 0))
    return ChildOutput(
        code,
        bytes(answer.data),
        answer.overflow,
        bytes(err.data),
        err.dropped,
        timed_out=not exited,
        answer_closed=was_closed,
    )
