"""``net.dns``: every target looked up through each configured DNS server and the system
resolver (guide FAQ 1, "check your browser's DNS settings")."""

from __future__ import annotations

from checks.network.targets import is_ip, targets
from diagwizard.api import Context, Finding, FindingDef, Result, Status, Step, Text, found, probe
from diagwizard.system.transport.dnslookup import DnsAnswer, DnsKind, resolve_dns, resolve_system
from diagwizard.system.transport.pool import Attempt, bounded_map

NXDOMAIN = FindingDef(
    "net.E010",
    Text(
        "找不到 {host} 這個網站名稱：DNS 說它不存在", "{host} was not found: DNS says no such name"
    ),
)
SERVFAIL = FindingDef(
    "net.E011",
    Text("DNS 伺服器無法回答 {host} 的查詢", "The DNS server failed to answer for {host}"),
)
DNS_TIMEOUT = FindingDef(
    "net.E012",
    Text("查詢 {host} 時 DNS 沒有回應", "No DNS answer for {host}"),
)
NO_NAMESERVERS = FindingDef(
    "net.E013", Text("這台電腦沒有設定 DNS 伺服器", "This computer has no DNS server configured")
)
DNS_DIFFER = FindingDef(
    "net.W014",
    Text(
        "不同 DNS 對 {host} 的回答不一致：{answers}", "DNS servers disagree about {host}: {answers}"
    ),
)
DNS_ERROR = FindingDef(
    "net.E015",
    Text("查詢 {host} 失敗", "Looking up {host} failed"),
)

_DNS_FINDING = {
    DnsKind.NXDOMAIN: NXDOMAIN,
    DnsKind.SERVFAIL: SERVFAIL,
    DnsKind.TIMEOUT: DNS_TIMEOUT,
}
_FINE = (DnsKind.OK, DnsKind.NO_ANSWER)

Job = tuple[str, str]  # (host, resolver name)


def _answer(attempt: Attempt[DnsAnswer]) -> DnsAnswer:
    if attempt.timed_out:
        return DnsAnswer(DnsKind.TIMEOUT)
    if attempt.error is not None or attempt.value is None:
        return DnsAnswer(DnsKind.ERROR, detail=str(attempt.error)[:160])
    return attempt.value


def _lookups(ctx: Context, hosts: list[str]) -> dict[Job, DnsAnswer]:
    """Every host through every resolver at once, bounded by one network timeout."""
    timeout = ctx.config.timeouts.network
    servers = {f"{s.host}:{s.port}": (s.host, s.port) for s in ctx.config.dns.servers}
    resolvers: dict[str, tuple[str, int] | None] = dict(servers) or {"dnspython": None}
    jobs = [(host, name) for host in hosts for name in resolvers]
    if ctx.config.dns.system_resolver:
        jobs += [(host, "system") for host in hosts]

    def run(job: Job) -> DnsAnswer:
        host, name = job
        if name == "system":
            return resolve_system(host)
        return resolve_dns(host, resolvers[name], timeout)

    return {job: _answer(a) for job, a in bounded_map(run, jobs, timeout + 0.5).items()}


def _findings(hosts: list[str], answers: dict[Job, DnsAnswer]) -> list[Finding]:
    """One finding per site and kind of failure: which resolver said it, and its
    technical words, are in the facts."""
    findings: list[Finding] = []
    said: dict[tuple[str, DnsKind], list[str]] = {}  # (host, failure) -> resolvers
    for (host, name), ans in answers.items():
        if ans.kind == DnsKind.NO_NAMESERVERS:
            if NO_NAMESERVERS.code not in {f.code for f in findings}:
                findings.append(NO_NAMESERVERS())
        elif ans.kind not in _FINE:
            said.setdefault((host, ans.kind), []).append(name)
    for (host, kind), names in said.items():
        # ``resolver`` is not in the message: the problem's details list it.
        finding = _DNS_FINDING.get(kind, DNS_ERROR)
        findings.append(finding(host=host, resolver=", ".join(names)))
    for host in hosts:
        good = {n: a for (h, n), a in answers.items() if h == host and a.kind == DnsKind.OK}
        if len({a.addresses for a in good.values()}) > 1:
            shown = "; ".join(f"{n}={','.join(a.addresses)}" for n, a in good.items())
            findings.append(DNS_DIFFER(host=host, answers=shown))
    return findings


@probe(
    "net.dns",
    "DNS 名稱查詢",
    "DNS lookups",
    area="network",
    step=Step.NETWORK,
    timeout=8.0,
)
def dns(ctx: Context) -> Result:
    hosts = [h for h, _ in targets(ctx) if not is_ip(h)]
    if not hosts:
        # Nothing to look up is neither a pass nor a problem.
        return found(
            summary=Text("目標都是 IP 位址，不需查詢", "All targets are IP addresses"),
            status=Status.SKIP,
        )
    answers = _lookups(ctx, hosts)
    findings = _findings(hosts, answers)
    facts = {
        "answers": [
            {
                "host": h,
                "resolver": n,
                "result": str(a.kind),
                "addresses": list(a.addresses),
                **({"detail": a.detail} if a.detail else {}),
            }
            for (h, n), a in answers.items()
        ]
    }
    summary = Text(
        f"查詢 {len(hosts)} 個網站：{'有問題' if findings else '正常'}",
        f"{len(hosts)} host(s) looked up: {'problems found' if findings else 'all resolved'}",
    )
    return found(*findings, summary=summary, facts=facts)
