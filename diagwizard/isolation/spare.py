"""A spare child process, started while the parent is still loading, for the PKCS#11
scan of ``check`` (the one isolated built-in probe).

Measured reason (``benchmarks/bench.py``, card facts: ``check --only pcsc --only pkcs11``
against the native sequence on the emulated card; 2-core VM, quiet hour, native 0.10-0.11
s, target <= 1.5x): a child started only when ``pkcs11.token`` runs pays its interpreter
start and imports (msgspec, PyKCS11, ``cryptography`` for the certificates: ~75 ms)
after the parent's own start, and the check took 0.21 s, 2.0x. Started by the CLI as
soon as the command line is parsed, the child starts and imports on the other core
while the parent loads the engine and the probes: 0.165-0.176 s, 1.6x (still a miss,
see the README's "Benchmarks").

It is an ordinary child (``childproc.spawn``: its own session, killed with everything
it started; on Windows in its job object before it runs, like every child) that imports
the ``warm`` modules before it reads its request. Unused, it
exits when its stdin closes (at the latest when the parent exits).
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence

from diagwizard.core import frozen
from diagwizard.isolation.childproc import Child, child_env, spawn

# Set by the parent for a spare child: what to import while it waits ("a,b,c").
WARM_ENV = "DIAGWIZARD_CHILD_WARM"
# What the PKCS#11 scan imports: the scan, PyKCS11, and what reading the certificates
# needs (the spare is asked to ``analyse`` them, see ``isolation.pkcs11``).
PKCS11_SCAN = ("diagwizard.system.transport.pkcs11_scan", "PyKCS11", "cryptography.x509")

_lock = threading.Lock()
_spare: Child | None = None


def start(warm: Sequence[str] = PKCS11_SCAN) -> None:
    """Start the spare now, unless one is waiting. Only a head start: if it cannot be
    started, the call that would have used it starts its own child."""
    global _spare
    with _lock:
        if _spare is not None:
            return
        try:
            _spare = spawn(frozen.child_command(), {**child_env(), WARM_ENV: ",".join(warm)})
        except Exception:  # never a reason to fail the command: the call starts its own
            _spare = None


def waiting() -> bool:
    """Is a spare started and still alive?"""
    with _lock:
        return _spare is not None and _spare.poll() is None


def take() -> Child | None:
    """The spare, for one call (it is not waiting any more); None if there is none."""
    global _spare
    with _lock:
        proc, _spare = _spare, None
    if proc is not None and proc.poll() is not None:
        return None  # it died while waiting: the caller starts a fresh one
    return proc


def warm_up() -> None:
    """In the child, before it reads its request: import what the parent named."""
    for name in filter(None, os.environ.pop(WARM_ENV, "").split(",")):
        try:
            importlib.import_module(name)
        except Exception:  # the request itself will report what is missing
            return
