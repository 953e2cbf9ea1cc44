"""The isolated child process (``python -m diagwizard.isolation.child``; see
``diagwizard.isolation``).

The parent writes one JSON request to stdin, ``{"target": "module:function", "args":
{...}}``; the child imports only that module (an isolated probe is such a call, to
``diagwizard.engine.isolated:run_probe``), calls the function and answers with one
``protocol.Line`` on the file descriptor it saved as its real stdout. Anything the probe
or native code prints goes to stderr, so it cannot corrupt the answer.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from typing import Any

import msgspec

from diagwizard.isolation import protocol, reaper, spare


def _call(req: dict[str, Any]) -> protocol.Line:
    module, _, name = req["target"].partition(":")
    try:
        value = getattr(importlib.import_module(module), name)(**req["args"])
        return protocol.Line(value=msgspec.Raw(protocol.encode(value)))
    except Exception as exc:
        return protocol.Line(error=f"{type(exc).__name__}: {exc}")


def main() -> int:
    """Entry point of the child process (``python -m diagwizard.isolation.child``, or the
    frozen program started with ``frozen.CHILD_MARKER``), spare or not."""
    warnings.simplefilter("ignore")  # never part of an answer; stderr is only a tail
    reaper.become_subreaper()  # Linux: what a module starts stays in this child's tree
    answer_fd = os.dup(1)
    protocol.answer_to(answer_fd)
    os.dup2(2, 1)  # stray prints, Python or native, go to stderr
    sys.stdout = sys.stderr
    spare.warm_up()  # a spare child: import what its coming request needs
    raw = sys.stdin.buffer.read()
    if not raw.strip():  # a spare child that was never used: the parent has gone
        return 0
    req = msgspec.json.decode(raw)
    reply = _call(req)
    req.clear()  # drop the arguments (may hold the PIN) as soon as possible
    with os.fdopen(answer_fd, "wb") as answer:
        answer.write(protocol.encode(reply) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
