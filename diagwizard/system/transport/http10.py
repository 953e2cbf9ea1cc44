"""One HTTP/1.0 GET on a socket that is already connected (the HiPKI Local Server).

Why not ``http.client``: importing it brings the email package and ssl, about 15 ms of the
card check's CPU (issue 15), for one small GET to 127.0.0.1. HTTP/1.0 keeps the answer
simple: the server closes the connection at its end and may not use chunked coding
(RFC 9112, sections 6.3 and 7.1; Node.js, which runs the real component, does both). The
body is what arrives up to Content-Length, or up to the close; a chunked answer is
decoded all the same. A malformed answer raises :class:`BadHttp`, named as
``http.client`` names the fault (BadStatusLine, LineTooLong, IncompleteRead...).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from typing import NamedTuple

MAX_LINE = 65536  # as http.client
MAX_HEADERS = 100  # as http.client
_STATUS = re.compile(rb"HTTP/\d\.\d +(\d{3})(?: [^\r\n]*)?(?:\r?\n)?")
_LENGTH = re.compile(r"[0-9]{1,15}")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,15}")
_URL_UNSAFE = re.compile(r"[^\x21-\x7e]")  # controls, spaces, non-ASCII


class BadHttp(Exception):
    """Not a valid HTTP answer; ``str()`` starts with the fault's name."""


class Response(NamedTuple):
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes


def get(
    sock: socket.socket, host: str, target: str, headers: Mapping[str, str], max_body: int
) -> Response:
    """GET ``target`` (path and query) from ``host`` (the Host header) over ``sock``.

    Reads at most ``max_body + 1`` bytes of body, so the caller can tell "too big".
    Socket errors and time-outs propagate as OSError/TimeoutError.
    """
    if _URL_UNSAFE.search(target) or _URL_UNSAFE.search(host):
        raise BadHttp(f"InvalidURL: {(host + target)[:80]!r} holds spaces or control characters")
    fields = [f"GET {target} HTTP/1.0", f"Host: {host}"]
    fields += [f"{name}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join([*fields, "Connection: close", "", ""])).encode("latin-1"))
    reader = _Reader(sock)
    status = _status(reader)
    while 100 <= status < 200:  # an interim answer (100 Continue): skipped, as http.client
        _headers(reader)
        status = _status(reader)
    found = _headers(reader)
    return Response(status, found, _body(reader, status, found, max_body))


def _status(reader: _Reader) -> int:
    line = reader.line()
    if not line:
        raise BadHttp("RemoteDisconnected: Remote end closed connection without response")
    m = _STATUS.fullmatch(line)
    if m is None:
        raise BadHttp(f"BadStatusLine: {line[:80]!r}")
    return int(m.group(1))


def _headers(reader: _Reader) -> dict[str, str]:
    found: dict[str, str] = {}
    name = ""  # the header a folded line continues ("" for none)
    for count in range(MAX_HEADERS + 1):
        line = reader.line()
        if line in (b"\r\n", b"\n", b""):
            return found
        if count == MAX_HEADERS:
            break
        text = line.decode("latin-1").rstrip("\r\n")
        if text[:1] in (" ", "\t"):  # an obsolete folded line: continues the last header
            if name:
                found[name] += " " + text.strip()
            continue
        key, colon, value = text.partition(":")
        name = key.strip().lower() if colon else ""  # no colon: ignored, as by http.client
        if name in found:
            name = ""  # a repeated header: the first wins, as with http.client's get()
        elif name:
            found[name] = value.strip()
    raise BadHttp(f"HTTPException: got more than {MAX_HEADERS} headers")


def _body(reader: _Reader, status: int, headers: dict[str, str], max_body: int) -> bytes:
    if status in (204, 304):
        return b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _chunked(reader, max_body)
    length = headers.get("content-length", "").strip()
    if not _LENGTH.fullmatch(length):  # none, garbage, a sign, a huge number: to the close
        return reader.upto(max_body + 1)
    wanted = int(length)
    body = reader.upto(min(wanted, max_body + 1))
    if len(body) < min(wanted, max_body + 1):
        raise BadHttp(f"IncompleteRead: {len(body)} bytes read, {wanted - len(body)} more expected")
    return body


def _chunked(reader: _Reader, max_body: int) -> bytes:
    parts: list[bytes] = []
    size_read = 0
    while size_read <= max_body:
        line = reader.line()
        size_text = line.split(b";", 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(size_text):
            raise BadHttp(f"IncompleteRead: a chunk size, got {line[:40]!r}")
        size = int(size_text, 16)
        if size == 0:
            break
        wanted = min(size, max_body + 1 - size_read)  # never buffer past the limit
        chunk = reader.upto(wanted)
        if len(chunk) < wanted:
            raise BadHttp(f"IncompleteRead: {size_read + len(chunk)} bytes read, more expected")
        parts.append(chunk)
        size_read += wanted
        if wanted < size:
            break  # over the limit: the caller refuses the body
        if reader.line() not in (b"\r\n", b"\n"):
            raise BadHttp(f"IncompleteRead: {size_read} bytes read, more expected")
    return b"".join(parts)[: max_body + 1]


class _Reader:
    """Buffered reads from the socket: lines for the head, then the body."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buf = bytearray()
        self._closed = False

    def _more(self) -> bool:
        if not self._closed:
            data = self._sock.recv(65536)
            self._buf += data
            self._closed = not data
        return not self._closed

    def line(self) -> bytes:
        """The next line with its line end; the rest at the close; b"" when none is left."""
        while (end := self._buf.find(b"\n", 0, MAX_LINE + 1)) < 0:
            if len(self._buf) > MAX_LINE:
                raise BadHttp("LineTooLong: header line")
            if not self._more():
                end = len(self._buf) - 1
                break
        return self._take(end + 1)

    def upto(self, size: int) -> bytes:
        """``size`` bytes, or fewer if the connection closes first."""
        while len(self._buf) < size and self._more():
            pass
        return self._take(size)

    def _take(self, size: int) -> bytes:
        data = bytes(self._buf[:size])
        del self._buf[:size]
        return data
