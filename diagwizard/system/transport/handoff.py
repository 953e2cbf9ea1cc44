"""Connections one network probe opened and the next one continues on (issue 15): the
TCP connect that proves ``net.reach`` is the one ``net.tls`` shakes hands on, and the
verified TLS connection is the one ``net.http`` sends its GET over, with one SSL context,
so a run makes one verified connection (one CONNECT through a proxy) to the login site.

A hand-off belongs to the producing probe's result object: a re-run makes a new result and
so a new hand-off, and a connection is taken at most once (a consumer that finds none
opens its own). A connection left waiting longer than ``MAX_IDLE`` is not handed on (a
later re-check must not inherit one the server has dropped); connections nobody took are
closed when the result is garbage collected.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
import weakref
from dataclasses import dataclass, field

MAX_IDLE = 5.0  # seconds; probes of one run follow each other within milliseconds


@dataclass
class Handoff:
    """Open connections by "host:port" (with when they were put), and the run's SSL context."""

    sockets: dict[str, tuple[socket.socket, float]] = field(default_factory=dict)
    context: ssl.SSLContext | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, target: str, sock: socket.socket) -> None:
        with self.lock:
            old = self.sockets.pop(target, None)
            self.sockets[target] = (sock, time.monotonic())
        if old is not None:
            old[0].close()

    def take(self, target: str) -> socket.socket | None:
        with self.lock:
            entry = self.sockets.pop(target, None)
        if entry is None:
            return None
        if time.monotonic() - entry[1] > MAX_IDLE:
            entry[0].close()
            return None
        return entry[0]

    def close(self) -> None:
        with self.lock:
            left, self.sockets = list(self.sockets.values()), {}
        for sock, _ in left:
            sock.close()


_HANDOFFS: dict[int, Handoff] = {}
_LOCK = threading.Lock()


def attach(owner: object, handoff: Handoff) -> None:
    """Make ``handoff`` reachable from ``owner`` (a probe's result) while it lives."""
    key = id(owner)
    with _LOCK:
        _HANDOFFS[key] = handoff
    weakref.finalize(owner, _drop, key, handoff)


def _drop(key: int, handoff: Handoff) -> None:
    with _LOCK:
        if _HANDOFFS.get(key) is handoff:
            del _HANDOFFS[key]
    handoff.close()


def handoff_of(owner: object | None) -> Handoff:
    """The hand-off attached to ``owner``, or an empty one (nothing to continue on)."""
    if owner is None:
        return Handoff()
    with _LOCK:
        known = _HANDOFFS.get(id(owner))
    return known if known is not None else Handoff()
