"""What a child writes back to its parent: lines of JSON in msgspec's own encoding.

A child (``diagwizard.isolation.child``) writes progress lines, then one answer line, to
the file descriptor it saved as its real stdout; the parent (``diagwizard.isolation``)
reads them back as :class:`Line`.
"""

from __future__ import annotations

import os

import msgspec

_answer_fd: int | None = None  # set in a child, by ``answer_to``


class Line(msgspec.Struct, omit_defaults=True):
    """One line the child writes: a progress step, then the answer, which is the value
    the function returned (JSON, kept raw until the caller decodes it into its type) or
    the Python error it raised."""

    progress: str | None = None
    value: msgspec.Raw = msgspec.Raw(b"")
    error: str | None = None


def encode(value: object) -> bytes:
    # A value msgspec has no encoding for (a plugin's own object in a fact) goes as text.
    return msgspec.json.encode(value, enc_hook=str)


def answer_to(fd: int) -> None:
    """In a child: the descriptor that :func:`progress` lines (and the answer) go to."""
    global _answer_fd
    _answer_fd = fd


def progress(step: str) -> None:
    """In a child: announce that ``step`` was reached (e.g. just before C_Login).

    The parent keeps these even if the child then hangs or crashes, so it can tell the
    user whether an irreversible call was made. Outside a child this does nothing.
    """
    if _answer_fd is not None:
        os.write(_answer_fd, encode(Line(progress=step)) + b"\n")
