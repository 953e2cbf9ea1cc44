"""One DNS question (A records) to one chosen server: UDP, then TCP when the answer is
truncated. Only the part of RFC 1035 a lookup needs, so that asking a configured server
does not import dnspython (about 100 ms of processor time, issue 15). dnspython still
asks the system's own nameservers (it knows where each OS keeps them).

Outcomes match what dnspython's resolver reports for one nameserver: NXDOMAIN; an
answer without A records; SERVFAIL for any other error code, a malformed answer or a
socket error (the server "failed"); TIMEOUT when nothing usable came in time.
"""

from __future__ import annotations

import os
import socket
import struct
import time
from dataclasses import dataclass

HEADER = struct.Struct("!HHHHHH")
RR_FIXED = struct.Struct("!HHIH")  # type, class, TTL, data length
TYPE_A, TYPE_CNAME, CLASS_IN = 1, 5, 1
RCODE_NOERROR, RCODE_NXDOMAIN = 0, 3
FLAG_QR, FLAG_TC, FLAG_RD = 0x8000, 0x0200, 0x0100
MAX_JUMPS = 64  # compression pointers followed in one name (a loop is malformed)
MAX_CNAMES = 16


class WireError(ValueError):
    """An answer that is not a well-formed DNS message for our question."""


@dataclass(frozen=True)
class Reply:
    rcode: int
    truncated: bool
    addresses: tuple[str, ...]  # A records of the name, following CNAMEs in the answer


def encode_name(name: str) -> bytes:
    """The wire form of ``name``; ValueError (UnicodeError) for a name DNS cannot carry."""
    out = bytearray()
    for label in name.rstrip(".").split("."):
        raw = label.encode("idna")
        if not 0 < len(raw) < 64:
            raise ValueError(f"bad label in {name!r}")
        out += bytes([len(raw)]) + raw
    out += b"\0"
    if len(out) > 255:
        raise ValueError(f"name too long: {name!r}")
    return bytes(out)


def make_query(name: str, ident: int) -> bytes:
    return (
        HEADER.pack(ident, FLAG_RD, 1, 0, 0, 0)
        + encode_name(name)
        + struct.pack("!HH", TYPE_A, CLASS_IN)
    )


def read_name(msg: bytes, offset: int) -> tuple[str, int]:
    """The (lower-case) name at ``offset`` and the offset after it, following pointers."""
    labels: list[str] = []
    end = -1
    for _ in range(MAX_JUMPS):
        if offset >= len(msg):
            raise WireError("name runs past the end")
        size = msg[offset]
        if size & 0xC0 == 0xC0:
            if offset + 1 >= len(msg):
                raise WireError("cut pointer")
            if end < 0:
                end = offset + 2
            offset = ((size & 0x3F) << 8) | msg[offset + 1]
            continue
        if size & 0xC0:
            raise WireError("unknown label type")
        if size == 0:
            return ".".join(labels).lower(), (end if end >= 0 else offset + 1)
        label = msg[offset + 1 : offset + 1 + size]
        if len(label) != size:
            raise WireError("label runs past the end")
        labels.append(label.decode("ascii", "replace"))
        offset += 1 + size
    raise WireError("compression loop")


def parse_reply(msg: bytes, ident: int, name: str) -> Reply:
    """Our question's answer (``name`` in wire spelling, as :func:`asked_name` gives it);
    WireError for anything malformed or not ours."""
    if len(msg) < HEADER.size:
        raise WireError("short message")
    got, flags, qdcount, ancount, _, _ = HEADER.unpack_from(msg)
    if got != ident or not flags & FLAG_QR:
        raise WireError("not an answer to our question")
    offset = HEADER.size
    for _ in range(qdcount):
        offset = read_name(msg, offset)[1] + 4
    a_records: list[tuple[str, str]] = []
    cnames: dict[str, str] = {}
    for _ in range(ancount):
        owner, offset = read_name(msg, offset)
        if offset + RR_FIXED.size > len(msg):
            raise WireError("record runs past the end")
        rtype, rclass, _, size = RR_FIXED.unpack_from(msg, offset)
        offset += RR_FIXED.size
        if offset + size > len(msg):
            raise WireError("record data runs past the end")
        if rclass == CLASS_IN and rtype == TYPE_A and size == 4:
            a_records.append((owner, socket.inet_ntoa(msg[offset : offset + 4])))
        elif rclass == CLASS_IN and rtype == TYPE_CNAME:
            cnames[owner] = read_name(msg, offset)[0]
        offset += size
    current = name
    chain = {current}
    for _ in range(MAX_CNAMES):
        if current not in cnames:
            break
        current = cnames[current]
        chain.add(current)
    addresses = tuple(sorted({addr for owner, addr in a_records if owner in chain}))
    return Reply(flags & 0xF, bool(flags & FLAG_TC), addresses)


def asked_name(query: bytes) -> str:
    return read_name(query, HEADER.size)[0]


def ask(name: str, server: tuple[str, int], timeout: float) -> Reply:
    """Ask ``server`` about ``name``; raises TimeoutError, OSError, ValueError (a name DNS
    cannot carry) or WireError (a malformed answer)."""
    deadline = time.monotonic() + timeout
    ident = int.from_bytes(os.urandom(2), "big")
    query = make_query(name, ident)
    wire_name = asked_name(query)
    family, _, _, _, address = socket.getaddrinfo(
        server[0], server[1], type=socket.SOCK_DGRAM, flags=socket.AI_NUMERICSERV
    )[0]
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.connect(address)  # the kernel drops datagrams from anyone else
        sock.settimeout(_left(deadline))
        sock.send(query)
        while True:
            sock.settimeout(_left(deadline))
            msg = sock.recv(65535)
            if msg[:2] == query[:2]:  # else a stray datagram: keep waiting, as dnspython does
                reply = parse_reply(msg, ident, wire_name)
                break
    if not reply.truncated:
        return reply
    with socket.create_connection((str(address[0]), int(address[1])), _left(deadline)) as conn:
        conn.settimeout(_left(deadline))
        conn.sendall(struct.pack("!H", len(query)) + query)
        size = struct.unpack("!H", _read(conn, 2, deadline))[0]
        return parse_reply(_read(conn, size, deadline), ident, wire_name)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("no DNS answer in time")
    return left


def _read(conn: socket.socket, size: int, deadline: float) -> bytes:
    data = b""
    while len(data) < size:
        conn.settimeout(_left(deadline))
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise WireError("connection closed mid-answer")
        data += chunk
    return data
