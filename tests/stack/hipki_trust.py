"""A small, separate double of the HiPKI Local Server's site list: ``/pkcs11info``
answers 0x76000031 (untrusted site) until ``/addDomain?domain=`` named the trusted
domain. Its answers are the real-format files of ``hipki_answers/`` (untrusted_site,
then healthy), the same ones ``hipki_double`` serves."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stack.hipki_double import real_answer


class HipkiTrustDouble:
    def __init__(self, needs: str) -> None:
        self.needs = needs  # the domain that must be added
        self.domains: list[str] = []
        self.requests: list[tuple[str, str]] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                double.requests.append((self.command, self.path))
                url = urllib.parse.urlsplit(self.path)
                if url.path == "/addDomain":
                    domain = urllib.parse.parse_qs(url.query).get("domain", [""])[0]
                    double.domains.append(domain)
                    self._json({"ret_code": 0, "last_error": 0})
                elif url.path == "/pkcs11info":
                    trusted = double.needs in double.domains
                    # The real-format answers (DOMAIN.md), not a shape of our own.
                    self._json(real_answer("healthy" if trusted else "untrusted_site"))
                else:
                    self.send_response(404)
                    self.end_headers()

            do_POST = do_GET

            def _json(self, doc: dict[str, object]) -> None:
                body = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> HipkiTrustDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
