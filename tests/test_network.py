"""Network, TLS and clock probes against real servers on 127.0.0.1: a dnspython DNS server,
tinyproxy, and an HTTPS server with its own test CA. Each fault maps to its finding and KB
entry in `diagwizard check --json`."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import check as check_json
from helpers import codes
from stack.dnsserver import BlackHole, DnsServer, closed_port
from stack.tinyproxy import Tinyproxy
from stack.tlsserver import HttpsServer

from diagwizard.system.transport.tls import trust_context

NET = ("net", "sys.clock")  # what a network test checks unless it names probes


def check(cfg: Path, *only: str, **kw: Any) -> Any:
    """The shared `check --json` run, limited to the network probes unless told otherwise."""
    return check_json(cfg, *(only or NET), **kw)


def kb_of(res: dict, code: str) -> list[str]:
    return next(f["kb"] for f in res["findings"] if f["code"] == code)


# -- DNS ------------------------------------------------------------------------------------


def test_dns_nxdomain_servfail_and_ok(net_config) -> None:
    with DnsServer({"ok.test": ["127.0.0.1"]}) as dns:
        cfg = net_config("https://ok.test/", ["missing.nx.test", "x.servfail.test"], dns=[dns.port])
        _, res = check(cfg, "net.dns")
    found = codes(res["net.dns"])
    assert res["net.dns"]["status"] == "fail"
    assert found == ["net.E010", "net.E011"]
    assert "dns-failure" in kb_of(res["net.dns"], "net.E010")
    answers = {a["host"]: a for a in res["net.dns"]["facts"]["answers"]}
    assert answers["ok.test"]["addresses"] == ["127.0.0.1"]


def test_dns_headline_names_each_site_once_in_plain_words(net_config) -> None:
    # Two DNS servers that agree: one line for the site, no resolver name or library in it.
    with DnsServer({"ok.test": ["127.0.0.1"]}) as a, DnsServer({"ok.test": ["127.0.0.1"]}) as b:
        cfg = net_config("https://ok.test/", ["missing.nx.test"], dns=[a.port, b.port])
        _, res = check(cfg, "net.dns")
    (finding,) = res["net.dns"]["findings"]
    assert finding["code"] == "net.E010"
    assert "missing.nx.test" in finding["message"]
    for word in ("NXDOMAIN", "127.0.0.1", "dnspython", "system"):
        assert word not in finding["message"], finding["message"]
    rows = [a for a in res["net.dns"]["facts"]["answers"] if a["host"] == "missing.nx.test"]
    assert [r["result"] for r in rows] == ["nxdomain", "nxdomain"]  # the detail stays


def test_dns_timeout_is_bounded(net_config) -> None:
    with BlackHole() as hole:
        cfg = net_config("https://ok.test/", ["a.test", "b.test"], dns=[hole.port], network=1.0)
        started = time.monotonic()
        _, res = check(cfg, "net.dns")
        assert time.monotonic() - started < 1.0 + 3.0
    assert set(codes(res["net.dns"])) == {"net.E012"}


def test_dns_servers_that_disagree(net_config) -> None:
    with DnsServer({"ok.test": ["127.0.0.1"]}) as a, DnsServer({"ok.test": ["127.0.0.9"]}) as b:
        _, res = check(net_config("https://ok.test/", dns=[a.port, b.port]), "net.dns")
    assert codes(res["net.dns"]) == ["net.W014"]
    assert res["net.dns"]["status"] == "warn"


def test_system_resolver_compared_with_dns_server(net_config) -> None:
    # "localhost" comes from /etc/hosts through the system resolver: no DNS traffic leaves.
    with DnsServer({"localhost": ["127.0.0.2"]}) as dns:
        _, res = check(
            net_config("https://localhost/", dns=[dns.port], system_resolver=True), "net.dns"
        )
    rows = {a["resolver"]: a for a in res["net.dns"]["facts"]["answers"]}
    assert "127.0.0.1" in rows["system"]["addresses"]
    assert codes(res["net.dns"]) == ["net.W014"]


# -- reachability and proxies ----------------------------------------------------------------


def test_connection_refused(net_config) -> None:
    port = closed_port()
    _, res = check(net_config(f"https://127.0.0.1:{port}/"), "net.reach")
    assert codes(res["net.reach"]) == ["net.E020"]
    assert res["net.reach"]["status"] == "fail"
    assert "faq01-network" in kb_of(res["net.reach"], "net.E020")


def test_everything_black_holed_ends_within_one_timeout(net_config) -> None:
    with BlackHole() as hole:
        cfg = net_config(
            f"https://127.0.0.1:{hole.tcp_port}/",
            [f"127.0.0.1:{hole.tcp_port}", "a.test", "b.test", "c.test"],
            dns=[hole.port],
            network=1.5,
        )
        started = time.monotonic()
        r, res = check(cfg, "net", "sys.clock")
        elapsed = time.monotonic() - started
    assert elapsed < 1.5 + 3.5, elapsed  # not 5 targets x 1.5 s
    assert r.code == 1
    assert {"net.E021", "net.E022"} <= set(
        codes(res["net.reach"])
    )  # the IP times out, the names don't resolve
    assert set(codes(res["net.dns"])) == {"net.E012"}
    assert res["net.tls"]["status"] == "skip"


def test_through_a_real_proxy(pki, net_config, tmp_path: Path) -> None:
    with HttpsServer(pki.server_cert("good")) as server, Tinyproxy(tmp_path / "tp") as proxy:
        cfg = net_config(
            f"https://localhost:{server.port}/", proxy=proxy.url, ca_file=str(pki.ca_file)
        )
        _, res = check(cfg)
    assert res["net.proxy"]["facts"]["source"] == "config"
    assert res["net.proxy"]["facts"]["proxy"] == f"127.0.0.1:{proxy.port}"
    assert res["net.reach"]["status"] == "ok"
    assert res["net.reach"]["facts"]["via"] == f"127.0.0.1:{proxy.port}"
    assert res["net.tls"]["status"] == "ok"
    assert res["net.http"]["facts"]["status"] == 200
    assert server.requests == ["/"]
    # One CONNECT carries reach, TLS (certificate included) and the page.
    assert server.connections == 1


def test_reach_tls_and_page_share_one_connection(pki, net_config) -> None:
    with HttpsServer(pki.server_cert("good")) as server:
        _, res = check(net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)))
    assert [res[p]["status"] for p in ("net.reach", "net.tls", "net.http")] == ["ok"] * 3
    assert server.requests == ["/"]
    # Before: reach, TLS, the certificate look and the page each connected (4).
    assert server.connections == 1


# -- TLS and HTTP ----------------------------------------------------------------------------


def test_tls_trusted_and_client_certificate_requested(
    pki, test_ca, net_config, tmp_path: Path
) -> None:
    ca_bundle = tmp_path / "client-ca.pem"
    ca_bundle.write_bytes(test_ca.pem)
    with HttpsServer(
        pki.server_cert("good"), client_ca=ca_bundle, client_cert="optional"
    ) as server:
        _, res = check(net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)))
    tls = res["net.tls"]
    assert tls["status"] == "ok"
    assert codes(tls) == ["net.I034"]
    assert tls["facts"]["client_cert_requested"] is True
    http = res["net.http"]
    assert http["status"] == "fail" and codes(http) == ["net.E040"]
    assert kb_of(http, "net.E040")[0] == "faq02-unauthorized"
    assert res["sys.clock"]["status"] == "ok"


def test_tls_trusted_through_ssl_cert_file(pki, net_config) -> None:
    # truststore uses OpenSSL's default paths on Linux, so SSL_CERT_FILE is "the OS store".
    with HttpsServer(pki.server_cert("good")) as server:
        _, res = check(
            net_config(f"https://localhost:{server.port}/"),
            "net.tls",
            env={"SSL_CERT_FILE": str(pki.ca_file)},
        )
    assert res["net.tls"]["status"] == "ok"


def _hashed_folder(folder: Path, bundle: list[Path], hashed: list[Path]) -> dict[str, str]:
    """A trust folder as update-ca-certificates writes it: the bundle file in it, and
    each CA under its OpenSSL subject hash. Returns the environment that makes it
    OpenSSL's default."""
    folder.mkdir()
    (folder / "ca-certificates.crt").write_bytes(b"".join(c.read_bytes() for c in bundle))
    for ca in hashed:
        name = subprocess.run(
            ["openssl", "x509", "-subject_hash", "-noout", "-in", str(ca)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (folder / f"{name}.0").write_bytes(ca.read_bytes())
    return {"SSL_CERT_FILE": str(folder / "ca-certificates.crt"), "SSL_CERT_DIR": str(folder)}


def test_tls_trusted_through_the_hashed_folder(
    pki, net_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Debian's layout: the CA is looked up in the folder, and the bundle is not parsed
    up front (issue 15: ~50 ms for the system's 140-odd CAs)."""
    env = _hashed_folder(tmp_path / "certs", [pki.ca_file], [pki.ca_file])
    with HttpsServer(pki.server_cert("good")) as server:
        _, res = check(net_config(f"https://localhost:{server.port}/"), "net.tls", env=env)
    assert res["net.tls"]["status"] == "ok"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert trust_context().cert_store_stats()["x509_ca"] == 0


def test_tls_trust_follows_a_bundle_the_folder_does_not_hold(
    pki, grca_like_pki, net_config, tmp_path: Path
) -> None:
    """A CA added to the bundle by hand, without its hashed name (and a dangling hashed
    link that makes the counts equal): the bundle is read (through truststore), so what
    it trusts is still trusted."""
    cas = [pki.ca_file, grca_like_pki.ca_file]
    env = _hashed_folder(tmp_path / "certs", cas, [pki.ca_file])
    (tmp_path / "certs" / "deadbeef.0").symlink_to(tmp_path / "nowhere.pem")
    with HttpsServer(grca_like_pki.server_cert("gov")) as server:
        _, res = check(net_config(f"https://localhost:{server.port}/"), "net.tls", env=env)
    assert res["net.tls"]["status"] == "ok"


def test_tls_untrusted_root_names_grca(grca_like_pki, net_config) -> None:
    with HttpsServer(grca_like_pki.server_cert("gov")) as server:
        _, res = check(net_config(f"https://localhost:{server.port}/"))
    tls = res["net.tls"]
    assert tls["status"] == "fail" and codes(tls) == ["net.E030"]
    assert "GRCA" in tls["findings"][0]["message"]
    assert kb_of(tls, "net.E030")[0] == "tls-grca-missing"
    assert res["net.http"]["status"] == "skip"


def test_tls_expired_server_certificate(pki, net_config) -> None:
    with HttpsServer(pki.server_cert("old", expired=True)) as server:
        _, res = check(
            net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)), "net.tls"
        )
    assert codes(res["net.tls"]) == ["net.E031"]


def test_tls_wrong_hostname(pki, net_config) -> None:
    with HttpsServer(pki.server_cert("other", dns_name="other.example")) as server:
        _, res = check(
            net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)), "net.tls"
        )
    assert codes(res["net.tls"]) == ["net.E032"]


def test_tls_protocol_failure(net_config) -> None:
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def plain_http() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\nthis is not TLS")
            conn.close()

    threading.Thread(target=plain_http, daemon=True).start()
    try:
        _, res = check(net_config(f"https://localhost:{srv.getsockname()[1]}/"), "net.tls")
    finally:
        srv.close()
    assert codes(res["net.tls"]) == ["net.E033"]


def test_clock_skew_against_the_servers_date(pki, net_config) -> None:
    with HttpsServer(pki.server_cert("good"), clock_offset=-3600) as server:
        _, res = check(net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)))
    clock = res["sys.clock"]
    assert clock["status"] == "fail" and codes(clock) == ["sys.E050"]
    assert "60 minutes ahead" in clock["findings"][0]["message"]
    assert kb_of(clock, "sys.E050")[0] == "clock-wrong"


@pytest.mark.parametrize("status", [500])
def test_http_error_status(pki, net_config, status: int) -> None:
    with HttpsServer(pki.server_cert("good"), status=status) as server:
        _, res = check(
            net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)),
            "net.http",
            "net.proxy",
        )
    assert codes(res["net.http"]) == ["net.W041"]


def test_tls_server_certificate_not_yet_valid(pki, net_config) -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from stack.certs import key
    from stack.tlsserver import _name

    now = dt.datetime.now(dt.UTC)
    future = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(pki.root.subject)
        .public_key(key(4).public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=300))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(pki.root_key, hashes.SHA256())
    )
    cert, keyfile = pki.folder / "future.pem", pki.folder / "future.key"
    cert.write_bytes(future.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key(4).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with HttpsServer((cert, keyfile)) as server:
        _, res = check(
            net_config(f"https://localhost:{server.port}/", ca_file=str(pki.ca_file)), "net.tls"
        )
    assert codes(res["net.tls"]) == ["net.E035"]
