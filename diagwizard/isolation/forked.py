"""A spare child forked from this interpreter instead of started afresh (Linux).

An interpreter that is already running answers some 30 ms sooner than a new one
(issue 15). :class:`Forked` gives such a child the face of the ``subprocess.Popen``
that ``childproc`` drives, so the rest cannot tell the two apart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import BinaryIO


class Forked:
    """A forked child as ``childproc`` sees a ``subprocess.Popen``: pid, pipes, poll,
    wait, kill. Made only by :func:`fork`, on Linux, before any thread exists."""

    __slots__ = ("pid", "returncode", "stderr", "stdin", "stdout")

    def __init__(self, pid: int, stdin: BinaryIO, stdout: BinaryIO, stderr: BinaryIO) -> None:
        self.pid, self.stdin, self.stdout, self.stderr = pid, stdin, stdout, stderr
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if sys.platform == "win32":  # never made there; keeps `mypy --platform win32` exact
            return self.returncode
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped already (SIGCHLD ignored): as Popen, 0
                self.returncode = 0
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if end is not None and time.monotonic() >= end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.001)
        return code

    def kill(self) -> None:
        if sys.platform == "win32":  # never made there; keeps `mypy --platform win32` exact
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def can_fork() -> bool:
    """Is forking this interpreter safe here? Only on Linux (macOS frameworks and
    Windows do not survive a fork), only while this process has a single thread, and not
    where SIGCHLD is ignored (the kernel would reap the child and lose its exit code)."""
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    return signal.getsignal(signal.SIGCHLD) is not signal.SIG_IGN


def fork(run: Callable[[], int]) -> Forked:
    """Run ``run()`` in a forked copy of this interpreter, in its own session, with
    stdin, stdout and stderr on pipes to us; the copy exits with what ``run`` returns.

    Call it only when :func:`can_fork` says so. Nothing of the parent runs in the copy
    after ``run``: it ends with ``os._exit``, so no atexit handler or buffer of ours
    runs twice.
    """
    if sys.platform == "win32":  # can_fork() says no there; keeps `mypy --platform win32` exact
        raise OSError("no fork on Windows")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    ends: list[int] = []  # read, write for stdin; the same for stdout and stderr
    # Ctrl+C must not land between fork() and the child's own setup, nor in the parent
    # before it owns the child: it waits, blocked, until both sides are ready.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        for _ in range(3):
            ends.extend(os.pipe())
        if min(ends) < 3:  # our own stdin, stdout or stderr was closed: the wiring
            raise OSError("standard streams closed")  # below would cross; spawn instead
        pid = os.fork()
    except OSError:  # out of descriptors or processes: nothing of this may stay open
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        for fd in ends:
            os.close(fd)
        raise
    if pid == 0:  # the copy: never returns
        code = 1
        try:
            os.setsid()  # its own group, killed as a whole, deaf to the terminal's Ctrl+C
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            os.dup2(ends[0], 0)
            os.dup2(ends[3], 1)
            os.dup2(ends[5], 2)
            os.closerange(3, 65536)  # nothing of ours stays open in it (our pipe ends least)
            code = run()
        except SystemExit as exc:  # as a spawned child would exit
            code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:
            os.write(2, f"{type(exc).__name__}: {exc}\n".encode(errors="replace"))
        finally:
            for stream in (sys.stdout, sys.stderr):  # their last words, as a normal exit
                try:
                    stream.flush()
                except (AttributeError, OSError, ValueError):
                    pass
            os._exit(code)
    for fd in (ends[0], ends[3], ends[5]):  # the child's ends
        os.close(fd)
    child = Forked(
        pid,
        open(ends[1], "wb", buffering=0),
        open(ends[2], "rb", buffering=0),
        open(ends[4], "rb", buffering=0),
    )
    signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a Ctrl+C that waited lands now
    return child
