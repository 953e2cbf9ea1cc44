"""A login site that takes the connection and then says nothing, resets it, closes it, or
begins the TLS handshake and stalls; a root that is not GRCA; a ``[tls] ca_file`` that is
a named pipe. Each gets its own finding and KB entry (never "the GRCA root is missing"),
against real servers on 127.0.0.1, through ``diagwizard check --json``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers import check, codes
from stack.dnsserver import BlackHole, closed_port
from stack.netfaults import DroppingServer, StallingTlsServer
from stack.tlsserver import HttpsServer

from diagwizard.engine import knowledge


def main_kb(code: str) -> str:
    return knowledge.entries_for_code(code)[0]


def problem_of(doc: dict, code: str) -> dict:
    return next(p for p in doc["problems"] if p["code"] == code)


def test_a_site_that_accepts_and_stays_silent(net_config) -> None:
    with BlackHole() as hole:
        cfg = net_config(f"https://127.0.0.1:{hole.silent_port}/", network=1.0)
        started = time.monotonic()
        r, res = check(cfg, "net", "sys.clock")
        elapsed = time.monotonic() - started
    assert res["net.reach"]["status"] == "ok"  # the connection itself was taken
    tls = res["net.tls"]
    assert codes(tls) == ["net.E037"], tls
    assert "sent nothing back within 1 s" in tls["findings"][0]["message"]
    assert tls["findings"][0]["kb"][0] == "net-site-silent"
    problem = problem_of(r.json(), "net.E037")
    assert problem["kb"] == "net-site-silent" and "GRCA" not in problem["message"]
    assert elapsed < 1.0 + 4.0, elapsed  # one wait, not one per handshake attempt


@pytest.mark.parametrize(
    ("how", "browser"), [("reset", "ERR_CONNECTION_RESET"), ("close", "ERR_CONNECTION_CLOSED")]
)
def test_a_site_that_drops_the_connection(net_config, how: str, browser: str) -> None:
    with DroppingServer(how) as site:
        r, res = check(net_config(f"https://127.0.0.1:{site.port}/"), "net.tls")
    tls = res["net.tls"]
    assert codes(tls) == ["net.E039"], tls
    assert browser in tls["findings"][0]["message"]
    assert problem_of(r.json(), "net.E039")["kb"] == "net-site-reset"


def test_a_refusing_site_is_its_own_entry(net_config) -> None:
    r, res = check(net_config(f"https://127.0.0.1:{closed_port()}/"), "net.reach")
    assert codes(res["net.reach"]) == ["net.E020"]
    assert problem_of(r.json(), "net.E020")["kb"] == "net-site-reset"


def test_a_handshake_that_begins_and_stalls(pki, net_config) -> None:
    with StallingTlsServer(pki.server_cert("stall")) as site:
        cfg = net_config(f"https://localhost:{site.port}/", ca_file=str(pki.ca_file), network=1.0)
        r, res = check(cfg, "net.tls")
    tls = res["net.tls"]
    assert codes(tls) == ["net.E038"], tls
    assert "began but did not finish within 1 s" in tls["findings"][0]["message"]
    assert problem_of(r.json(), "net.E038")["kb"] == "tls-handshake-timeout"


def test_a_root_that_is_not_grca_is_not_called_grca(pki, net_config) -> None:
    """A private root (what TLS inspection puts in the chain), not in the trust store."""
    with HttpsServer(pki.server_cert("inspected")) as server:
        r, res = check(net_config(f"https://localhost:{server.port}/"), "net.tls")
    tls = res["net.tls"]
    assert codes(tls) == ["net.E036"]
    message = tls["findings"][0]["message"]
    assert "diagwizard Test Root CA" in message and "GRCA" not in message
    problem = problem_of(r.json(), "net.E036")
    assert problem["kb"] == "tls-site-certificate"
    assert "GRCA" not in problem["title"].replace("not a missing GRCA root", "")


def test_grca_is_named_where_the_chain_ends_at_grca(grca_like_pki, net_config) -> None:
    with HttpsServer(grca_like_pki.server_cert("gov")) as server:
        r, res = check(net_config(f"https://localhost:{server.port}/"), "net.tls")
    assert codes(res["net.tls"]) == ["net.E030"]
    assert problem_of(r.json(), "net.E030")["kb"] == "tls-grca-missing"
    assert "GRCA" in problem_of(r.json(), "net.E030")["message"]


def test_no_grca_entry_for_what_is_not_a_missing_root() -> None:
    for code in ("net.E031", "net.E032", "net.E033", "net.E035", "net.E036", "net.E037"):
        assert main_kb(code) != "tls-grca-missing", code


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_ca_file_that_is_not_a_file(pki, net_config, tmp_path: Path, kind: str) -> None:
    """A named pipe nobody writes to would block the read for ever: a clear finding that
    names the setting, at once, and never "GRCA missing"."""
    path = tmp_path / "bundle.pem"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    with HttpsServer(pki.server_cert("good")) as server:
        cfg = net_config(f"https://localhost:{server.port}/", ca_file=str(path), network=1.0)
        started = time.monotonic()
        r, res = check(cfg, "net.tls", "net.http")
        elapsed = time.monotonic() - started
    tls = res["net.tls"]
    assert codes(tls) == ["net.E046"]
    message = tls["findings"][0]["message"]
    assert "[tls] ca_file" in message and str(path) in message
    assert problem_of(r.json(), "net.E046")["kb"] == "tls-ca-file"
    assert res["net.http"]["status"] == "skip"
    assert elapsed < 10, elapsed  # not the probe's time limit: no read was started


def test_a_ca_file_that_holds_no_certificate(pki, net_config, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a certificate\n")
    with HttpsServer(pki.server_cert("good")) as server:
        _, res = check(
            net_config(f"https://localhost:{server.port}/", ca_file=str(path)), "net.tls"
        )
    assert codes(res["net.tls"]) == ["net.E047"]
    assert str(path) in res["net.tls"]["findings"][0]["message"]


def test_a_page_request_that_gets_no_answer(pki, net_config) -> None:
    """TLS works, then the login page never comes."""
    with HttpsServer(pki.server_cert("good"), stall=True) as server:
        cfg = net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file), network=1.0)
        r, res = check(cfg, "net.http")
    assert res["net.tls"]["status"] == "ok"
    assert codes(res["net.http"]) == ["net.E043"], res["net.http"]
    assert problem_of(r.json(), "net.E043")["kb"] == "net-site-silent"
