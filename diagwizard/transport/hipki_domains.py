"""The HiPKI Local Server's ``/addDomain?domain=`` endpoint (trust a login site).

Kept apart from the read-only client in ``hipki.py``: this is the one call that changes
the component's state, and only the consented fix makes it. It never touches the card.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request


class AddDomainFailed(Exception):
    pass


def add_domain_url(base_url: str, domain: str) -> str:
    return f"{base_url.rstrip('/')}/addDomain?" + urllib.parse.urlencode({"domain": domain})


def add_domain(base_url: str, domain: str, timeout: float) -> None:
    """Ask the component to trust ``domain``; raise AddDomainFailed with the reason."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # local: no proxy
    try:
        with opener.open(add_domain_url(base_url, domain), timeout=timeout) as resp:
            body = resp.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise AddDomainFailed(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise AddDomainFailed(str(getattr(exc, "reason", exc))) from None
    try:
        doc = json.loads(body) if body.strip() else {}
    except ValueError:
        return  # a non-JSON 200 answer is taken as done; the re-check decides
    code = doc.get("ret_code", 0) if isinstance(doc, dict) else 0
    if isinstance(code, int) and code != 0:
        raise AddDomainFailed(f"ret_code 0x{code & 0xFFFFFFFF:08X}")
