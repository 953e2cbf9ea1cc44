"""Bounded network I/O for the network probes: DNS, TCP (direct or via an HTTP proxy),
TLS and HTTP. Every wait has a timeout, and ``bounded_map`` runs several waits at once so
that N black-holed targets cost one timeout, not N. Nothing here picks addresses: callers
pass only configured targets.
"""

from __future__ import annotations

import base64
import queue
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Outcome(Generic[R]):
    value: R | None = None
    error: BaseException | None = None
    timed_out: bool = False


def bounded_map(func: Callable[[T], R], items: Iterable[T], timeout: float) -> dict[T, Outcome[R]]:
    """Run ``func`` on every item at once; whatever is not done after ``timeout`` is
    reported as timed out (its daemon thread is abandoned, never joined)."""
    todo = list(dict.fromkeys(items))
    results: dict[T, Outcome[R]] = {}
    done: queue.Queue[tuple[T, Outcome[R]]] = queue.Queue()

    def work(item: T) -> None:
        try:
            done.put((item, Outcome(value=func(item))))
        except BaseException as exc:
            done.put((item, Outcome(error=exc)))

    for item in todo:
        threading.Thread(target=work, args=(item,), daemon=True, name="netio").start()
    deadline = time.monotonic() + timeout
    while len(results) < len(todo):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            item, outcome = done.get(timeout=remaining)
        except queue.Empty:
            break
        results[item] = outcome
    for item in todo:
        results.setdefault(item, Outcome(timed_out=True))
    return {item: results[item] for item in todo}


# -- DNS -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DnsAnswer:
    kind: str  # ok | nxdomain | servfail | timeout | no_nameservers | no_answer | error
    addresses: tuple[str, ...] = ()
    detail: str = ""


def resolve_system(host: str) -> DnsAnswer:
    """The operating system's resolver (what the browser uses)."""
    try:
        infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        kind = (
            "nxdomain"
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5))
            else "error"
        )
        if exc.errno == socket.EAI_AGAIN:
            kind = "timeout"
        return DnsAnswer(kind, detail=str(exc))
    return DnsAnswer("ok", tuple(sorted({str(i[4][0]) for i in infos})))


def resolve_dns(host: str, server: tuple[str, int] | None, timeout: float) -> DnsAnswer:
    """dnspython, asking one server (or the system's configured nameservers)."""
    import dns.exception
    import dns.resolver

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
        return DnsAnswer("nxdomain")
    except dns.resolver.NoNameservers as exc:
        return DnsAnswer("servfail", detail=str(exc)[:200])
    except dns.resolver.NoResolverConfiguration:
        return DnsAnswer("no_nameservers")
    except (dns.resolver.LifetimeTimeout, dns.exception.Timeout):
        return DnsAnswer("timeout")
    except dns.exception.DNSException as exc:
        return DnsAnswer("error", detail=f"{type(exc).__name__}: {exc}"[:200])
    if answer.rrset is None:
        return DnsAnswer("no_answer")
    return DnsAnswer("ok", tuple(sorted(r.address for r in answer.rrset)))


# -- TCP, directly or through an HTTP proxy ---------------------------------------------------


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


class NetError(Exception):
    """A network failure with a stable kind for the probes to map to findings."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind  # refused | timeout | dns | unreachable | proxy_auth | proxy_refused | proxy_timeout | proxy_status | proxy_bad
        self.detail = detail


Resolver = Callable[[str], DnsAnswer]


def _tcp(
    host: str, port: int, timeout: float, prefix: str = "", resolve: Resolver | None = None
) -> socket.socket:
    address = host
    if resolve is not None and not prefix:
        answer = resolve(host)
        if answer.kind != "ok" or not answer.addresses:
            raise NetError("dns", f"{host}: {answer.kind}")
        address = answer.addresses[0]
    try:
        return socket.create_connection((address, port), timeout=timeout)
    except TimeoutError:
        raise NetError(prefix + "timeout", f"{host}:{port}") from None
    except ConnectionRefusedError:
        raise NetError(prefix + "refused", f"{host}:{port}") from None
    except socket.gaierror as exc:
        raise NetError("dns" if not prefix else "proxy_dns", f"{host}: {exc}") from None
    except OSError as exc:
        raise NetError(prefix + "unreachable", f"{host}:{port}: {exc.strerror or exc}") from None


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
    sock = _tcp(proxy.host, proxy.port, timeout, prefix="proxy_")
    try:
        request = f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        if proxy.username:
            token = base64.b64encode(f"{proxy.username}:{proxy.password}".encode()).decode()
            request += f"Proxy-Authorization: Basic {token}\r\n"
        sock.sendall((request + "\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    except TimeoutError:
        sock.close()
        raise NetError("proxy_timeout", str(proxy)) from None
    except OSError as exc:
        sock.close()
        raise NetError("proxy_refused", f"{proxy}: {exc}") from None
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1", "replace")
    parts = status_line.split()
    if len(parts) < 2 or not parts[1].isdigit():
        sock.close()
        raise NetError("proxy_bad", status_line[:80] or "no answer")
    code = int(parts[1])
    if code == 200:
        return sock
    sock.close()
    if code == 407:
        raise NetError("proxy_auth", status_line)
    raise NetError("proxy_status", status_line)


# -- TLS ---------------------------------------------------------------------------------------


@dataclass
class TlsReport:
    ok: bool
    kind: str = ""  # "" | untrusted | expired | hostname | protocol
    detail: str = ""
    protocol: str = ""
    issuer: str = ""  # the server certificate's issuer (names the missing root when untrusted)
    subject: str = ""
    not_after: str = ""
    client_cert_requested: bool = False
    client_cert_cas: list[str] = field(default_factory=list)


def trust_context(ca_file: str = "") -> ssl.SSLContext:
    """The OS trust store (what the browser trusts), plus an optional extra CA bundle."""
    import truststore

    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file:
        ctx.load_verify_locations(ca_file)
    return ctx


_VERIFY_KINDS = {
    10: "expired",
    9: "not_yet_valid",
    62: "hostname",
    2: "untrusted",
    19: "untrusted",
    20: "untrusted",
    21: "untrusted",
}


def tls_check(
    host: str,
    port: int,
    timeout: float,
    proxy: ProxySpec | None,
    ca_file: str = "",
    resolve: Resolver | None = None,
) -> TlsReport:
    """Verify the server against the OS trust store, then look at what it sent, unverified."""
    report = TlsReport(ok=False)
    sock = connect(host, port, timeout, proxy, resolve)
    try:
        with trust_context(ca_file).wrap_socket(sock, server_hostname=host) as tls:
            report.ok = True
            report.protocol = tls.version() or ""
    except ssl.SSLCertVerificationError as exc:
        report.kind = _VERIFY_KINDS.get(exc.verify_code, "untrusted")
        report.detail = exc.verify_message or str(exc)
    except ssl.SSLError as exc:
        report.kind = (
            "protocol"
            if "CERTIFICATE_REQUIRED" not in str(exc) and "certificate required" not in str(exc)
            else ""
        )
        report.detail = f"{exc.reason or exc}"
        if not report.kind:
            report.ok, report.client_cert_requested = True, True
    except TimeoutError:
        raise NetError("timeout", f"TLS handshake with {host}:{port}") from None
    except OSError as exc:
        report.kind, report.detail = "protocol", str(exc)
    finally:
        sock.close()
    _peek(host, port, timeout, proxy, report, resolve)
    return report


def _peek(
    host: str,
    port: int,
    timeout: float,
    proxy: ProxySpec | None,
    report: TlsReport,
    resolve: Resolver | None,
) -> None:
    """An unverified handshake to read the server certificate and to see whether the
    server sends a CertificateRequest (it asks for the card's certificate).

    The stdlib exposes handshake messages only through ``SSLContext._msg_callback`` (a
    debugging hook, present since Python 3.8). Where it is missing, the request is not
    detected and ``client_cert_requested`` stays as it was.
    """
    from cryptography import x509

    try:
        sock = connect(host, port, timeout, proxy, resolve)
    except NetError:
        return
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    seen: list[int] = []

    def on_message(
        conn: object,
        direction: str,
        version: object,
        content_type: object,
        msg_type: object,
        data: bytes,
    ) -> None:
        if direction == "read" and content_type == 22:  # ContentType.handshake
            seen.append(int(msg_type))  # type: ignore[call-overload]

    if hasattr(ctx, "_msg_callback"):
        ctx._msg_callback = on_message
    try:
        with ctx.wrap_socket(sock, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
            if not report.protocol:
                report.protocol = tls.version() or ""
        if der:
            cert = x509.load_der_x509_certificate(der)
            report.issuer = cert.issuer.rfc4514_string()
            report.subject = cert.subject.rfc4514_string()
            report.not_after = cert.not_valid_after_utc.isoformat()
    except (OSError, ValueError):
        pass
    finally:
        sock.close()
    if 13 in seen:  # HandshakeType.certificate_request
        report.client_cert_requested = True


# -- HTTP -------------------------------------------------------------------------------------


@dataclass
class HttpReport:
    status: int
    reason: str
    date_header: str
    received_at: float  # local clock (time.time()) when the answer arrived
    location: str = ""


def http_get(
    url: str,
    timeout: float,
    proxy: ProxySpec | None,
    ca_file: str = "",
    resolve: Resolver | None = None,
) -> HttpReport:
    """One GET of the login URL, redirects not followed (they may lead off the targets)."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    sock = connect(host, port, timeout, proxy, resolve)
    try:
        if https:
            sock = trust_context(ca_file).wrap_socket(sock, server_hostname=host)
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        conn.sock = sock
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        conn.request("GET", path, headers={"User-Agent": "diagwizard", "Host": parts.netloc})
        resp = conn.getresponse()
        report = HttpReport(
            resp.status,
            resp.reason,
            resp.getheader("Date", "") or "",
            time.time(),
            resp.getheader("Location", "") or "",
        )
        resp.read(65536)
        return report
    except TimeoutError:
        raise NetError("timeout", url) from None
    finally:
        sock.close()


def describe(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    return str(exc)[:200]


__all__ = [
    "Any",
    "DnsAnswer",
    "NetError",
    "Outcome",
    "ProxySpec",
    "bounded_map",
    "connect",
    "http_get",
    "tls_check",
]
