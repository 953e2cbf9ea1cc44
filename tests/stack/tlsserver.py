"""A real HTTPS server on 127.0.0.1 with a test CA, for the TLS and HTTP probes.

Variants: a good certificate for ``localhost``, an expired one, one for the wrong name,
one from an untrusted "GRCA-like" root, client certificates optional or required (403
without one, like IIS's 403.7), a Date header shifted to fake a skewed clock, and a page
request that is taken and never answered.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from stack.certs import key


def _name(cn: str, ou: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "TW")]
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


class Pki:
    """A root CA and server certificates, written to a folder as PEM files."""

    def __init__(self, folder: Path, root_cn: str = "diagwizard Test Root CA") -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.UTC)
        self.root_key = key(3)
        self.root = (
            x509.CertificateBuilder()
            .subject_name(_name(root_cn))
            .issuer_name(_name(root_cn))
            .public_key(self.root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1000))
            .not_valid_after(now + dt.timedelta(days=3000))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                critical=True,
            )
            .sign(self.root_key, hashes.SHA256())
        )
        self.ca_file = folder / "root.pem"
        self.ca_file.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))

    def server_cert(
        self, name: str, dns_name: str = "localhost", days: int = 300, expired: bool = False
    ) -> tuple[Path, Path]:
        now = dt.datetime.now(dt.UTC)
        k = key(4)
        start, end = (
            (now - dt.timedelta(days=400), now - dt.timedelta(days=10))
            if expired
            else (now - dt.timedelta(days=1), now + dt.timedelta(days=days))
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(dns_name))
            .issuer_name(self.root.subject)
            .public_key(k.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root_key.public_key()),
                critical=False,
            )
            .sign(self.root_key, hashes.SHA256())
        )
        cert_path, key_path = self.folder / f"{name}.pem", self.folder / f"{name}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            k.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path


class HttpsServer:
    def __init__(
        self,
        cert: tuple[Path, Path],
        client_ca: Path | None = None,
        client_cert: str = "none",  # none | optional | required
        clock_offset: float = 0.0,
        status: int = 200,
        stall: bool = False,  # take the request, never answer (until the server stops)
    ) -> None:
        self.requests: list[str] = []
        self.stopped = threading.Event()
        self.connections = 0  # TCP connections accepted (through a proxy: tunnels)
        self.clock_offset = clock_offset  # may change while serving (a clock set right)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(cert[0]), str(cert[1]))
        if client_cert != "none" and client_ca is not None:
            ctx.load_verify_locations(str(client_ca))
            ctx.verify_mode = ssl.CERT_REQUIRED if client_cert == "required" else ssl.CERT_OPTIONAL
        server = self

        class Handler(BaseHTTPRequestHandler):
            def date_time_string(self, timestamp: float | None = None) -> str:
                return email.utils.formatdate(
                    (timestamp or time.time()) + server.clock_offset, usegmt=True
                )

            def do_GET(self) -> None:
                server.requests.append(self.path)
                if stall:
                    server.stopped.wait(30)
                    return
                has_cert = bool(self.connection.getpeercert())  # type: ignore[attr-defined]
                code = 403 if client_cert == "optional" and not has_cert else status
                body = (
                    b"<html>ok</html>"
                    if code == 200
                    else b"<html>403.7 client certificate required</html>"
                )
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class Counting(ThreadingHTTPServer):
            def verify_request(self, request: object, client_address: object) -> bool:
                server.connections += 1
                return True

        self.httpd = Counting(("127.0.0.1", 0), Handler)
        self.httpd.socket = ctx.wrap_socket(
            self.httpd.socket, server_side=True, do_handshake_on_connect=False
        )
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HttpsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()
