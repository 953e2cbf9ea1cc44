"""The HiPKI Local Server's ``/addDomain?domain=`` endpoint (trust a login site).

Kept apart from the read-only queries: this is the one call that changes the
component's state, and only the consented fix makes it. It never touches the card.
It goes through the same client as ``/pkcs11info``: the configured host and port
only, no proxy, and a redirect is refused, never followed.
"""

from __future__ import annotations

import json
import urllib.parse

from diagwizard.system.transport.hipki import (
    HipkiBadAnswer,
    HipkiClient,
    HipkiRedirect,
    HipkiUnreachable,
)


class AddDomainFailed(Exception):
    pass


def _query(domain: str) -> str:
    return "/addDomain?" + urllib.parse.urlencode({"domain": domain})


def add_domain_url(base_url: str, domain: str) -> str:
    return base_url.rstrip("/") + _query(domain)


def add_domain(base_url: str, domain: str, timeout: float) -> None:
    """Ask the component to trust ``domain``; raise AddDomainFailed with the reason."""
    try:
        body = HipkiClient(base_url, timeout).get(_query(domain))
    except HipkiRedirect as exc:
        raise AddDomainFailed(f"HTTP {exc.status} redirect (not followed)") from None
    except HipkiBadAnswer as exc:
        raise AddDomainFailed(f"{exc.field}: expected {exc.expected}") from None
    except HipkiUnreachable as exc:
        raise AddDomainFailed(exc.reason) from None
    try:
        doc = json.loads(body) if body.strip() else {}
    except ValueError:
        return  # a non-JSON 200 answer is taken as done; the re-check decides
    code = doc.get("ret_code", 0) if isinstance(doc, dict) else 0
    if isinstance(code, int) and code != 0:
        raise AddDomainFailed(f"ret_code 0x{code & 0xFFFFFFFF:08X}")
