"""A test double of the HiPKI Local Server API on 127.0.0.1 (the real one is closed).

It answers ``GET /pkcs11info`` with whatever the test sets, and records every request,
so tests can prove that no diagnosis ever calls ``/sign``. Its answers are data files in
``hipki_answers/`` that follow DOMAIN.md ("Checked against real artifacts") field for
field: float versions, integer dates (0 after 2038), signed negative codes, the CA chain
first on the card, unknown extra fields.
"""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ANSWERS = Path(__file__).resolve().parent / "hipki_answers"


def real_answer(name: str = "healthy") -> dict[str, Any]:
    """One of the real-format answers in ``hipki_answers/<name>.json``."""
    doc: dict[str, Any] = json.loads((ANSWERS / f"{name}.json").read_text(encoding="utf-8"))
    return doc


def answer(
    ret_code: int = 0,
    last_error: int = 0,
    serial: str = "TP00000000000001",
    certs: list[str] | None = None,
) -> dict[str, Any]:
    """The real healthy answer with the code, card number and user certificates replaced
    (``certs`` are base64 DER, stored as the card's signature certificates)."""
    doc = real_answer("healthy")
    doc["ret_code"], doc["last_error"] = ret_code, last_error
    if ret_code != 0 and not serial:
        doc["slots"] = []
        return doc
    token = doc["slots"][0]["token"]
    token["serialNumber"] = serial
    template = copy.deepcopy(token["certs"][2])
    token["certs"] = [
        template | {"certb64": c, "usage": "digitalSignature", "label": "RSACert1"}
        for c in certs or []
    ]
    return doc


class HipkiDouble:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.body: bytes = json.dumps(answer()).encode()
        self.status = 200
        self.headers: dict[str, str] = {}
        self.raw: bytes | None = None
        self.requests: list[tuple[str, str]] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                double.requests.append((self.command, self.path))
                if double.raw is not None:  # a broken HTTP answer, written as is
                    self.wfile.write(double.raw)
                    self.close_connection = True
                    return
                if not self.path.startswith("/pkcs11info"):
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(double.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(double.body)))
                for name, value in double.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(double.body)

            do_GET = _serve
            do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def set(self, doc: dict[str, Any] | bytes | str, status: int = 200) -> None:
        if isinstance(doc, dict):
            doc = json.dumps(doc, ensure_ascii=False)
        self.body = doc.encode() if isinstance(doc, str) else doc
        self.status = status
        self.raw = None

    def redirect(self, location: str, status: int = 302) -> None:
        self.set(b"", status)
        self.headers = {"Location": location}

    def set_raw(self, data: bytes) -> None:
        """Answer with these bytes instead of an HTTP response (bad status line etc.)."""
        self.raw = data

    def __enter__(self) -> HipkiDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
