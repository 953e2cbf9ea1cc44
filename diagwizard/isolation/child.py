"""The isolated child process (``python -m diagwizard.isolation.child``; see isolation.py).

Kept lean on purpose (issue 15): only ``json``, ``os`` and ``sys`` at the top, so a
child started ahead of time is ready within the interpreter's own start. Such a child
imports what its coming request needs (the parent names it: the PKCS#11 scan) while it
waits, which overlaps the parent's own work. A request names one ``module:function`` and
its arguments; the child imports only that module (an isolated probe is such a call, to
``diagwizard.engine.isolated:run_probe``).

Protocol: the parent writes one JSON request to stdin; the child writes one JSON answer
to the file descriptor it saved as its real stdout. Anything the probe or native code
prints goes to stderr, so it cannot corrupt the answer.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

_ANSWER_FD: int | None = None


def progress(step: str) -> None:
    """In a child: announce that ``step`` was reached (e.g. just before C_Login).

    The parent keeps these even if the child then hangs or crashes, so it can tell the
    user whether an irreversible call was made. Outside a child this does nothing.
    """
    if _ANSWER_FD is not None:
        os.write(_ANSWER_FD, (json.dumps({"progress": step}) + "\n").encode())


def _call(req: dict[str, Any]) -> dict[str, Any]:
    import importlib  # lazy: start-up time (issue 15)

    module, _, name = req["target"].partition(":")
    try:
        func = getattr(importlib.import_module(module), name)
        return {"value": func(**req["args"])}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def _warm_up(names: str) -> None:
    """Import what the coming request needs while the parent is still busy elsewhere.

    ``names`` are module names separated by commas; those after a ";" are imported on a
    background thread, so that a request arriving meanwhile is read at once (its own
    imports wait for theirs as needed).
    """
    now, _, later = names.partition(";")
    _import_all(now.split(","))
    if later:
        import threading  # lazy: start-up time (issue 15), only for a background warm-up

        args = (later.split(","),)
        threading.Thread(target=_import_all, args=args, name="warm", daemon=True).start()


def _import_all(names: Sequence[str]) -> None:
    import importlib  # lazy: start-up time (issue 15)

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the request itself will report what is missing
            return


def main(stdin: Any = None, warm: str | None = None) -> int:
    """Entry point of the child process (``python -m diagwizard.isolation.child``, the frozen
    program started with ``frozen.CHILD_MARKER``, or a fork: ``isolation.prestart``).

    ``warm`` names what to import while waiting; by default the parent's ``WARM_ENV``.
    """
    global _ANSWER_FD
    import warnings  # lazy: start-up time (issue 15)

    warnings.simplefilter("ignore")  # never part of an answer; stderr is only a tail
    answer_fd = _ANSWER_FD = os.dup(1)
    os.dup2(2, 1)  # stray prints, Python or native, go to stderr
    sys.stdout = sys.stderr
    if warm is None:
        warm = os.environ.pop(WARM_ENV, "")
    if warm:
        _warm_up(warm)
    raw = (stdin or sys.stdin).read()
    if not raw.strip():  # a spare child that was never used: the parent has gone
        return 0
    req = json.loads(raw)
    reply = _call(req)
    req.clear()  # drop the arguments (may hold the PIN) as soon as possible
    with os.fdopen(answer_fd, "w") as answer:
        answer.write(json.dumps(reply) + "\n")
    return 0


# Set by the parent for a child started ahead of time: what to import while it waits.
WARM_ENV = "DIAGWIZARD_CHILD_WARM"

if __name__ == "__main__":
    # Run the imported module, not this ``__main__`` copy, so that ``progress`` called
    # by a probe or transport sees the answer descriptor saved here.
    from diagwizard.isolation.child import main as _main

    code = _main()
    sys.stderr.flush()  # the answer went out already; skip the slow interpreter teardown
    os._exit(code)
