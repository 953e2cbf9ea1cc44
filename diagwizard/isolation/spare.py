"""A spare child process, started while the parent is still loading, for the PKCS#11
scan of ``check`` (the one isolated built-in probe).

Measured reason (``benchmarks/bench.py``, card facts: ``check --only pcsc --only pkcs11``
against the native sequence on the emulated card, 2-core VM, quiet hour): a child
started only when ``pkcs11.token`` runs costs its interpreter start and imports (msgspec,
PyKCS11, and ``cryptography`` for the certificates: ~100-125 ms) after the parent's own
start, so the check took 0.25 s against the native 0.11 s, 2.2x (target <= 1.5x). Started
by the CLI as soon as the command line is parsed, the child starts and imports on the
other core while the parent loads the engine and the probes. See the README's
"Benchmarks" for the figures with it.

It is an ordinary child (``childproc.spawn``: its own session, killed with everything
it started). Before reading its request it imports the ``warm`` modules, then the
``later`` ones on a thread. Unused, it exits when its stdin closes (at the latest when
the parent exits).
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Sequence

from diagwizard.core import frozen
from diagwizard.isolation.childproc import child_env, spawn

# Set by the parent for a spare child: what to import while it waits ("a,b;c,d": a and
# b first, then c and d on a thread).
WARM_ENV = "DIAGWIZARD_CHILD_WARM"

# What the PKCS#11 scan imports: the scan and PyKCS11 first, then what reading the
# certificates needs (the spare is then asked to ``analyse`` them, see ``pkcs11``).
PKCS11_SCAN = ("diagwizard.system.transport.pkcs11_scan", "PyKCS11")
PKCS11_SCAN_LATER = ("cryptography.x509",)

_lock = threading.Lock()
_spare: subprocess.Popen[bytes] | None = None


def start(warm: Sequence[str] = PKCS11_SCAN, later: Sequence[str] = PKCS11_SCAN_LATER) -> None:
    """Start the spare now, unless one is waiting. Only a head start: if it cannot be
    started, the call that would have used it starts its own child."""
    global _spare
    with _lock:
        if _spare is not None:
            return
        names = ",".join(warm) + (";" + ",".join(later) if later else "")
        try:
            _spare = spawn(frozen.child_command(), {**child_env(), WARM_ENV: names})
        except Exception:  # never a reason to fail the command: the call starts its own
            _spare = None


def waiting() -> bool:
    """Is a spare started and still alive?"""
    with _lock:
        return _spare is not None and _spare.poll() is None


def take() -> subprocess.Popen[bytes] | None:
    """The spare, for one call (it is not waiting any more); None if there is none."""
    global _spare
    with _lock:
        proc, _spare = _spare, None
    if proc is not None and proc.poll() is not None:
        return None  # it died while waiting: the caller starts a fresh one
    return proc


def warm_up() -> None:
    """In the child, before it reads its request: import what the parent named."""
    now, _, later = os.environ.pop(WARM_ENV, "").partition(";")
    _import_all(now)
    if later:
        threading.Thread(target=_import_all, args=(later,), name="warm", daemon=True).start()


def _import_all(names: str) -> None:
    import importlib  # lazy: only a spare child imports modules ahead of its request

    for name in filter(None, names.split(",")):
        try:
            importlib.import_module(name)
        except Exception:  # the request itself will report what is missing
            return
