"""Login sites that misbehave, on 127.0.0.1: one that resets or closes the connection once
it has read the browser's first bytes, and one whose TLS handshake starts and then stalls
(its first record is sent, the rest never comes, as when a middlebox drops the large
certificate packet). A site that accepts and never says a word is
:attr:`stack.dnsserver.BlackHole.silent_port`.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
from pathlib import Path


class _Server:
    """Accepts on 127.0.0.1 and hands each connection to :meth:`serve` on a thread."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


class DroppingServer(_Server):
    """Reads what the client sends first, then resets the connection (``reset``: an RST,
    what a firewall or TLS-inspection device sends) or closes it (a FIN, no answer)."""

    def __init__(self, how: str = "reset") -> None:
        super().__init__()
        self.how = how

    def serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            conn.recv(4096)
        except OSError:
            pass
        if self.how == "reset":  # SO_LINGER with a zero timeout: close() sends an RST
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


class StallingTlsServer(_Server):
    """A real TLS server that sends only the first record of its answer (the ServerHello)
    and then waits: the client has begun the handshake and never finishes it."""

    def __init__(self, cert: tuple[Path, Path]) -> None:
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(str(cert[0]), str(cert[1]))
        super().__init__()

    def serve(self, conn: socket.socket) -> None:
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self.ctx.wrap_bio(incoming, outgoing, server_side=True)
        conn.settimeout(5)
        try:
            incoming.write(conn.recv(65536))  # the ClientHello
            try:
                tls.do_handshake()
            except ssl.SSLWantReadError:
                pass  # it wrote its whole first flight and waits for the client
            flight = outgoing.read()
            length = struct.unpack(">H", flight[3:5])[0]
            conn.sendall(flight[: 5 + length])  # the first record only
        except OSError:
            conn.close()
            return
        self.held.append(conn)  # keep it open, say nothing more
