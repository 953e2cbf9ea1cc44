"""Property-based attacks (issue 14): config files, case codes, HiPKI answers and
certificate fields. Each gives a clear error or a result: never a traceback, never a
leak of a personal value, never a raw control character in what is shown."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from helpers import examples
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stack.certs import key

from diagwizard.core import config
from diagwizard.core.errors import UserError
from diagwizard.core.redact import Redactor
from diagwizard.core.sanitize import clean, markdown_inline
from diagwizard.diagnosis import casecode
from diagwizard.system.formats.certinfo import analyse
from diagwizard.system.transport import hipki

RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same examples on every run (the "ci" profile, tests/conftest.py); to explore, run
# with DIAGWIZARD_FUZZ_EXPLORE=<examples> for fresh random draws.
FUZZ = settings(max_examples=examples(60))

# -- config files ----------------------------------------------------------------------

KNOWN = {
    "timeouts": ["overall", "network", "probes"],
    "hipki": ["base_url"],
    "targets": ["login_url", "hosts"],
    "proxy": ["url", "pac_url"],
    "dns": ["servers", "system_resolver"],
    "clock": ["max_skew_seconds"],
}


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(v) if isinstance(v, str) else str(v)


values = st.recursive(
    st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)
sections = st.dictionaries(
    st.sampled_from(sorted(KNOWN)) | st.text("abc_", min_size=1, max_size=4),
    st.dictionaries(
        st.sampled_from(sorted({k for ks in KNOWN.values() for k in ks})) | st.just("x"),
        values,
        max_size=3,
    ),
    max_size=3,
)


def _load(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    try:
        cfg = config.load(str(path))
    except UserError as exc:
        message = exc.render("en")
        assert "\n" not in message and not RAW_CONTROL.search(message), message
        return
    for seconds in (cfg.timeouts.overall, cfg.timeouts.network, *cfg.timeouts.probes.values()):
        assert math.isfinite(seconds) and seconds > 0


@FUZZ
@given(doc=sections)
def test_config_files_load_or_fail_clearly(tmp_path_factory, doc) -> None:
    text = "".join(
        f"[{name}]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in keys.items())
        for name, keys in doc.items()
    )
    _load(tmp_path_factory.mktemp("cfg"), text.encode())


@FUZZ
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_as_config_fail_clearly(tmp_path_factory, data: bytes) -> None:
    _load(tmp_path_factory.mktemp("cfg"), data)


# -- case codes ------------------------------------------------------------------------


@FUZZ
@given(code=st.text(max_size=40) | st.from_regex(r"DW2-[0-9A-Z-]{1,30}", fullmatch=True))
def test_any_case_code_decodes_or_is_refused(code: str) -> None:
    try:
        casecode.decode(code)
    except UserError as exc:
        assert "\n" not in exc.render("en")


# -- HiPKI answers ---------------------------------------------------------------------


class _Body:
    data = b""


@pytest.fixture(scope="module")
def hipki_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(_Body.data)))
            self.end_headers()
            self.wfile.write(_Body.data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
answers = st.fixed_dictionaries(
    {},
    optional={
        "ret_code": st.integers() | st.text(max_size=12) | json_values,
        "last_error": st.integers() | st.text(max_size=12),
        "serverVersion": st.text(max_size=20),
        "slots": json_values | st.lists(st.fixed_dictionaries({"token": json_values})),
    },
)


@FUZZ
@given(body=answers.map(lambda d: json.dumps(d).encode()) | st.binary(max_size=100))
def test_any_hipki_answer_is_a_result_or_a_named_error(hipki_server: str, body: bytes) -> None:
    _Body.data = body
    client = hipki.HipkiClient(hipki_server, 5.0)
    try:
        info = client.pkcs11info()
        info.ret  # noqa: B018 (reading the codes is part of decoding)
        info.minor  # noqa: B018
    except (hipki.HipkiBadAnswer, hipki.HipkiUnreachable) as exc:
        assert str(exc)  # named, not empty


# -- certificate fields ----------------------------------------------------------------

name_chars = st.characters(
    whitelist_categories=("Lo", "Lu", "Ll", "Nd", "Cc", "Cf"), blacklist_characters="\x00"
)


@FUZZ
@given(cn=st.text(name_chars, min_size=2, max_size=20), issuer=st.text(name_chars, min_size=1))
@example(cn="GUEST", issuer="0")  # once leaked: account words were exempt from redaction
def test_certificate_fields_never_leak_or_drive_the_terminal(test_ca, cn: str, issuer: str) -> None:
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn, _validate=False)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer, _validate=False)]))
        .public_key(key(2).public_key())
        .serial_number(12345)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=10))
        .sign(test_ca.key, hashes.SHA256())
    )
    der_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    info = analyse(der_b64)
    red = Redactor()
    red.learn_value(info.subject_cn)
    shown = f"《{info.subject_cn}》 {info.issuer}"
    for out in (clean(red.text(shown)), markdown_inline(red.text(shown))):
        assert info.subject_cn not in out.replace("[personal-1]", "\ufffd")
        assert not RAW_CONTROL.search(out)
