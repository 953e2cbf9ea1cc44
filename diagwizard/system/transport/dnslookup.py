"""DNS lookups: the operating system's resolver; a configured server asked directly
(dnspython's message and query modules, a tenth of ``dns.resolver``'s import); dnspython's
resolver asking the system's configured nameservers."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from diagwizard.system.transport import hostname


class DnsKind(StrEnum):
    """How a lookup ended (stable words: they appear in the probe's facts)."""

    OK = "ok"
    NXDOMAIN = "nxdomain"
    SERVFAIL = "servfail"
    TIMEOUT = "timeout"
    NO_NAMESERVERS = "no_nameservers"
    NO_ANSWER = "no_answer"
    ERROR = "error"


@dataclass(frozen=True)
class DnsAnswer:
    kind: DnsKind
    addresses: tuple[str, ...] = ()
    detail: str = ""


# Looks a name up for a connection (configured DNS servers instead of the system's).
Resolver = Callable[[str], DnsAnswer]

_NO_SUCH_NAME = (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5))


def resolve_system(host: str) -> DnsAnswer:
    """The operating system's resolver (what the browser uses)."""
    try:
        infos = socket.getaddrinfo(hostname.for_resolver(host), 443, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno == socket.EAI_AGAIN:
            kind = DnsKind.TIMEOUT
        elif exc.errno in _NO_SUCH_NAME:
            kind = DnsKind.NXDOMAIN
        else:
            kind = DnsKind.ERROR
        return DnsAnswer(kind, detail=str(exc))
    return DnsAnswer(DnsKind.OK, tuple(sorted({str(i[4][0]) for i in infos})))


def resolve_dns(host: str, server: tuple[str, int] | None, timeout: float) -> DnsAnswer:
    """Ask one server, or (``server`` None) the system's configured nameservers."""
    if server is not None:
        return _ask_server(host, server, timeout)
    started = time.monotonic()
    import dns.exception  # lazy: start-up time (issue 15)
    import dns.resolver  # lazy: start-up time (issue 15)

    # The import (slow, and slower beside other probes) counts against the timeout.
    timeout = max(0.05, timeout - (time.monotonic() - started))
    try:
        resolver = dns.resolver.Resolver(configure=True)
        resolver.lifetime = timeout
        resolver.timeout = timeout
        answer = resolver.resolve(host, "A", raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return DnsAnswer(DnsKind.NXDOMAIN)
    except dns.resolver.NoNameservers as exc:
        return DnsAnswer(DnsKind.SERVFAIL, detail=str(exc)[:200])
    except dns.resolver.NoResolverConfiguration:
        return DnsAnswer(DnsKind.NO_NAMESERVERS)
    except (dns.resolver.LifetimeTimeout, dns.exception.Timeout):
        return DnsAnswer(DnsKind.TIMEOUT)
    except dns.exception.DNSException as exc:
        return DnsAnswer(DnsKind.ERROR, detail=f"{type(exc).__name__}: {exc}"[:200])
    if answer.rrset is None:
        return DnsAnswer(DnsKind.NO_ANSWER)
    return DnsAnswer(DnsKind.OK, tuple(sorted(r.address for r in answer.rrset)))


def _ask_server(host: str, server: tuple[str, int], timeout: float) -> DnsAnswer:
    """One A query to one server: UDP, again over TCP when the answer is truncated; the
    CNAME chain followed from ``host`` (records about other names are ignored)."""
    started = time.monotonic()
    import dns.exception  # lazy: start-up time (issue 15)
    import dns.message  # lazy: start-up time (issue 15)
    import dns.name  # lazy: start-up time (issue 15)
    import dns.query  # lazy: start-up time (issue 15)
    import dns.rcode  # lazy: start-up time (issue 15)
    import dns.rdatatype  # lazy: start-up time (issue 15)

    where = f"{server[0]}:{server[1]}"
    timeout = max(0.05, timeout - (time.monotonic() - started))
    try:
        query = dns.message.make_query(host, dns.rdatatype.A)
        reply, _ = dns.query.udp_with_fallback(query, server[0], timeout, server[1])
        rcode = reply.rcode()
        chain = None
        if rcode == dns.rcode.NOERROR and isinstance(reply, dns.message.QueryMessage):
            chain = reply.resolve_chaining()
    except dns.exception.Timeout:
        return DnsAnswer(DnsKind.TIMEOUT)
    except (dns.exception.DNSException, OSError, EOFError) as exc:
        if isinstance(exc, dns.name.NameTooLong | dns.name.LabelTooLong | dns.name.EmptyLabel):
            return DnsAnswer(DnsKind.ERROR, detail=f"{type(exc).__name__}: {exc}"[:200])
        # Malformed, unexpected or refused at the socket: the nameserver failed.
        return DnsAnswer(DnsKind.SERVFAIL, detail=f"{where}: {type(exc).__name__}: {exc}"[:200])
    if rcode == dns.rcode.NXDOMAIN:
        return DnsAnswer(DnsKind.NXDOMAIN)
    if chain is None:
        return DnsAnswer(DnsKind.SERVFAIL, detail=f"{where} answered {dns.rcode.to_text(rcode)}")
    if chain.answer is None:
        return DnsAnswer(DnsKind.NO_ANSWER)
    return DnsAnswer(DnsKind.OK, tuple(sorted(r.address for r in chain.answer)))
