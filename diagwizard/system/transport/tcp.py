"""TCP connections to configured targets, directly or tunnelled through an HTTP proxy
(CONNECT). Every wait has a timeout; nothing here picks addresses."""

from __future__ import annotations

import base64
import socket
import urllib.parse
from dataclasses import dataclass
from enum import StrEnum

from diagwizard.system.transport import hostname
from diagwizard.system.transport.dnslookup import DnsKind, Resolver


class NetErrorKind(StrEnum):
    """What went wrong, as the probes map it to findings."""

    REFUSED = "refused"
    TIMEOUT = "timeout"
    DNS = "dns"
    UNREACHABLE = "unreachable"
    PROXY_AUTH = "proxy_auth"
    PROXY_REFUSED = "proxy_refused"
    PROXY_TIMEOUT = "proxy_timeout"
    PROXY_UNREACHABLE = "proxy_unreachable"
    PROXY_DNS = "proxy_dns"
    PROXY_STATUS = "proxy_status"
    PROXY_BAD = "proxy_bad"
    NO_RESPONSE = "no_response"  # connected, but the request got no answer in time
    DROPPED = "dropped"  # connected, then reset or closed before an answer


# The same failure, seen on the way to the proxy rather than to the target.
_VIA_PROXY = {
    NetErrorKind.REFUSED: NetErrorKind.PROXY_REFUSED,
    NetErrorKind.TIMEOUT: NetErrorKind.PROXY_TIMEOUT,
    NetErrorKind.UNREACHABLE: NetErrorKind.PROXY_UNREACHABLE,
    NetErrorKind.DNS: NetErrorKind.PROXY_DNS,
}


class NetError(Exception):
    """A network failure with a stable kind for the probes to map to findings."""

    def __init__(self, kind: NetErrorKind, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else str(kind))
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class ProxySpec:
    host: str
    port: int
    username: str = ""
    password: str = ""

    @classmethod
    def parse(cls, text: str) -> ProxySpec:
        url = urllib.parse.urlsplit(text if "://" in text else f"http://{text}")
        if not url.hostname:
            raise ValueError(f"not a proxy address: {text!r}")
        return cls(
            url.hostname,
            url.port or 8080,
            urllib.parse.unquote(url.username or ""),
            urllib.parse.unquote(url.password or ""),
        )

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Route:
    """How a target is reached: the bound on each wait, the proxy, and the resolver
    (configured DNS servers) used instead of the system's."""

    timeout: float
    proxy: ProxySpec | None = None
    resolve: Resolver | None = None

    def connect(self, host: str, port: int) -> socket.socket:
        return connect(host, port, self.timeout, self.proxy, self.resolve)


def _tcp(
    host: str, port: int, timeout: float, to_proxy: bool = False, resolve: Resolver | None = None
) -> socket.socket:
    def kind(k: NetErrorKind) -> NetErrorKind:
        return _VIA_PROXY[k] if to_proxy else k

    address = host
    if resolve is not None and not to_proxy:
        answer = resolve(host)
        if answer.kind != DnsKind.OK or not answer.addresses:
            raise NetError(NetErrorKind.DNS, f"{host}: {answer.kind}")
        address = answer.addresses[0]
    try:
        return hostname.connect(address, port, timeout)
    except TimeoutError:
        raise NetError(kind(NetErrorKind.TIMEOUT), f"{host}:{port}") from None
    except ConnectionRefusedError:
        raise NetError(kind(NetErrorKind.REFUSED), f"{host}:{port}") from None
    except socket.gaierror as exc:
        raise NetError(kind(NetErrorKind.DNS), f"{host}: {exc}") from None
    except OSError as exc:
        detail = f"{host}:{port}: {exc.strerror or exc}"
        raise NetError(kind(NetErrorKind.UNREACHABLE), detail) from None


def _read_head(sock: socket.socket) -> bytes:
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return head


def connect(
    host: str,
    port: int,
    timeout: float,
    proxy: ProxySpec | None = None,
    resolve: Resolver | None = None,
) -> socket.socket:
    """A connected socket to host:port, tunnelled with HTTP CONNECT when a proxy is given.
    ``resolve`` replaces the system resolver for the target (configured DNS servers)."""
    if proxy is None:
        return _tcp(host, port, timeout, resolve=resolve)
    sock = _tcp(proxy.host, proxy.port, timeout, to_proxy=True)
    try:
        request = f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        if proxy.username:
            token = base64.b64encode(f"{proxy.username}:{proxy.password}".encode()).decode()
            request += f"Proxy-Authorization: Basic {token}\r\n"
        sock.sendall((request + "\r\n").encode())
        head = _read_head(sock)
    except TimeoutError:
        sock.close()
        raise NetError(NetErrorKind.PROXY_TIMEOUT, str(proxy)) from None
    except OSError as exc:
        sock.close()
        raise NetError(NetErrorKind.PROXY_REFUSED, f"{proxy}: {exc}") from None
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1", "replace")
    parts = status_line.split()
    if len(parts) < 2 or not parts[1].isdigit():
        sock.close()
        raise NetError(NetErrorKind.PROXY_BAD, status_line[:80] or "no answer")
    code = int(parts[1])
    if code == 200:
        return sock
    sock.close()
    if code == 407:
        raise NetError(NetErrorKind.PROXY_AUTH, status_line)
    raise NetError(NetErrorKind.PROXY_STATUS, status_line)
