"""One GET of the login URL, redirects not followed (they may lead off the targets)."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass

from diagwizard.system.transport.tcp import NetError, NetErrorKind, Route


@dataclass
class HttpAnswer:
    status: int
    reason: str
    date_header: str
    received_at: float  # local clock (time.time()) when the answer arrived
    location: str = ""


def http_get(
    url: str, route: Route, context: ssl.SSLContext, sock: socket.socket | None = None
) -> HttpAnswer:
    """GET ``url`` once and keep the status line and the headers the probes read.

    ``sock`` is a connection already open to the URL's host (for https, a verified TLS one
    is used as is); without it one is made. ``context`` is the run's trust context."""
    timeout = route.timeout
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    if sock is None:
        sock = route.connect(host, port)
    try:
        sock.settimeout(timeout)
        if https and not isinstance(sock, ssl.SSLSocket):
            sock = context.wrap_socket(sock, server_hostname=host)
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        conn.sock = sock
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        conn.request("GET", path, headers={"User-Agent": "diagwizard", "Host": parts.netloc})
        resp = conn.getresponse()
        answer = HttpAnswer(
            resp.status,
            resp.reason,
            resp.getheader("Date", "") or "",
            time.time(),
            resp.getheader("Location", "") or "",
        )
        resp.read(65536)
        return answer
    except TimeoutError:
        raise NetError(NetErrorKind.NO_RESPONSE, f"{timeout:g}") from None
    except http.client.RemoteDisconnected:  # closed without a word: "empty response"
        raise NetError(NetErrorKind.DROPPED, "ERR_EMPTY_RESPONSE") from None
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        raise NetError(NetErrorKind.DROPPED, "ERR_CONNECTION_RESET") from None
    finally:
        sock.close()
