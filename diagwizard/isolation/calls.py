"""Run native code in a child Python process.

Native code (vendor PKCS#11 modules, PC/SC drivers) may segfault, abort or hang. In a
child process each of those becomes a Result: a signal becomes ``error``, a hang is
killed at the timeout and becomes ``timeout``. The parent never loads the native code.

The child's side is ``diagwizard.isolation.child``, what it writes back
``diagwizard.isolation.protocol``; starting, feeding and bounding the child is
``diagwizard.isolation.childproc``. Requests and answers are JSON in msgspec's own
encoding, so a ``msgspec.Struct`` (a ``Result``, a PKCS#11 scan report) crosses the
boundary as itself and is decoded into its type on the other side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from diagwizard.core import frozen
from diagwizard.isolation import spare
from diagwizard.isolation.childproc import ANSWER_LIMIT, child_env, describe_exit, run_child
from diagwizard.isolation.protocol import Line, encode, progress
from diagwizard.isolation.winjob import JobSetupFailed


class ChildFailed(Exception):
    """A child process could not answer: it crashed, hung, or printed nothing.

    ``progress`` lists the steps the child announced before it failed (see
    :func:`progress`), so a caller can say honestly how far it got. ``answered`` is set
    when the child itself was fine and answered with the Python error of the call.
    ``contained`` is False when the child could not be put in its job object (Windows):
    it was ended before it ran, so the native code was never loaded.
    """

    def __init__(
        self,
        how: str,
        timed_out: bool = False,
        progress: tuple[str, ...] = (),
        answered: bool = False,
        contained: bool = True,
    ) -> None:
        super().__init__(how)
        self.how = how
        self.timed_out = timed_out
        self.progress = progress
        self.answered = answered
        self.contained = contained


def _split_answer(raw: bytes) -> tuple[tuple[str, ...], Line | None]:
    """Progress lines, then the answer (the last line that is one); ``None`` if none."""
    steps: list[str] = []
    answer: Line | None = None
    for text in raw.splitlines():
        if not text.strip():
            continue
        try:
            line = msgspec.json.decode(text, type=Line)
        except (msgspec.DecodeError, msgspec.ValidationError):
            answer = None  # garbage after the answer: the child did not finish cleanly
            continue
        if line.progress is not None:
            steps.append(line.progress)
        else:
            answer = line
    return tuple(steps), answer


def _exchange(
    parts: Sequence[bytes | bytearray | memoryview], timeout: float, use_spare: bool = False
) -> Line:
    """Send one request (see ``frozen.child_command``) to a new child, or to the spare
    (see ``diagwizard.isolation.spare``) with ``use_spare``; return its answer.

    ``parts`` are the request's bytes, given in parts so that a secret is never joined
    into a new string. A hang is killed at ``timeout``; a crash or an empty answer is
    reported with the signal or exit code and the last line of the child's stderr.
    """
    proc = spare.take() if use_spare else None
    try:
        out = run_child(frozen.child_command(), parts, timeout, child_env(), proc=proc)
    except JobSetupFailed as exc:  # ended before it ran: nothing was loaded
        raise ChildFailed(str(exc), contained=False) from exc
    steps, answer = _split_answer(out.answer)
    if out.timed_out:
        raise ChildFailed(f"no answer within {timeout:g} s", timed_out=True, progress=steps)
    if out.answer_overflow:
        raise ChildFailed(f"answer larger than {ANSWER_LIMIT // 2**20} MB", progress=steps)
    if answer is not None and (out.returncode == 0 or out.answer_closed):
        return answer  # how the child ended after its answer does not change it
    how = describe_exit(out.returncode) if out.returncode is not None else "did not exit"
    tail = out.last_error_line()
    if tail:
        how += f": {tail}"
    if out.stderr_dropped:
        how += f" [{out.stderr_dropped} bytes of earlier output dropped]"
    raise ChildFailed(how, progress=steps)


def call_isolated(
    target: str,
    args: Mapping[str, Any],
    timeout: float,
    secret: tuple[str, bytearray] | None = None,
    returns: Any = Any,
    use_spare: bool = False,
) -> Any:
    """Call ``module:function(**args)`` in a child process; return its answer decoded
    as ``returns`` (a type msgspec decodes: a Struct, ``list[int]``...; by default plain
    JSON values). An answer of another shape raises ``msgspec.ValidationError``.

    Arguments travel over the child's stdin, never its command line or environment, so
    secrets (the opt-in PIN test) are not visible to other processes. ``secret`` is one
    more argument (name, ASCII bytes) written to the pipe straight from the caller's
    buffer, so no copy of it is made here; the caller wipes the buffer. ``use_spare``
    sends the call to the spare child, if one is waiting (never with a secret: that
    child was started before anyone asked for it).
    """
    request = {"target": target, "args": args}
    if secret is None:
        answer = _exchange([encode(request)], timeout, use_spare)
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
        # {"target": ..., "args": {<name>: "<secret>", <the other args>}}
        head = encode({**request, "args": {}})[:-2] + encode(name)
        rest = encode(args)[1:] if args else b"}"
        tail = b'"' + (b"," + rest if args else rest) + b"}"
        try:
            answer = _exchange([head + b':"', memoryview(escaped)[:n], tail], timeout)
        finally:
            escaped[:] = bytes(len(escaped))
    if answer.error is not None:
        raise ChildFailed(answer.error, answered=True)
    return msgspec.json.decode(answer.value, type=returns)


__all__ = [
    "ChildFailed",
    "call_isolated",
    "progress",
]
