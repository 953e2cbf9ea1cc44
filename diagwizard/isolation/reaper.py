"""End an isolated child together with everything it started (POSIX).

A vendor PKCS#11 module may start a helper that calls ``setsid()`` (leaving the child's
process group, so ``killpg`` misses it) and forks again (leaving the child's tree, so
it is no longer anyone's descendant). Such a helper must not outlive the check. In
order of strength:

1. **Linux, a cgroup of its own**, where one can be made without privileges: the user's
   own cgroup (a systemd user session delegates it) is owned by the user and writable.
   The child is moved into a new sub-cgroup before it reads its request, i.e. before any
   vendor code runs; nothing it starts can leave it, and ``cgroup.kill`` ends them all.
2. **Linux, otherwise**: the child makes itself a *child subreaper* (``prctl``) when it
   starts, so an orphaned descendant is re-parented to it instead of to init. While it
   lives, its tree holds everything it started: the tree is walked (``/proc``) and
   killed, leaves first, before the child itself.
3. **Everywhere, as the last net**: each child gets a random marker in its environment,
   which its descendants inherit. If the child was already gone (it crashed), every
   process of this user whose environment holds the marker is killed (psutil).

What remains possible: on macOS (no subreaper, no cgroups), a helper that double-forks
*and* clears its environment survives; on Linux without a delegated cgroup, a helper that
clears its environment survives if the child crashed first. Windows uses a job object
(``childproc``), which a process cannot leave unless the job allows it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

# The environment variable every isolated child (and so its descendants) carries.
MARKER = "DIAGWIZARD_CHILD_TREE"
_PR_SET_CHILD_SUBREAPER = 36
CGROUP_GRACE = 2.0  # seconds for killed processes to leave their cgroup


def new_marker() -> str:
    return os.urandom(12).hex()  # (not ``secrets``: it loads OpenSSL, ~4 ms of start-up)


def become_subreaper() -> None:
    """In the child (Linux): orphans of the child's descendants come back to the child."""
    if sys.platform != "linux":
        return
    try:
        import ctypes  # lazy: only the isolated child on Linux

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the marker sweep remains
        return


# -- 1. a cgroup of its own (Linux) ----------------------------------------------------------


def _own_cgroup() -> Path | None:
    """This process's cgroup v2 folder, if the user owns it and may write to it (a
    delegated subtree), and the kernel can kill a cgroup at once (5.14+)."""
    if sys.platform != "linux":
        return None
    if os.geteuid() == 0:
        return None  # root owns every cgroup, delegated or not: never assume delegation
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    rel = next((line[3:] for line in lines if line.startswith("0::")), None)
    if rel is None:
        return None
    for mount in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")):
        folder = mount / rel.lstrip("/")
        if (mount / "cgroup.controllers").exists() and (folder / "cgroup.procs").exists():
            return folder if _usable(folder) else None
    return None


def _usable(folder: Path) -> bool:
    if sys.platform == "win32":
        return False
    try:
        owned = folder.stat().st_uid == os.geteuid()
    except OSError:
        return False
    return owned and os.access(folder, os.W_OK) and (folder / "cgroup.kill").exists()


# Where sub-cgroups are made; replaced in tests (which run as root) by a folder of theirs.
cgroup_base = _own_cgroup


class Tree:
    """One child and everything it starts: created with the child, ended as a whole."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.pid = 0
        self.cgroup: Path | None = None
        self._lock = threading.Lock()
        self._killed = False

    def adopt(self, pid: int) -> None:
        """The child has started: move it into a cgroup of its own, where one can be made.
        (It reads its request before any vendor code runs, so nothing has forked yet.)"""
        self.pid = pid
        base = cgroup_base()
        if base is None:
            return
        folder = base / f"diagwizard-{os.getpid()}-{pid}"
        try:
            folder.mkdir()
            (folder / "cgroup.procs").write_text(f"{pid}\n")
        except OSError:
            with contextlib.suppress(OSError):
                folder.rmdir()
            return
        self.cgroup = folder

    def kill(self, child_alive: bool) -> None:
        """SIGKILL the child and all it started, once (later calls only repeat the cheap
        ``killpg``). ``child_alive``: the child had not exited (it is not reaped before
        this), so its tree still holds its descendants."""
        if sys.platform == "win32":  # a job object does this (childproc)
            return
        with self._lock:
            if self._killed:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.pid, signal.SIGKILL)
                return
            self._killed = True
            self._kill(child_alive)

    def _kill(self, child_alive: bool) -> None:
        if sys.platform == "win32":
            return
        if self.cgroup is not None:
            try:
                (self.cgroup / "cgroup.kill").write_text("1\n")
                return
            except OSError:
                pass
        whole = False
        if child_alive and sys.platform == "linux" and self.pid:
            # Complete only if the child lived through the walk: had it exited meanwhile,
            # what it started would have gone to init, out of the walk's sight.
            whole = _kill_descendants(self.pid) and not _zombie(self.pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)  # the child and its own process group
        if not whole:  # the child was gone, or its tree could not be read: the last net
            sweep_marker(self.marker)

    def close(self) -> None:
        """Remove the child's cgroup once the killed processes have left it (they take a
        moment to die); one still busy after a bounded wait is left, empty soon after."""
        if self.cgroup is None or sys.platform == "win32":
            return
        deadline = time.monotonic() + CGROUP_GRACE
        pause = 0.0005
        while True:
            try:
                self.cgroup.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                if time.monotonic() > deadline:
                    return
                time.sleep(pause)
                pause = min(pause * 2, 0.02)


# -- 2. the child's tree (Linux) -------------------------------------------------------------


def _children(pid: int) -> list[int] | None:
    """The live (not zombie) children of ``pid``; None if /proc cannot tell."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    out: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                out += [int(c) for c in f.read().split()]
        except OSError:
            return None
    return [c for c in out if not _zombie(c)]


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2].split()[0] == b"Z"
    except (OSError, IndexError):
        return True  # gone


def _kill_descendants(root: int) -> bool:
    """Kill every descendant of ``root`` (which stays alive, a subreaper, so nothing it
    started can leave its tree meanwhile); True if the tree was read to the end."""
    if sys.platform == "win32":
        return False
    for _ in range(50):
        found: list[int] = []
        todo = [root]
        while todo:
            kids = _children(todo.pop())
            if kids is None:
                return False
            found += kids
            todo += kids
        if not found:
            return True
        for pid in found:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    return False


# -- 3. the marker -------------------------------------------------------------------------


def sweep_marker(marker: str) -> None:
    """Kill every process of this user whose environment carries ``marker``."""
    if sys.platform == "win32":
        return
    needle = f"{MARKER}={marker}".encode()
    for _ in range(10):
        found = _marked(needle)
        if not found:
            return
        for pid in found:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def _marked(needle: bytes) -> list[int]:
    me = os.getpid()
    if sys.platform == "linux":
        out = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == me:
                continue
            try:  # another user's process cannot be read: it is not ours to end
                with open(f"/proc/{name}/environ", "rb") as f:
                    env = f.read()
            except OSError:
                continue
            if needle in env.split(b"\0") and not _zombie(int(name)):
                out.append(int(name))
        return out
    import psutil  # lazy: start-up time; macOS and others only

    key, _, value = needle.decode().partition("=")
    out = []
    for proc in psutil.process_iter():
        try:
            if proc.pid != me and proc.environ().get(key) == value:
                out.append(proc.pid)
        except (psutil.Error, OSError):
            continue
    return out
