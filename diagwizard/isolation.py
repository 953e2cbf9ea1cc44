"""Run one probe in a child Python process.

Native code (vendor PKCS#11 modules, PC/SC drivers) may segfault, abort or hang. In a
child process each of those becomes a Result: a signal becomes ``error``, a hang is
killed at the timeout and becomes ``timeout``. The parent never loads the native code.

Protocol: the parent writes one JSON request to the child's stdin; the child writes one
JSON result to the file descriptor it saved as its real stdout. Anything the probe or
native code prints goes to stderr, so it cannot corrupt the answer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import msgspec

from diagwizard import frozen, outcomes
from diagwizard.codec import result_from_wire, result_to_wire
from diagwizard.config import Config
from diagwizard.model import Result


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


class ChildFailed(Exception):
    """A child process could not answer: it crashed, hung, or printed nothing."""

    def __init__(self, how: str, timed_out: bool = False) -> None:
        super().__init__(how)
        self.how = how
        self.timed_out = timed_out


def _exchange(request: dict[str, Any], timeout: float) -> Any:
    """Send one JSON request to a child process (see ``frozen.child_command``) and
    return its JSON answer.

    A hang is killed at ``timeout``; a crash or an empty answer is reported with the
    signal or exit code and the last line of the child's stderr.
    """
    proc = subprocess.Popen(
        frozen.child_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONFAULTHANDLER="0"),
    )
    try:
        out, err = proc.communicate(json.dumps(request).encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise ChildFailed(f"no answer within {timeout:g} s", timed_out=True) from None
    if proc.returncode != 0 or not out.strip():
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or [""]
        how = _describe_exit(proc.returncode)
        raise ChildFailed(f"{how}: {tail[0][:200]}" if tail[0] else how)
    return json.loads(out)


def run_isolated(
    target: str,
    probe_id: str,
    config: Config,
    needs: Mapping[str, Result],
    timeout: float,
) -> Result:
    request = {
        "target": target,
        "probe_id": probe_id,
        "config": msgspec.to_builtins(config),
        "results": {k: result_to_wire(v) for k, v in needs.items()},
    }
    try:
        return result_from_wire(_exchange(request, timeout))
    except ChildFailed as exc:
        return outcomes.timed_out(timeout) if exc.timed_out else outcomes.crashed(exc.how)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return outcomes.raised(exc)


def call_isolated(target: str, args: dict[str, Any], timeout: float) -> Any:
    """Call ``module:function(**args)`` in a child process; return its JSON-able answer.

    Arguments travel over the child's stdin, never its command line or environment, so
    secrets (the opt-in PIN test) are not visible to other processes.
    """
    answer = _exchange({"kind": "call", "target": target, "args": args}, timeout)
    if "error" in answer:
        raise ChildFailed(answer["error"])
    return answer["value"]


def _child_call(req: dict[str, Any]) -> dict[str, Any]:
    import importlib

    module, _, name = req["target"].partition(":")
    try:
        func = getattr(importlib.import_module(module), name)
        return {"value": func(**req["args"])}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def child_main(stdin: Any = None) -> int:
    """Entry point of the child process (``python -m diagwizard.child``, or the frozen
    program started with ``frozen.CHILD_MARKER``)."""
    answer_fd = os.dup(1)
    os.dup2(2, 1)  # stray prints, Python or native, go to stderr
    sys.stdout = sys.stderr
    req = json.loads((stdin or sys.stdin).read())
    if req.get("kind") == "call":
        reply = _child_call(req)
        req.clear()  # drop the arguments (may hold the PIN) as soon as possible
        with os.fdopen(answer_fd, "w") as answer:
            answer.write(json.dumps(reply))
        return 0

    from diagwizard import adapters, registry
    from diagwizard.context import Context

    reg = registry.load_target(req["target"])
    probe = reg.probes.get(req["probe_id"])
    if probe is None:
        res = outcomes.raised(LookupError(f"probe {req['probe_id']} not found in child"))
    else:
        ctx = Context(
            config=msgspec.convert(req["config"], Config),
            os=adapters.current(),
            results={k: result_from_wire(v) for k, v in req["results"].items()},
        )
        try:
            res = probe.run(ctx)
        except Exception as exc:
            res = outcomes.raised(exc)
    with os.fdopen(answer_fd, "w") as answer:
        answer.write(json.dumps(result_to_wire(res)))
    return 0
