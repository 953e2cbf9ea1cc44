"""No address is ever contacted except the configured targets: a full `check` runs with
every process under an audit hook that records each connect, sendto and name lookup."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import run_cli
from stack.dnsserver import DnsServer
from stack.hipki_double import HipkiDouble
from stack.pkcs11_fixtures import SOFTHSM_MODULE
from stack.tlsserver import HttpsServer

AUDIT = Path(__file__).resolve().parent / "audit"


def test_full_check_contacts_only_configured_targets(pki, soft_tokens, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    with (
        HttpsServer(pki.server_cert("good")) as web,
        DnsServer({"localhost": ["127.0.0.1"]}) as dns,
        HipkiDouble() as hipki,
    ):
        cfg = tmp_path / "c.toml"
        cfg.write_text(
            f'[targets]\nlogin_url = "https://localhost:{web.port}/"\nhosts = ["localhost:{web.port}"]\n'
            f'[[dns.servers]]\nhost = "127.0.0.1"\nport = {dns.port}\n'
            f'[hipki]\nbase_url = "{hipki.url}"\n[pkcs11]\nmodules = ["{SOFTHSM_MODULE}"]\n'
            f'[tls]\nca_file = "{pki.ca_file}"\n[timeouts]\nnetwork = 2.0\n'
        )
        env = {
            "PYTHONPATH": str(AUDIT),
            "DIAGWIZARD_AUDIT_LOG": str(log),
            "DIAGWIZARD_CONFIG": str(cfg),
            **soft_tokens["healthy"].env,
        }
        r = run_cli("check", "--json", env=env)
    ids = {x["id"]: x["status"] for x in r.json()["results"]}
    assert (
        ids["net.http"] == "ok" and ids["middleware.hipki"] == "ok" and ids["pkcs11.token"] == "ok"
    )
    events = [line.split("\t", 1) for line in log.read_text().splitlines()]
    assert events, "the audit hook recorded nothing"
    allowed_hosts = {"127.0.0.1", "localhost", "::1"}
    for event, raw in events:
        value = ast.literal_eval(raw)
        if isinstance(value, tuple):
            host = value[0]
        else:
            host = value
        if isinstance(host, bytes):  # names go to getaddrinfo as bytes (transport.hostname)
            host = host.decode()
        if isinstance(host, str) and host.startswith("/"):
            continue  # a local (unix) socket, e.g. pcscd's
        assert host in allowed_hosts, f"{event} to {value!r} is not a configured target"
