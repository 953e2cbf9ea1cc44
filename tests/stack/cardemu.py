"""A smart-card emulator speaking the vpcd protocol (it is a TCP *client* of vpcd).

Each message is a 2-byte big-endian length and that many bytes. A 1-byte message from
vpcd is a control byte (0 off, 1 on, 2 reset, 4 "send your ATR"); anything longer is an
APDU, answered with response data + SW1 SW2. While connected, a card is in the reader.

Every APDU received is logged, so tests can prove what a diagnosis sent (never VERIFY).
TCP_QUICKACK after each recv avoids the ~48 ms delayed-ACK stall per APDU.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable

VPCD_HOST = "127.0.0.1"
VPCD_PORTS = (35963, 35964)

MOICA_ATR = bytes.fromhex("3BB8130081 31FA52 4348544D4F494341 A5".replace(" ", ""))
MOICA_GPKI_ATR = bytes.fromhex("3BD8960081B1FE451F07 4348544750 4B494A DD".replace(" ", ""))
NHI_ATR = bytes.fromhex("3BEE00008131FE45803180664090930 60F17830F9000F3".replace(" ", ""))

Handler = Callable[[bytes], bytes]


def not_supported(apdu: bytes) -> bytes:
    return b"\x6d\x00"


class CardEmulator:
    def __init__(
        self,
        atr: bytes = MOICA_ATR,
        handler: Handler = not_supported,
        port: int = VPCD_PORTS[0],
        mute: bool = False,
    ) -> None:
        self.atr = atr
        self.handler = handler
        self.port = port
        self.mute = mute
        self.apdus: list[bytes] = []
        self.controls: list[int] = []
        self.on_control: Callable[[int], None] | None = None
        self.pull_on_power_on = False
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # -- insert / remove ---------------------------------------------------------------
    def insert(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((VPCD_HOST, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
        self._thread.start()

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def wait_powered_off(self, timeout: float = 5.0) -> None:
        """Wait until pcscd has powered the card down after insertion (its idle grace
        period), so the next connection powers it up again."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            powers = [c for c in self.controls if c in (0, 1)]
            if powers and powers[-1] == 0:
                return
            time.sleep(0.05)
        raise TimeoutError("card was never powered off")

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    # -- protocol ----------------------------------------------------------------------
    @staticmethod
    def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
        buf = b""
        while len(buf) < n:
            try:
                chunk = sock.recv(n - len(buf))
            except OSError:
                return None
            if not chunk:
                return None
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            buf += chunk
        return buf

    @staticmethod
    def _send(sock: socket.socket, payload: bytes) -> None:
        sock.sendall(struct.pack(">H", len(payload)) + payload)

    def _serve(self, sock: socket.socket) -> None:
        while True:
            head = self._recv_exact(sock, 2)
            if head is None:
                return
            (length,) = struct.unpack(">H", head)
            body = self._recv_exact(sock, length) if length else b""
            if body is None:
                return
            try:
                if len(body) == 1:
                    self.controls.append(body[0])
                    if self.on_control is not None:
                        self.on_control(body[0])
                    if body[0] == 1 and self.pull_on_power_on:
                        # The card is pulled out just as the reader powers it for a
                        # connection: the moment a probe is talking to it.
                        sock.shutdown(socket.SHUT_RDWR)
                        return
                    if body[0] == 4:
                        # A mute card (upside down, dirty contacts) gives no usable
                        # answer-to-reset; vpcd can only model that as a garbled ATR.
                        self._send(sock, b"\x00" if self.mute else self.atr)
                    continue
                self.apdus.append(body)
                self._send(sock, b"" if self.mute else self.handler(body))
            except OSError:
                return
