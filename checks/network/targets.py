"""What the network probes share: the configured targets, the resolver for them and the
proxy ``net.proxy`` chose. Holds no finding codes (each probe module owns its own)."""

from __future__ import annotations

import ipaddress
import urllib.parse

from diagwizard.api import Context
from diagwizard.system.transport.dnslookup import DnsAnswer, DnsKind, Resolver, resolve_dns
from diagwizard.system.transport.proxy import DIRECT
from diagwizard.system.transport.tcp import ProxySpec, Route


def login_host(ctx: Context) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(ctx.config.targets.login_url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def host_port(entry: str) -> tuple[str, int]:
    """A target is "host" (port 443) or "host:port"."""
    host, sep, port = entry.rpartition(":")
    if sep and port.isdigit() and host and not host.endswith(":"):
        return host.strip("[]"), int(port)
    return entry, 443


def targets(ctx: Context) -> list[tuple[str, int]]:
    """The login site first, then the other configured hosts, each once."""
    hosts = [login_host(ctx)] + [host_port(h) for h in ctx.config.targets.hosts]
    return list(dict.fromkeys(hosts))


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def resolver(ctx: Context) -> Resolver | None:
    """Configured DNS servers, when there are any, resolve targets; else the system does."""
    servers = ctx.config.dns.servers
    if not servers:
        return None
    server, timeout = (servers[0].host, servers[0].port), ctx.config.timeouts.network
    return lambda host: (
        DnsAnswer(DnsKind.OK, (host,)) if is_ip(host) else resolve_dns(host, server, timeout)
    )


def proxy_spec(ctx: Context) -> ProxySpec | None:
    """The proxy ``net.proxy`` chose, with the configured credentials (never in facts)."""
    res = ctx.results.get("net.proxy")
    chosen = res.fact("proxy") if res is not None else DIRECT
    if not chosen or chosen == DIRECT:
        return None
    spec = ProxySpec.parse(chosen)
    if ctx.config.proxy.url and ctx.config.proxy.url.lower() != "direct":
        configured = ProxySpec.parse(ctx.config.proxy.url)
        if (configured.host, configured.port) == (spec.host, spec.port):
            return configured
    return spec


def route(ctx: Context) -> Route:
    """How the probes reach the targets: the configured bound, proxy and DNS servers."""
    return Route(ctx.config.timeouts.network, proxy_spec(ctx), resolver(ctx))
