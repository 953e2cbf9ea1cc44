"""Asking a configured DNS server directly, against a real UDP+TCP server on loopback:
CNAME chains, truncation falling back to TCP, refusals and malformed answers."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator

import dns.flags
import dns.message
import dns.rrset
import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from diagwizard.system.transport.dnslookup import DnsKind, resolve_dns

# (query, over TCP) -> the reply, or raw bytes for a malformed one
Answer = Callable[[dns.message.Message, bool], dns.message.Message | bytes]


@pytest.fixture
def server() -> Iterator[Callable[[Answer], tuple[str, int]]]:
    """A UDP and TCP listener on one 127.0.0.1 port answering with ``answer``."""
    socks: list[socket.socket] = []

    def start(answer: Answer) -> tuple[str, int]:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        tcp = socket.create_server(("127.0.0.1", port))
        socks.extend([udp, tcp])

        def serve_udp() -> None:
            while True:
                try:
                    data, peer = udp.recvfrom(512)
                except OSError:
                    return
                udp.sendto(_wire(answer(dns.message.from_wire(data), False)), peer)

        def serve_tcp() -> None:
            while True:
                try:
                    conn, _ = tcp.accept()
                except OSError:
                    return
                with conn:
                    size = struct.unpack("!H", conn.recv(2))[0]
                    wire = _wire(answer(dns.message.from_wire(conn.recv(size)), True))
                    conn.sendall(struct.pack("!H", len(wire)) + wire)

        for target in (serve_udp, serve_tcp):
            threading.Thread(target=target, daemon=True).start()
        return "127.0.0.1", port

    yield start
    for s in socks:
        s.close()


def _wire(reply: dns.message.Message | bytes) -> bytes:
    return reply if isinstance(reply, bytes) else reply.to_wire()


def _reply(query: dns.message.Message, *records: tuple[str, str, str]) -> dns.message.Message:
    reply = dns.message.make_response(query)
    for name, rtype, value in records:
        reply.answer.append(dns.rrset.from_text(name, 60, "IN", rtype, value))
    return reply


def test_a_cname_chain_is_followed_and_unrelated_records_are_ignored(server) -> None:
    addr = server(
        lambda q, tcp: _reply(
            q,
            ("www.Example.test.", "CNAME", "edge.cdn.test."),
            ("edge.cdn.test.", "A", "127.0.0.9"),
            ("other.test.", "A", "127.0.0.66"),
        )
    )
    answer = resolve_dns("WWW.example.test", addr, 2.0)
    assert (answer.kind, answer.addresses) == (DnsKind.OK, ("127.0.0.9",))


def test_a_truncated_udp_answer_is_asked_again_over_tcp(server) -> None:
    def answer(q: dns.message.Message, tcp: bool) -> dns.message.Message:
        if not tcp:
            reply = dns.message.make_response(q)
            reply.flags |= dns.flags.TC
            return reply
        return _reply(q, ("big.test.", "A", "127.0.0.7"), ("big.test.", "A", "127.0.0.8"))

    answer_ = resolve_dns("big.test", server(answer), 2.0)
    assert (answer_.kind, answer_.addresses) == (DnsKind.OK, ("127.0.0.7", "127.0.0.8"))


def test_an_answer_without_a_records_is_no_answer(server) -> None:
    addr = server(lambda q, tcp: _reply(q, ("mail.test.", "MX", "10 mx.test.")))
    assert resolve_dns("mail.test", addr, 2.0).kind == DnsKind.NO_ANSWER


def test_a_refusing_server_failed_as_dnspython_says(server) -> None:
    def refused(q: dns.message.Message, tcp: bool) -> dns.message.Message:
        reply = dns.message.make_response(q)
        reply.set_rcode(5)  # REFUSED
        return reply

    assert resolve_dns("x.test", server(refused), 2.0).kind == DnsKind.SERVFAIL


def test_a_name_dns_cannot_carry_is_an_error_not_a_crash() -> None:
    answer = resolve_dns("a" * 64 + ".test", ("127.0.0.1", 9), 1.0)
    assert answer.kind == DnsKind.ERROR and "label" in answer.detail


def test_a_compression_loop_is_a_failed_server_not_a_crash(server) -> None:
    def looping(q: dns.message.Message, tcp: bool) -> bytes:
        return struct.pack("!6H", q.id, 0x8180, 1, 0, 0, 0) + b"\xc0\x0c"

    answer = resolve_dns("x.test", server(looping), 2.0)
    assert answer.kind == DnsKind.SERVFAIL and "127.0.0.1" in answer.detail


@settings(max_examples=examples(60))
@given(tail=st.binary(max_size=300), cut=st.integers(min_value=0, max_value=120))
def test_any_answer_bytes_give_a_kind_never_a_crash(server, tail: bytes, cut: int) -> None:
    def garbled(q: dns.message.Message, tcp: bool) -> bytes:
        good = _reply(q, ("www.example.test.", "A", "127.0.0.1")).to_wire()
        return good[:cut] + tail

    answer = resolve_dns("www.example.test", server(garbled), 0.5)
    assert answer.kind in set(DnsKind)
    assert all(socket.inet_aton(a) for a in answer.addresses)
