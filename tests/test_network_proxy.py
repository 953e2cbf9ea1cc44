"""Proxy discovery and proxies in the way, against real servers on 127.0.0.1 (tinyproxy,
an HTTPS server with its own test CA) and recorded Windows/macOS settings through the
adapters. Each fault maps to its finding in `diagwizard check --json`."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from stack.dnsserver import BlackHole, closed_port
from stack.tinyproxy import Tinyproxy
from stack.tlsserver import HttpsServer
from test_network import check, codes, kb_of

from diagwizard.core.config import Config, Proxy, Targets
from diagwizard.engine.engine import Engine
from diagwizard.system.adapters.macos import MacAdapter, parse_scutil_proxy
from diagwizard.system.adapters.windows import WindowsAdapter
from diagwizard.system.adapters.winproxy import IeProxyConfig


def test_proxy_requires_authentication(pki, net_config, tmp_path: Path) -> None:
    with (
        HttpsServer(pki.server_cert("good")) as server,
        Tinyproxy(tmp_path / "tp", auth=("officer", "s3cret")) as proxy,
    ):
        cfg = net_config(f"https://localhost:{server.port}/", proxy=proxy.url)
        _, res = check(cfg, "net.reach")
    assert codes(res["net.reach"]) == ["net.E023"]
    assert kb_of(res["net.reach"], "net.E023")[0] == "proxy-blocked"


def test_proxy_with_the_right_credentials_passes(pki, net_config, tmp_path: Path) -> None:
    with (
        HttpsServer(pki.server_cert("good")) as server,
        Tinyproxy(tmp_path / "tp", auth=("officer", "s3cret")) as proxy,
    ):
        cfg = net_config(
            f"https://localhost:{server.port}/",
            proxy=f"http://officer:s3cret@127.0.0.1:{proxy.port}",
        )
        r, res = check(cfg, "net.reach", "net.proxy")
    assert res["net.reach"]["status"] == "ok"
    assert "s3cret" not in r.out


def test_proxy_refuses_connections(net_config) -> None:
    _, res = check(
        net_config("https://localhost:443/", proxy=f"http://127.0.0.1:{closed_port()}"), "net.reach"
    )
    assert codes(res["net.reach"]) == ["net.E024"]


def test_proxy_black_holes(net_config) -> None:
    with BlackHole() as hole:
        cfg = net_config(
            "https://localhost:443/", proxy=f"http://127.0.0.1:{hole.silent_port}", network=1.0
        )
        started = time.monotonic()
        _, res = check(cfg, "net.reach")
        assert time.monotonic() - started < 1.0 + 3.0
    assert codes(res["net.reach"]) == ["net.E025"]


def test_proxy_denies_the_target(pki, net_config, tmp_path: Path) -> None:
    with (
        HttpsServer(pki.server_cert("good")) as server,
        Tinyproxy(tmp_path / "tp", deny_connect=True) as proxy,
    ):
        _, res = check(
            net_config(f"https://localhost:{server.port}/", proxy=proxy.url), "net.reach"
        )
    assert codes(res["net.reach"]) == ["net.E026"]
    assert "403" in res["net.reach"]["findings"][0]["message"]


def test_pac_file_chooses_the_proxy(pki, net_config, tmp_path: Path) -> None:
    with HttpsServer(pki.server_cert("good")) as server, Tinyproxy(tmp_path / "tp") as proxy:
        pac = tmp_path / "proxy.pac"
        pac.write_text(
            "function FindProxyForURL(url, host) {\n"
            f'  if (shExpMatch(host, "localhost")) return "PROXY 127.0.0.1:{proxy.port}; DIRECT";\n'
            '  return "DIRECT";\n}\n'
        )
        _, res = check(
            net_config(f"https://localhost:{server.port}/", pac=str(pac), ca_file=str(pki.ca_file)),
            "net.reach",
            "net.proxy",
        )
    assert res["net.proxy"]["facts"]["source"] == "pac"
    assert res["net.proxy"]["facts"]["proxy"] == f"127.0.0.1:{proxy.port}"
    assert res["net.reach"]["status"] == "ok"


def test_broken_pac_file_is_a_warning(net_config, tmp_path: Path) -> None:
    pac = tmp_path / "broken.pac"
    pac.write_text("function FindProxyForURL(url, host) { return nonsense( ; }")
    _, res = check(net_config("https://localhost:443/", pac=str(pac)), "net.proxy")
    assert res["net.proxy"]["status"] == "warn"
    assert codes(res["net.proxy"]) == ["net.W001"]


def test_environment_proxy_and_no_proxy(net_config) -> None:
    cfg = net_config("https://localhost:443/")
    _, res = check(cfg, "net.proxy", env={"HTTPS_PROXY": "http://127.0.0.1:3128"})
    assert res["net.proxy"]["facts"] == res["net.proxy"]["facts"] | {
        "source": "environment",
        "proxy": "127.0.0.1:3128",
    }
    _, res = check(
        cfg, "net.proxy", env={"HTTPS_PROXY": "http://127.0.0.1:3128", "NO_PROXY": "localhost"}
    )
    assert res["net.proxy"]["facts"]["proxy"] == "DIRECT"


def _proxy_result(adapter: object, login: str = "https://cert.gcis.nat.gov.tw/") -> dict:
    cfg = Config(targets=Targets(login_url=login, hosts=[]), proxy=Proxy())
    engine = Engine.create(cfg, plugins=False, os_adapter=adapter)  # type: ignore[arg-type]
    res = engine.run(["net.proxy"]).results["net.proxy"]
    return {k: v.value for k, v in res.facts.items()} | {"codes": [f.code for f in res.findings]}


def test_windows_proxy_through_the_adapter() -> None:
    recorded = IeProxyConfig(
        auto_detect=True,
        proxy="http=10.1.1.1:80;https=10.1.1.1:8443",
        proxy_bypass="*.local;<local>",
    )
    facts = _proxy_result(WindowsAdapter(ie_proxy_config=lambda: recorded))
    assert facts["proxy"] == "10.1.1.1:8443" and facts["source"] == "windows-winhttp"
    assert "net.I002" in facts["codes"]  # auto-detect (WPAD) is noted, not searched
    bypassed = replace(recorded, proxy_bypass="*.gov.tw")
    assert _proxy_result(WindowsAdapter(ie_proxy_config=lambda: bypassed))["proxy"] == "DIRECT"
    off = IeProxyConfig()
    assert _proxy_result(WindowsAdapter(ie_proxy_config=lambda: off))["proxy"] == "DIRECT"


SCUTIL = """<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
  }
  FTPPassive : 1
  HTTPEnable : 1
  HTTPPort : 8080
  HTTPProxy : proxy.example
  HTTPSEnable : 1
  HTTPSPort : 3129
  HTTPSProxy : secure.example
}
"""


def test_macos_scutil_through_the_adapter() -> None:
    parsed = parse_scutil_proxy(SCUTIL)
    assert parsed.server == "secure.example:3129" and parsed.bypass == ("*.local", "169.254/16")
    facts = _proxy_result(MacAdapter(run=lambda argv: SCUTIL))
    assert facts["proxy"] == "secure.example:3129" and facts["source"] == "scutil"


def test_macos_pac_url_is_reported(tmp_path: Path) -> None:
    pac = tmp_path / "p.pac"
    pac.write_text('function FindProxyForURL(u, h) { return "PROXY 127.0.0.1:8888"; }')
    text = f"<dictionary> {{\n  ProxyAutoConfigEnable : 1\n  ProxyAutoConfigURLString : {pac}\n}}\n"
    facts = _proxy_result(MacAdapter(run=lambda argv: text))
    assert facts["source"] == "pac" and facts["proxy"] == "127.0.0.1:8888"


def test_malformed_proxy_setting_is_a_warning(net_config) -> None:
    bad = {"HTTPS_PROXY": "http://", "https_proxy": "http://", "NO_PROXY": "", "no_proxy": ""}
    _, res = check(net_config("https://localhost:443/"), "net.proxy", env=bad)
    assert res["net.proxy"]["status"] == "warn"
    assert codes(res["net.proxy"]) == ["net.W004"]
    assert res["net.proxy"]["facts"]["proxy"] == "DIRECT"
