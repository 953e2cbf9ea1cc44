"""Run native code in a child Python process.

Native code (vendor PKCS#11 modules, PC/SC drivers) may segfault, abort or hang. In a
child process each of those becomes a Result: a signal becomes ``error``, a hang is
killed at the timeout and becomes ``timeout``. The parent never loads the native code.

The child's side and the protocol are in ``diagwizard.isolation.child``. A child may be started
ahead of time (:func:`prestart`) so that its interpreter start and imports overlap the
parent's own (issue 15); the first PKCS#11 module scan (or isolated probe) then takes it.
This module imports little at the top so that the prestart happens early.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from diagwizard.core import frozen
from diagwizard.isolation.child import WARM_ENV, progress
from diagwizard.isolation.child import main as child_main
from diagwizard.isolation.childproc import ANSWER_LIMIT, describe_exit, run_child, spawn
from diagwizard.isolation.forked import can_fork, fork

if TYPE_CHECKING:
    from diagwizard.isolation.childproc import Process


class ChildFailed(Exception):
    """A child process could not answer: it crashed, hung, or printed nothing.

    ``progress`` lists the steps the child announced before it failed (see
    :func:`progress`), so a caller can say honestly how far it got. ``answered`` is set
    when the child itself was fine and answered with the Python error of the call.
    """

    def __init__(
        self,
        how: str,
        timed_out: bool = False,
        progress: tuple[str, ...] = (),
        answered: bool = False,
    ) -> None:
        super().__init__(how)
        self.how = how
        self.timed_out = timed_out
        self.progress = progress
        self.answered = answered


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Any value, even "0", turns faulthandler on; its dumps would bury the real error.
    env.pop("PYTHONFAULTHANDLER", None)
    return env


_spare_lock = threading.Lock()
_spare: Process | None = None


def prestart(warm: Sequence[str], later: Sequence[str] = (), may_fork: bool = False) -> None:
    """Start a child now that will wait for a request (the caller knows which: today the
    PKCS#11 module scan, see ``transport.pkcs11_scan.WARM_MODULES``).

    It imports the ``warm`` modules while the parent loads its own, then the ``later``
    ones in the background, so the child is off the critical path. Unused, it exits
    when the parent's end of its stdin closes (at the latest when the parent exits).

    ``may_fork``: the caller is the program's own entry point, which knows that nothing
    but this interpreter's start has happened yet; the child is then forked where the OS
    allows. Any other caller (a host program, a test) gets a fresh interpreter.
    """
    global _spare
    with _spare_lock:
        if _spare is None:
            names = ",".join(warm) + (";" + ",".join(later) if later else "")
            try:
                if may_fork and can_fork():  # an interpreter already up (Linux)
                    _spare = fork(lambda: _forked_child(names))
                else:
                    _spare = spawn(frozen.child_command(), {**_child_env(), WARM_ENV: names})
            except Exception:  # only a head start: the probe will start its own child
                _spare = None


def _forked_child(warm: str) -> int:
    """The forked spare: the same child as ``python -m diagwizard.isolation.child``, set up as
    that one's environment would be (no faulthandler dumps, see ``_child_env``)."""
    global _spare, _spare_lock
    import faulthandler  # lazy: built in, only the forked child needs it

    faulthandler.disable()
    _spare, _spare_lock = None, threading.Lock()  # the parent's were copied mid-prestart
    with open(0, encoding="utf-8", closefd=False) as stdin:
        return child_main(stdin, warm=warm)


def spare_waiting() -> bool:
    """Is a child started ahead of time (see :func:`prestart`) waiting to be used?"""
    with _spare_lock:
        return _spare is not None and _spare.poll() is None


def _take_spare() -> Process | None:
    global _spare
    with _spare_lock:
        proc, _spare = _spare, None
    if proc is not None and proc.poll() is not None:
        return None  # it died while waiting: start a fresh one
    return proc


def _split_answer(raw: bytes) -> tuple[tuple[str, ...], Any]:
    """Progress lines, then the answer (the last JSON line); ``None`` if there is none."""
    steps: list[str] = []
    answer: Any = None
    for line in raw.splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            answer = None
            continue
        if isinstance(item, dict) and set(item) == {"progress"}:
            steps.append(str(item["progress"]))
        else:
            answer = item
    return tuple(steps), answer


def _exchange(
    request: dict[str, Any] | Sequence[bytes | bytearray | memoryview],
    timeout: float,
    spare: Process | None = None,
) -> Any:
    """Send one JSON request to a child process (see ``frozen.child_command``) and
    return its JSON answer.

    ``request`` may be given as byte parts so that a secret is never joined into a new
    string. A hang is killed at ``timeout``; a crash or an empty answer is reported with
    the signal or exit code and the last line of the child's stderr.
    """
    parts = [json.dumps(request).encode()] if isinstance(request, dict) else request
    out = run_child(frozen.child_command(), parts, timeout, _child_env(), proc=spare)
    steps, answer = _split_answer(out.answer)
    if out.timed_out:
        raise ChildFailed(f"no answer within {timeout:g} s", timed_out=True, progress=steps)
    if out.answer_overflow:
        raise ChildFailed(f"answer larger than {ANSWER_LIMIT // 2**20} MB", progress=steps)
    if out.returncode != 0 or answer is None:
        how = describe_exit(out.returncode) if out.returncode is not None else "did not exit"
        tail = out.last_error_line()
        if tail:
            how += f": {tail}"
        if out.stderr_dropped:
            how += f" [{out.stderr_dropped} bytes of earlier output dropped]"
        raise ChildFailed(how, progress=steps)
    return answer


def call_isolated(
    target: str,
    args: dict[str, Any],
    timeout: float,
    secret: tuple[str, bytearray] | None = None,
    use_spare: bool = False,
) -> Any:
    """Call ``module:function(**args)`` in a child process; return its JSON-able answer.

    Arguments travel over the child's stdin, never its command line or environment, so
    secrets (the opt-in PIN test) are not visible to other processes. ``secret`` is one
    more argument (name, ASCII bytes) written to the pipe straight from the caller's
    buffer, so no copy of it is made here; the caller wipes the buffer. ``use_spare``
    sends the call to the child started ahead of time, if there is one (never with a
    secret: that child was started before anyone asked for it).
    """
    request = {"kind": "call", "target": target, "args": args}
    if secret is None:
        answer = _exchange(request, timeout, _take_spare() if use_spare else None)
    else:
        name, value = secret
        if any(b < 0x20 or b > 0x7E for b in value):
            raise ValueError("the secret must be printable ASCII")
        # JSON-escape into a buffer allocated once (growing it would leave copies behind).
        escaped = bytearray(2 * len(value))
        n = 0
        for b in value:
            if b in b'"\\':
                escaped[n] = 0x5C
                n += 1
            escaped[n] = b
            n += 1
        head = json.dumps({**request, "args": {}})[:-2] + json.dumps(name) + ': "'
        rest = json.dumps(args)[1:] if args else "}"
        tail = '"' + (", " + rest if args else rest) + "}"
        try:
            answer = _exchange([head.encode(), memoryview(escaped)[:n], tail.encode()], timeout)
        finally:
            escaped[:] = bytes(len(escaped))
    if "error" in answer:
        raise ChildFailed(answer["error"], answered=True)
    return answer["value"]


__all__ = [
    "ChildFailed",
    "call_isolated",
    "child_main",
    "prestart",
    "progress",
    "spare_waiting",
]
