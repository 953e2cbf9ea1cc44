"""Network probes: proxy, DNS, reachability, TLS trust and the login page (guide FAQ 1's
"check your browser's DNS or proxy settings", and FAQ 2). Only configured targets are
ever contacted (plus a PAC file the user's own settings point to).

Each probe module owns its finding codes; they are re-exported here so that
``network.REFUSED`` keeps working."""

from __future__ import annotations

from checks.network.dns import (
    DNS_DIFFER,
    DNS_ERROR,
    DNS_TIMEOUT,
    NO_NAMESERVERS,
    NXDOMAIN,
    SERVFAIL,
    dns,
)
from checks.network.http import FORBIDDEN, HTTP_ERROR, HTTP_FAILED, http
from checks.network.proxy import (
    AUTO_DETECT,
    BAD_PROXY,
    PAC_FAILED,
    SOCKS_PROXY,
    USING_PROXY,
    proxy,
)
from checks.network.reach import (
    NO_ANSWER,
    PROXY_AUTH,
    PROXY_DENIED,
    PROXY_REFUSED,
    PROXY_SILENT,
    REFUSED,
    UNRESOLVED,
    reach,
)
from checks.network.tls import (
    CLIENT_CERT,
    HOSTNAME,
    PROTOCOL,
    SERVER_EXPIRED,
    SERVER_NOT_YET,
    UNTRUSTED,
    tls,
)

PROBES = [proxy, dns, reach, tls, http]

__all__ = [
    "AUTO_DETECT",
    "BAD_PROXY",
    "CLIENT_CERT",
    "DNS_DIFFER",
    "DNS_ERROR",
    "DNS_TIMEOUT",
    "FORBIDDEN",
    "HOSTNAME",
    "HTTP_ERROR",
    "HTTP_FAILED",
    "NO_ANSWER",
    "NO_NAMESERVERS",
    "NXDOMAIN",
    "PAC_FAILED",
    "PROBES",
    "PROTOCOL",
    "PROXY_AUTH",
    "PROXY_DENIED",
    "PROXY_REFUSED",
    "PROXY_SILENT",
    "REFUSED",
    "SERVER_EXPIRED",
    "SERVER_NOT_YET",
    "SERVFAIL",
    "SOCKS_PROXY",
    "UNRESOLVED",
    "UNTRUSTED",
    "USING_PROXY",
]
