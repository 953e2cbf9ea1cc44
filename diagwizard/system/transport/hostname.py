"""Host names handed to the OS resolver without the "idna" codec.

Given a ``str`` host, CPython's ``getaddrinfo`` encodes it with the "idna" codec, whose
first use imports ``encodings.idna``, ``stringprep`` and ``unicodedata``: about 12 ms of
a card check that only talks to 127.0.0.1 (issue 15). An ASCII name encodes to the same
bytes either way, so it is passed as bytes; only a non-ASCII name needs the codec.
"""

from __future__ import annotations

import socket
from typing import Any


def for_resolver(host: str) -> Any:
    """``host`` as ``getaddrinfo`` takes it without loading the idna codec when it can.

    Typed ``Any``: the stubs say ``str`` for ``create_connection`` although the address
    goes straight to ``getaddrinfo``, which takes bytes too.
    """
    return host.encode("ascii") if host.isascii() else host


def connect(host: str, port: int, timeout: float) -> socket.socket:
    """``socket.create_connection`` to ``host``, which may be a name or an address."""
    return socket.create_connection((for_resolver(host), port), timeout=timeout)
