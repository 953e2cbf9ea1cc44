"""macOS paths through the real adapter code, fed with recorded system answers."""

from __future__ import annotations

from pathlib import Path

from helpers import facts_and_codes, run_probes

from diagwizard.core.config import Config, Targets
from diagwizard.system.adapters.macos import MacAdapter, parse_scutil, parse_scutil_proxy

SCOPED = (Path(__file__).parent / "data" / "macos" / "scutil-proxy-scoped.txt").read_text()
CONFIG = Config(targets=Targets(login_url="https://moica.nat.gov.tw/"))


def proxy_facts(adapter: MacAdapter) -> dict:
    return facts_and_codes(run_probes(adapter, ["net.proxy"], CONFIG)["net.proxy"])


def test_scoped_interface_proxies_do_not_override_the_system_ones() -> None:
    parsed = parse_scutil(SCOPED)
    assert parsed["__SCOPED__"]["utun3"]["HTTPSProxy"] == "10.8.0.1"
    assert parsed["ExceptionsList"] == ["*.local", "169.254/16"]
    proxy = parse_scutil_proxy(SCOPED)
    assert proxy.server == "" and proxy.bypass == ("*.local", "169.254/16")
    assert (
        proxy_facts(MacAdapter(run=lambda argv: SCOPED, system_proxies=lambda: None))["proxy"]
        == "DIRECT"
    )


def test_system_configuration_dictionary_is_preferred() -> None:
    values = {
        "HTTPSEnable": 1,
        "HTTPSProxy": "proxy.example",
        "HTTPSPort": 3128,
        "ExceptionsList": ["*.local"],
        "__SCOPED__": {"utun3": {"HTTPSEnable": 1, "HTTPSProxy": "10.8.0.1", "HTTPSPort": 8080}},
    }

    def never(argv: list[str]) -> str:
        raise AssertionError("scutil is only the fallback")

    adapter = MacAdapter(run=never, system_proxies=lambda: values)
    facts = proxy_facts(adapter)
    assert facts["proxy"] == "proxy.example:3128" and facts["source"] == "macos"


def test_socks_only_is_reported_not_silently_dropped() -> None:
    values = {"SOCKSEnable": 1, "SOCKSProxy": "127.0.0.1", "SOCKSPort": 1080}
    facts = proxy_facts(MacAdapter(system_proxies=lambda: values))
    assert facts["codes"] == ["net.W005"] and facts["proxy"] == "DIRECT"
