"""A test double of the HiPKI Local Server API on 127.0.0.1 (the real one is closed).

It answers ``GET /pkcs11info`` with whatever the test sets, and records every request,
so tests can prove that no diagnosis ever calls ``/sign``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def answer(
    ret_code: int = 0,
    last_error: int = 0,
    serial: str = "TP00000000000001",
    certs: list[str] | None = None,
) -> dict[str, Any]:
    token = {
        "serialNumber": serial,
        "certs": [
            {"certb64": c, "usage": "digitalSignature", "label": "SIGN"} for c in certs or []
        ],
    }
    return {
        "ret_code": ret_code,
        "last_error": last_error,
        "serverVersion": "1.3.4.103029",
        "libraryDescription": "HiCOS PKCS#11 Library",
        "libraryVersion": "3.2.2.00702",
        "slots": [{"slotDescription": "Virtual PCD 00 00", "token": token}]
        if ret_code == 0 or serial
        else [],
    }


class HipkiDouble:
    def __init__(self) -> None:
        self.body: bytes = json.dumps(answer()).encode()
        self.status = 200
        self.requests: list[tuple[str, str]] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                double.requests.append((self.command, self.path))
                if not self.path.startswith("/pkcs11info"):
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(double.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(double.body)))
                self.end_headers()
                self.wfile.write(double.body)

            do_GET = _serve
            do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def set(self, doc: dict[str, Any] | bytes | str, status: int = 200) -> None:
        if isinstance(doc, dict):
            doc = json.dumps(doc)
        self.body = doc.encode() if isinstance(doc, str) else doc
        self.status = status

    def __enter__(self) -> HipkiDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
