"""The HiPKI client's GET (http.client) against Node.js's http module, which frames the
real component's answers, and against broken framing."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import codes
from stack.hipki_double import HipkiDouble, real_answer
from test_hipki_real import check

from diagwizard.system.transport.hipki import (
    MAX_BODY,
    HipkiBadAnswer,
    HipkiClient,
    HipkiRedirect,
    parse,
)

NODE_DOUBLE = Path(__file__).resolve().parent / "stack" / "hipki_node.js"
HEALTHY = json.dumps(real_answer("healthy"), ensure_ascii=False).encode()


@pytest.fixture(params=["end", "pieces", "chunked"])
def node_hipki(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Node.js answering the real healthy answer, framed in one of its ways."""
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is part of the test stack (scripts/test installs nodejs)"
    body = tmp_path / "healthy.json"
    body.write_bytes(HEALTHY)
    proc = subprocess.Popen(
        [node, str(NODE_DOUBLE), str(body), request.param], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{int(proc.stdout.readline())}"
    finally:
        proc.kill()
        proc.wait()


def test_node_framed_answers_read_as_the_body_node_sent(node_hipki: str) -> None:
    assert HipkiClient(node_hipki, 5.0).pkcs11info() == parse(HEALTHY)


def _raw(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode() + body


@pytest.mark.parametrize(
    "raw",
    [
        _raw("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n")
        + b"a;ext=1\r\n"
        + HEALTHY[:10]
        + b"\r\n"
        + f"{len(HEALTHY) - 10:x}\r\n".encode()
        + HEALTHY[10:]
        + b"\r\n0\r\nX-Trailer: 1\r\n\r\n",
        _raw("HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\n\n", HEALTHY),
        _raw("HTTP/1.0 200 OK\nX-Folded: one\n  two\n\n", HEALTHY),
        _raw(f"HTTP/1.1 200\nContent-Length: {len(HEALTHY)}\n\n", HEALTHY + b"ignored"),
        b"HTTP/1.1 200 OK\n\n" + HEALTHY,  # bare line ends
        b"HTTP/1.1 200 OK\r\nContent-Length: \xb9\r\n\r\n" + HEALTHY,  # a "digit" in latin-1
        _raw("HTTP/1.1 200 OK\nContent-Length: " + "9" * 5000 + "\n\n", HEALTHY),
        _raw(f"HTTP/1.1 200 OK\nContent-Length: {len(HEALTHY)}\nContent-Length: 4\n\n", HEALTHY),
    ],
    ids=[
        "chunked",
        "interim-100",
        "folded-header",
        "length-then-more",
        "bare-lf",
        "odd-length",
        "huge-length",
        "first-length-wins",
    ],
)
def test_valid_framings_give_the_answer(hipki: HipkiDouble, raw: bytes) -> None:
    hipki.set_raw(raw)
    assert HipkiClient(hipki.url, 5.0).pkcs11info() == parse(HEALTHY)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "RemoteDisconnected"),
        (_raw("HTTP/1.1 200 OK\nContent-Length: 50000\n\n", HEALTHY[:100]), "IncompleteRead"),
        (_raw("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nzz\r\n"), "IncompleteRead"),
        (_raw("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nff\r\nabc"), "IncompleteRead"),
        (_raw("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n-5\r\nabc"), "IncompleteRead"),
        (_raw("HTTP/2 200\n\n"), "UnknownProtocol"),
        (b"HTTP/1.1 200 OK" + b"!" * 70_000, "LineTooLong"),
    ],
    ids=[
        "closed",
        "short-body",
        "bad-chunk-size",
        "short-chunk",
        "negative-chunk",
        "http2",
        "endless-status",
    ],
)
def test_broken_framing_is_a_malformed_answer_with_its_reason(
    hipki: HipkiDouble, raw: bytes, reason: str
) -> None:
    hipki.set_raw(raw)
    with pytest.raises(HipkiBadAnswer) as info:
        HipkiClient(hipki.url, 5.0).pkcs11info()
    assert info.value.field == "HTTP" and reason in info.value.expected
    res = check(hipki)["middleware.hipki"]
    assert res.status == "fail" and codes(res) == ["middleware.E021"]


def test_a_raw_redirect_is_reported_with_its_location(hipki: HipkiDouble) -> None:
    hipki.set_raw(_raw("HTTP/1.1 307 Temporary Redirect\nLOCATION: http://127.0.0.9/x\n\n"))
    with pytest.raises(HipkiRedirect) as info:
        HipkiClient(hipki.url, 5.0).pkcs11info()
    assert (info.value.status, info.value.location) == (307, "http://127.0.0.9/x")


def test_an_answer_over_the_size_limit_is_refused(hipki: HipkiDouble) -> None:
    hipki.set(b"[" + b" " * MAX_BODY + b"]")
    with pytest.raises(HipkiBadAnswer) as info:
        HipkiClient(hipki.url, 5.0).pkcs11info()
    assert info.value.field == "(body)"


def test_a_chunk_over_the_size_limit_is_refused_without_reading_it_whole(
    hipki: HipkiDouble,
) -> None:
    """A chunk that claims 256 MiB is read only up to the limit, then refused."""
    head = _raw("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n10000000\n")
    hipki.set_raw(head + b" " * (MAX_BODY + 10))
    with pytest.raises(HipkiBadAnswer) as info:
        HipkiClient(hipki.url, 5.0).pkcs11info()
    assert info.value.field == "(body)"


def test_the_request_is_one_plain_get_for_pkcs11info() -> None:
    """What goes on the wire: one GET of /pkcs11info in origin form (no proxy form), to
    this host and port, JSON wanted, no body. Nothing else (no /sign)."""
    received: list[bytes] = []
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]

        def answer() -> None:
            conn, _ = server.accept()
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(4096)
                conn.sendall(_raw("HTTP/1.1 200 OK\nConnection: close\n\n", HEALTHY))
                conn.shutdown(socket.SHUT_WR)
                conn.settimeout(2)
                while chunk := conn.recv(4096):  # anything sent after the head
                    data += chunk
                received.append(data)

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        HipkiClient(f"http://127.0.0.1:{port}/", 5.0).pkcs11info()
        thread.join(5)
    (request,) = received
    head, _, body = request.partition(b"\r\n\r\n")
    first, *lines = head.decode("ascii").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (h.partition(":") for h in lines)}
    assert first.split(" ")[:2] == ["GET", "/pkcs11info?withcert=true"]
    assert first.split(" ")[2] in ("HTTP/1.0", "HTTP/1.1")
    assert headers["host"] == f"127.0.0.1:{port}"
    assert headers["accept"] == "application/json"
    assert "content-length" not in headers and body == b""
