"""Connections one network probe opened and the next one continues on (issue 15): the
TCP connect that proves ``net.reach`` is the one ``net.tls`` shakes hands on, and the
verified TLS connection is the one ``net.http`` sends its GET over, with one SSL context,
so a run makes one verified connection (one CONNECT through a proxy) to the login site.

Each kind is one of the run's resources (``Context.resources``): made on first use, closed
by the runner when the run ends. A connection is taken at most once (a consumer that finds
none opens its own), and one left waiting longer than ``MAX_IDLE`` is not handed on.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time

MAX_IDLE = 5.0  # seconds; probes of one run follow each other within milliseconds


class Handoff:
    """Open connections by "host:port", with when they were put."""

    def __init__(self) -> None:
        self.sockets: dict[str, tuple[socket.socket, float]] = {}
        self.lock = threading.Lock()
        self.closed = False

    def put(self, target: str, sock: socket.socket) -> None:
        with self.lock:
            if self.closed:  # the run is over (a probe that outlived its time limit)
                old: tuple[socket.socket, float] | None = (sock, 0.0)
            else:
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
            left, self.sockets, self.closed = list(self.sockets.values()), {}, True
        for sock, _ in left:
            sock.close()


class ReachedSockets(Handoff):
    """Plain TCP connections ``net.reach`` made, for ``net.tls`` to shake hands on."""


class VerifiedSockets(Handoff):
    """TLS connections ``net.tls`` verified, and its SSL context, for ``net.http``."""

    def __init__(self) -> None:
        super().__init__()
        self.context: ssl.SSLContext | None = None
