"""DNS lookups: the operating system's resolver, and dnspython asking one chosen server."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


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
        infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
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
    """dnspython, asking one server (or the system's configured nameservers)."""
    import dns.exception  # lazy: start-up time (issue 15)
    import dns.resolver  # lazy: start-up time (issue 15)

    try:
        if server is None:
            resolver = dns.resolver.Resolver(configure=True)
        else:
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = [server[0]]
            resolver.port = server[1]
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
