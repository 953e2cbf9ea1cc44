"""TLS to the login site: a handshake verified against the OS trust store, then an
unverified look at what the server sent (its certificate, whether it asks for the card's)."""

from __future__ import annotations

import os
import re
import socket
import ssl
import sys
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from diagwizard.core import safefile
from diagwizard.core.words import errors
from diagwizard.system.transport.tcp import NetError, Route


class TlsProblem(StrEnum):
    UNTRUSTED = "untrusted"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    HOSTNAME = "hostname"
    PROTOCOL = "protocol"
    SILENT = "silent"  # the site took the connection and sent nothing back in time
    STALLED = "stalled"  # the handshake began (the site answered) but did not finish in time
    RESET = "reset"  # the site (or something on the way) reset the connection
    CLOSED = "closed"  # the site closed the connection without a word


class CaFileError(OSError):
    """The configured extra CA bundle cannot be used: ``not_file`` (a folder, a named
    pipe, a device: reading one may never end) or ``unreadable`` (missing, no access, too
    large, not a certificate bundle), with the reason (an ``OSError``, so that callers
    catching one still hold)."""

    def __init__(self, path: str, kind: str, detail: str = "") -> None:
        super().__init__(f"[tls] ca_file {path}: {detail or kind}")
        self.path, self.kind, self.detail = path, kind, detail


class X509Verify(IntEnum):
    """OpenSSL's X509_V_ERR_* codes the probe tells apart (``verify_code``)."""

    UNABLE_TO_GET_ISSUER_CERT = 2
    CERT_NOT_YET_VALID = 9
    CERT_HAS_EXPIRED = 10
    SELF_SIGNED_CERT_IN_CHAIN = 19
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20
    UNABLE_TO_VERIFY_LEAF_SIGNATURE = 21
    HOSTNAME_MISMATCH = 62


class TlsContentType(IntEnum):
    HANDSHAKE = 22


class HandshakeType(IntEnum):
    CERTIFICATE_REQUEST = 13


_HASHED_NAME = re.compile(r"[0-9a-f]{8}\.[0-9]+")  # OpenSSL's <subject hash>.<n>
_NO_ANSWER = (TlsProblem.SILENT, TlsProblem.STALLED, TlsProblem.RESET, TlsProblem.CLOSED)

# Any other verify code means the chain does not reach a trusted root.
_VERIFY_PROBLEM: dict[int, TlsProblem] = {
    X509Verify.UNABLE_TO_GET_ISSUER_CERT: TlsProblem.UNTRUSTED,
    X509Verify.SELF_SIGNED_CERT_IN_CHAIN: TlsProblem.UNTRUSTED,
    X509Verify.UNABLE_TO_GET_ISSUER_CERT_LOCALLY: TlsProblem.UNTRUSTED,
    X509Verify.UNABLE_TO_VERIFY_LEAF_SIGNATURE: TlsProblem.UNTRUSTED,
    X509Verify.CERT_HAS_EXPIRED: TlsProblem.EXPIRED,
    X509Verify.CERT_NOT_YET_VALID: TlsProblem.NOT_YET_VALID,
    X509Verify.HOSTNAME_MISMATCH: TlsProblem.HOSTNAME,
}


@dataclass
class TlsHandshake:
    """What the handshakes with the login site showed."""

    ok: bool
    problem: TlsProblem | None = None
    detail: str = ""
    protocol: str = ""
    issuer: str = ""  # the server certificate's issuer (names the missing root when untrusted)
    subject: str = ""
    not_after: str = ""
    client_cert_requested: bool = False
    client_cert_cas: list[str] = field(default_factory=list)
    # The issuer at the top of the chain the site sent: the root a trust store must hold
    # (the chain's own top certificate, where the site sent a self-signed root).
    root: str = ""


def trust_context(ca_file: str = "") -> ssl.SSLContext:
    """The OS trust store (what the browser trusts), plus an optional extra CA bundle."""
    ctx = _hashed_folder_store() if sys.platform == "linux" else None
    if ctx is None:
        import truststore  # lazy: start-up time (only the TLS probes use it)

        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file:
        _load_ca_file(ctx, ca_file)
    return ctx


def _load_ca_file(ctx: ssl.SSLContext, path: str) -> None:
    """Trust the bundle at ``path`` too (read by :func:`read_ca_file`)."""
    data = read_ca_file(path)
    try:
        ctx.load_verify_locations(cadata=data)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError: no certificate in it
        raise CaFileError(path, "unreadable", str(exc)[:160]) from None


CA_FILE_LIMIT = 4 * safefile.MB  # far more than any CA bundle (the system's is ~200 KB)


def read_ca_file(path: str) -> str | bytes:
    """The configured extra CA bundle, read by us (bounded, a regular file only) rather
    than by OpenSSL, which would wait forever on a FIFO and read /dev/zero without end.
    PEM (any number of certificates) as text, else DER bytes."""
    try:
        data = safefile.read_bytes(path, CA_FILE_LIMIT)
    except safefile.Refused as exc:
        kind = "not_file" if exc.why is errors.FILE_NOT_REGULAR else "unreadable"
        raise CaFileError(path, kind, exc.render("en")) from None
    except OSError as exc:
        raise CaFileError(path, "unreadable", exc.strerror or str(exc)) from None
    return data.decode("latin-1") if b"-----BEGIN" in data else data


def _hashed_folder_store() -> ssl.SSLContext | None:
    """Linux: the trust store is OpenSSL's default file and folder, which truststore loads
    at each handshake; loading the file parses every CA in it, some 50 ms of CPU (issue
    15). Where every certificate in the file is also in the folder under its hashed name
    (update-ca-certificates and ``trust extract`` write both from one list), the folder
    alone trusts the same CAs, and OpenSSL reads only the issuers a handshake needs. The
    certificates themselves are compared, not counted; anything else (a bundle of one's
    own, a CA appended by hand, a dangling link) is left to truststore."""
    paths = ssl.get_default_verify_paths()
    if not paths.cafile or not paths.capath:
        return None
    try:
        in_file = _pem_blocks(_read(paths.cafile))
        in_folder: set[bytes] = set()
        for entry in os.scandir(paths.capath):
            if _HASHED_NAME.fullmatch(entry.name):
                try:
                    in_folder |= _pem_blocks(_read(entry.path))
                except OSError:  # a dangling link trusts nothing
                    continue
    except OSError:
        return None
    if not in_file or not in_file <= in_folder:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies the chain and the host name
    ctx.load_verify_locations(capath=paths.capath)
    return ctx


def _read(path: str) -> bytes:
    # More is no trust bundle: a cut block only mismatches. A regular file only.
    return safefile.read_head(path, 4 << 20)


def _pem_blocks(data: bytes) -> set[bytes]:
    """Each PEM block (from its BEGIN line to its END), white space left out; comments
    between blocks are ignored."""
    blocks = set()
    for part in data.split(b"-----END ")[:-1]:
        start = part.rfind(b"-----BEGIN ")
        if start >= 0:
            blocks.add(b"".join(part[start:].split()))
    return blocks


def _requires_client_cert(exc: ssl.SSLError) -> bool:
    text = str(exc)
    return "CERTIFICATE_REQUIRED" in text or "certificate required" in text


def tls_check(
    host: str,
    port: int,
    route: Route,
    context: ssl.SSLContext,
    sock: socket.socket | None = None,
) -> tuple[TlsHandshake, ssl.SSLSocket | None]:
    """Verify the server against the OS trust store (``context``, from
    :func:`trust_context`), then look at what it sent, unverified.

    ``sock`` is a connection already open to host:port (else one is made). On success the
    verified connection is returned open, for the caller to send its request over."""
    shake = TlsHandshake(ok=False)
    verified: ssl.SSLSocket | None = None
    seen = _listen(context)
    if sock is None:
        sock = route.connect(host, port)
    sock.settimeout(route.timeout)
    try:
        verified = context.wrap_socket(sock, server_hostname=host)
        shake.ok = True
        shake.protocol = verified.version() or ""
    except ssl.SSLCertVerificationError as exc:
        shake.problem = _VERIFY_PROBLEM.get(exc.verify_code, TlsProblem.UNTRUSTED)
        shake.detail = exc.verify_message or str(exc)
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError) as exc:
        shake.problem, shake.detail = TlsProblem.CLOSED, f"{exc.reason or exc}"
    except ssl.SSLError as exc:
        shake.detail = f"{exc.reason or exc}"
        if _requires_client_cert(exc):
            shake.ok, shake.client_cert_requested = True, True
        else:
            shake.problem = TlsProblem.PROTOCOL
    except TimeoutError:
        # Silent, or a handshake that began and stalled (the site's answer never came
        # whole: a middlebox, a dropped large packet): which one, from what was read.
        shake.problem = TlsProblem.STALLED if seen or seen is None else TlsProblem.SILENT
        shake.detail = f"{route.timeout:g}"
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError) as exc:
        shake.problem, shake.detail = TlsProblem.RESET, exc.strerror or str(exc)
    except OSError as exc:
        shake.problem, shake.detail = TlsProblem.PROTOCOL, str(exc)
    finally:
        if verified is None:
            sock.close()
    if shake.problem in _NO_ANSWER:
        return shake, None  # a second handshake would wait (or be dropped) the same way
    if verified is not None and seen is not None:
        # The verified handshake showed everything: no second connection needed.
        _read_certificate(verified.getpeercert(binary_form=True), shake)
        if HandshakeType.CERTIFICATE_REQUEST in seen:
            shake.client_cert_requested = True
    else:
        _peek(host, port, route, shake)
    return shake, verified


def _listen(context: ssl.SSLContext) -> list[int] | None:
    """Record the handshake message types ``context`` reads, or None where it cannot.

    The stdlib exposes handshake messages only through ``SSLContext._msg_callback`` (a
    debugging hook, present since Python 3.8). truststore's context hands the handshake to
    an inner stdlib context (``_ctx``), so the hook goes there. Each TLS probe makes its own
    context (:func:`trust_context`), so the list belongs to one connection.
    """
    inner = getattr(context, "_ctx", context)
    if not isinstance(inner, ssl.SSLContext) or not hasattr(inner, "_msg_callback"):
        return None
    seen: list[int] = []

    def on_message(
        conn: object,
        direction: str,
        version: object,
        content_type: object,
        msg_type: object,
        data: bytes,
    ) -> None:
        if direction == "read" and content_type == TlsContentType.HANDSHAKE:
            seen.append(int(msg_type))  # type: ignore[call-overload]

    inner._msg_callback = on_message
    return seen


def _read_certificate(der: bytes | None, shake: TlsHandshake) -> None:
    """Issuer, subject and expiry of the server certificate, for the facts and findings."""
    from cryptography import x509  # lazy: start-up time (issue 15)

    if not der:
        return
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return
    shake.issuer = cert.issuer.rfc4514_string()
    shake.subject = cert.subject.rfc4514_string()
    shake.not_after = cert.not_valid_after_utc.isoformat()


def _sent_chain(tls: ssl.SSLSocket) -> list[bytes]:
    """The certificates the site sent, leaf first, as DER (unverified). Python 3.13 has
    ``get_unverified_chain()``; before it, the same call lives on the inner object."""
    get = getattr(tls, "get_unverified_chain", None)
    if get is None:
        get = getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
    try:
        chain = list(get() or []) if get is not None else []
    except (OSError, ValueError):
        return []
    return [
        c if isinstance(c, bytes) else ssl.PEM_cert_to_DER_cert(c.public_bytes()) for c in chain
    ]


def _read_root(chain: list[bytes], shake: TlsHandshake) -> None:
    """The issuer the sent chain ends at: the root certificate the trust store lacks."""
    from cryptography import x509  # lazy: start-up time (issue 15)

    if not chain:
        shake.root = shake.issuer
        return
    try:
        top = x509.load_der_x509_certificate(chain[-1])
    except ValueError:
        shake.root = shake.issuer
        return
    shake.root = top.issuer.rfc4514_string()


def _peek(host: str, port: int, route: Route, shake: TlsHandshake) -> None:
    """An unverified handshake to read the server certificate and to see whether the
    server sends a CertificateRequest (it asks for the card's certificate): needed when
    the verified handshake failed, or could not be watched (see :func:`_listen`).
    Where the hook is missing, the request is not detected and ``client_cert_requested``
    stays as it was.
    """
    try:
        sock = route.connect(host, port)
    except NetError:
        return
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    seen = _listen(ctx) or []
    der: bytes | None = None
    chain: list[bytes] = []
    try:
        with ctx.wrap_socket(sock, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
            chain = _sent_chain(tls)
            if not shake.protocol:
                shake.protocol = tls.version() or ""
    except OSError:
        pass
    finally:
        sock.close()
    _read_certificate(der, shake)
    _read_root(chain, shake)
    if HandshakeType.CERTIFICATE_REQUEST in seen:
        shake.client_cert_requested = True
