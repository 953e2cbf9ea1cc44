"""A Windows job object holding an isolated child from its first instruction.

The child is created suspended (``CREATE_SUSPENDED``), put into a new job object whose
members all end when the job is closed (``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE``), and only
then resumed: whatever a vendor module starts is in the job too, and ends with it. A
child assigned after it started could start a grandchild first, outside the job.

If any step fails, the child (which has not run a single instruction) is ended and
:class:`JobSetupFailed` says which call failed and why: the isolated call then becomes a
finding, never an uncontained vendor module.
"""

from __future__ import annotations

import ctypes
import subprocess
from collections.abc import Callable
from typing import Any

from diagwizard.system.adapters import winapi

CREATE_SUSPENDED = 0x00000004
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9  # JOBOBJECTINFOCLASS


class JobSetupFailed(OSError):
    """The child could not be contained in a job object; it was ended before it ran."""

    @classmethod
    def after(cls, exc: OSError) -> JobSetupFailed:
        return cls(exc.strerror or str(exc))


class BasicLimits(ctypes.Structure):
    """JOBOBJECT_BASIC_LIMIT_INFORMATION."""

    _fields_ = [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", winapi.DWORD),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", winapi.DWORD),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", winapi.DWORD),
        ("SchedulingClass", winapi.DWORD),
    ]


class ExtendedLimits(ctypes.Structure):
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION (144 bytes on 64-bit Windows)."""

    _fields_ = [
        ("BasicLimitInformation", BasicLimits),
        ("IoInfo", ctypes.c_uint64 * 6),  # IO_COUNTERS
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]


def _resume(pid: int) -> None:
    """Resume the suspended child's main thread (psutil: NtResumeProcess)."""
    import psutil  # lazy: Windows only, and only once a child is started

    try:
        psutil.Process(pid).resume()
    except psutil.Error as exc:
        raise OSError(f"resuming the child failed: {exc}") from exc


def contain(
    proc: subprocess.Popen[bytes],
    kernel32: Any = None,
    resume: Callable[[int], None] = _resume,
    last_error: Callable[[], int] = winapi.last_error,
) -> Any:
    """Put the suspended ``proc`` in a new job object and resume it; return the job's
    handle (see :func:`terminate`). ``kernel32``, ``resume`` and ``last_error`` are
    seams for tests."""
    kernel32 = kernel32 or winapi.load("kernel32")
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        proc.kill()
        raise JobSetupFailed.after(winapi.windows_error(last_error(), "CreateJobObjectW"))
    try:
        limits = ExtendedLimits()
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if not kernel32.SetInformationJobObject(
            job,
            JOB_OBJECT_EXTENDED_LIMIT_INFORMATION,
            ctypes.byref(limits),
            ctypes.sizeof(limits),
        ):
            raise winapi.windows_error(last_error(), "SetInformationJobObject")
        handle = int(proc._handle)  # type: ignore[attr-defined]  # Popen's process handle
        if not kernel32.AssignProcessToJobObject(job, handle):
            raise winapi.windows_error(last_error(), "AssignProcessToJobObject")
        resume(proc.pid)
    except OSError as exc:
        kernel32.CloseHandle(job)  # kills the child if it was assigned already
        proc.kill()
        raise JobSetupFailed.after(exc) from exc
    return job


def terminate(job: Any, kernel32: Any = None) -> None:
    """End every process in the job, and close it."""
    kernel32 = kernel32 or winapi.load("kernel32")
    kernel32.TerminateJobObject(job, 1)
    kernel32.CloseHandle(job)
