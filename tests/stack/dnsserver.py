"""A small authoritative DNS server on 127.0.0.1, built on dnspython, for the DNS tests.

Zones: names in ``records`` answer with their A records; ``*.nx.test`` is NXDOMAIN;
``*.servfail.test`` is SERVFAIL. A ``BlackHole`` binds a UDP port and never answers.
"""

from __future__ import annotations

import socket
import threading
import time

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


class DnsServer:
    def __init__(self, records: dict[str, list[str]]) -> None:
        self.records = {k.rstrip(".").lower(): v for k, v in records.items()}
        self.queries: list[str] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        reply = dns.message.make_response(query)
        reply.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        self.queries.append(name)
        if name.endswith("servfail.test"):
            reply.set_rcode(dns.rcode.SERVFAIL)
        elif name in self.records:
            if question.rdtype == dns.rdatatype.A:
                reply.answer.append(
                    dns.rrset.from_text_list(
                        question.name, 60, dns.rdataclass.IN, dns.rdatatype.A, self.records[name]
                    )
                )
        else:
            reply.set_rcode(dns.rcode.NXDOMAIN)
        return reply

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                data, addr = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                reply = self._answer(dns.message.from_wire(data))
                self.sock.sendto(reply.to_wire(), addr)
            except Exception:
                continue

    def __enter__(self) -> DnsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


class BlackHole:
    """Ports on 127.0.0.1 that never answer.

    * ``port``: UDP, receives and never replies (a DNS server that black-holes).
    * ``tcp_port``: SYNs are dropped, so connecting times out. Loopback cannot drop
      packets by itself; a listener whose accept queue is full makes the kernel do it.
    * ``silent_port``: accepts connections and never says a word (a stuck proxy/server).
    """

    def __init__(self) -> None:
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.port = self.udp.getsockname()[1]
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(0)
        self.tcp_port = self.tcp.getsockname()[1]
        self._fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", self.tcp_port))
            self._fillers.append(filler)
        self.silent = socket.socket()
        self.silent.bind(("127.0.0.1", 0))
        self.silent.listen(64)
        self.silent_port = self.silent.getsockname()[1]

    def __enter__(self) -> BlackHole:
        time.sleep(0.1)  # let the fillers complete their handshakes and fill the queue
        return self

    def __exit__(self, *exc: object) -> None:
        for s in (self.udp, self.tcp, self.silent, *self._fillers):
            s.close()


def closed_port() -> int:
    """A TCP port on 127.0.0.1 with nothing listening (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
