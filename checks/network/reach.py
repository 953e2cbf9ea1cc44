"""``net.reach``: a TCP connection to every configured target, directly or through the
proxy ``net.proxy`` chose (HTTP CONNECT)."""

from __future__ import annotations

from checks.network.targets import login_host, route, targets
from diagwizard.api import (
    Context,
    Finding,
    FindingDef,
    Result,
    Status,
    Step,
    Text,
    found,
    ok,
    probe,
)
from diagwizard.system.transport.handoff import ReachedSockets
from diagwizard.system.transport.pool import Attempt, bounded_map
from diagwizard.system.transport.tcp import NetError, NetErrorKind, ProxySpec

REFUSED = FindingDef("net.E020", Text("{target} 拒絕連線", "{target} refused the connection"))
NO_ANSWER = FindingDef(
    "net.E021",
    Text(
        "{target} 沒有回應（可能被防火牆擋住）", "{target} does not answer (a firewall may drop it)"
    ),
)
UNRESOLVED = FindingDef(
    "net.E022", Text("無法解析 {target} 的位址", "Cannot resolve the address of {target}")
)
PROXY_AUTH = FindingDef(
    "net.E023",
    Text("Proxy {proxy} 要求帳號密碼（407）", "Proxy {proxy} requires authentication (407)"),
)
PROXY_REFUSED = FindingDef(
    "net.E024", Text("Proxy {proxy} 拒絕連線", "Proxy {proxy} refuses connections")
)
PROXY_SILENT = FindingDef(
    "net.E025", Text("Proxy {proxy} 沒有回應", "Proxy {proxy} does not answer")
)
PROXY_DENIED = FindingDef(
    "net.E026",
    Text(
        "Proxy {proxy} 不允許連到 {target}（{status}）",
        "Proxy {proxy} will not connect to {target} ({status})",
    ),
)

# Findings about one target are kept per target; findings about the proxy only once.
_PER_TARGET = frozenset({REFUSED.code, NO_ANSWER.code, UNRESOLVED.code})


def _finding(attempt: Attempt[bool], target: str, proxy: ProxySpec | None) -> Finding:
    via = str(proxy) if proxy else ""
    if attempt.timed_out:
        return PROXY_SILENT(proxy=via) if proxy else NO_ANSWER(target=target)
    exc = attempt.error
    if not isinstance(exc, NetError):
        exc = NetError(NetErrorKind.UNREACHABLE, str(exc))
    match exc.kind:
        case NetErrorKind.REFUSED:
            return REFUSED(target=target)
        case NetErrorKind.TIMEOUT | NetErrorKind.UNREACHABLE:
            return NO_ANSWER(target=target)
        case NetErrorKind.DNS:
            return UNRESOLVED(target=target)
        case NetErrorKind.PROXY_AUTH:
            return PROXY_AUTH(proxy=via)
        case NetErrorKind.PROXY_TIMEOUT:
            return PROXY_SILENT(proxy=via)
        case NetErrorKind.PROXY_STATUS:
            return PROXY_DENIED(proxy=via, target=target, status=exc.detail)
    return PROXY_REFUSED(proxy=via)


@probe(
    "net.reach",
    "連線到網站",
    "Connecting to the sites",
    area="network",
    step=Step.NETWORK,
    explained_by="net.dns",
    explained_codes=(REFUSED, NO_ANSWER, UNRESOLVED),
    needs=("net.proxy",),
    timeout=8.0,
)
def reach(ctx: Context) -> Result:
    way = route(ctx)
    spec = way.proxy
    login = "{}:{}".format(*login_host(ctx))
    handoff = ctx.resources.get(ReachedSockets)

    def attempt(target: tuple[str, int]) -> bool:
        sock = way.connect(*target)
        if f"{target[0]}:{target[1]}" == login:
            handoff.put(login, sock)  # net.tls shakes hands on this very connection
        else:
            sock.close()
        return True

    findings: list[Finding] = []
    rows = []
    for (host, port), tried in bounded_map(attempt, targets(ctx), way.timeout + 0.5).items():
        reached = tried.value is True
        rows.append({"target": f"{host}:{port}", "ok": reached})
        if not reached:
            finding = _finding(tried, f"{host}:{port}", spec)
            if finding.code in _PER_TARGET or finding.code not in {f.code for f in findings}:
                findings.append(finding)
    facts = {"targets": rows, "via": str(spec) if spec else "DIRECT"}
    if not findings:
        return ok(Text("所有網站都連得上", "All sites are reachable"), facts=facts)
    login_ok = any(r["ok"] for r in rows if r["target"] == login)
    res = found(
        *findings,
        summary=Text("有網站連不上", "Some sites cannot be reached"),
        # Only the login site is essential: other hosts failing is a warning.
        status=Status.WARN if login_ok else None,
        facts=facts,
    )
    return res
