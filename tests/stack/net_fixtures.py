"""Fixtures for the network stack: test PKI, HTTPS servers, DNS servers, tinyproxy, and a
config writer that points every target at 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stack.tlsserver import Pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def grca_like_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A root named like the Taiwan government root, which no test trust store holds."""
    return Pki(
        tmp_path_factory.mktemp("grca"), root_cn="Government Root Certification Authority - G3"
    )


@pytest.fixture
def net_config(tmp_path: Path) -> Callable[..., Path]:
    def write(
        login_url: str,
        hosts: list[str] = (),
        dns: list[int] = (),
        system_resolver: bool = False,
        proxy: str = "",
        pac: str = "",
        ca_file: str = "",
        network: float = 2.0,
        overall: float = 20.0,
        extra: str = "",
    ) -> Path:
        servers = "".join(f'[[dns.servers]]\nhost = "127.0.0.1"\nport = {p}\n' for p in dns)
        host_list = ", ".join(f'"{h}"' for h in hosts)
        path = tmp_path / "net.toml"
        path.write_text(
            f'[targets]\nlogin_url = "{login_url}"\nhosts = [{host_list}]\n\n'
            f"[dns]\nsystem_resolver = {'true' if system_resolver else 'false'}\n{servers}\n"
            f'[proxy]\nurl = "{proxy}"\npac_url = "{pac}"\n\n[tls]\nca_file = "{ca_file}"\n\n'
            f'[hipki]\nbase_url = "http://127.0.0.1:9"\n\n'
            f"[timeouts]\nnetwork = {network}\noverall = {overall}\n{extra}"
        )
        return path

    return write
