"""Connections one network probe opened and the next one continues on (issue 15): the
TCP connect that proves ``net.reach`` is the one ``net.tls`` shakes hands on, and the
verified TLS connection is the one ``net.http`` sends its GET over, with one SSL context,
so a run makes one verified connection (one CONNECT through a proxy) to the login site.

A hand-off belongs to the producing probe's result object: a re-run makes a new result and
so a new hand-off, and a connection is taken at most once (a consumer that finds none
opens its own). Connections nobody took are closed when the result is garbage collected.
"""

from __future__ import annotations

import socket
import ssl
import threading
import weakref
from dataclasses import dataclass, field


@dataclass
class Handoff:
    """Open connections by "host:port", plus the run's one SSL context."""

    sockets: dict[str, socket.socket] = field(default_factory=dict)
    context: ssl.SSLContext | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, target: str, sock: socket.socket) -> None:
        with self.lock:
            old = self.sockets.pop(target, None)
            self.sockets[target] = sock
        if old is not None:
            old.close()

    def take(self, target: str) -> socket.socket | None:
        with self.lock:
            return self.sockets.pop(target, None)

    def close(self) -> None:
        with self.lock:
            left, self.sockets = list(self.sockets.values()), {}
        for sock in left:
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
