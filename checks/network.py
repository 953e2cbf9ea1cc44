"""Network probes: proxy, DNS, reachability, TLS trust and the login page (guide FAQ 1's
"check your browser's DNS or proxy settings", and FAQ 2). Only configured targets are
ever contacted (plus a PAC file the user's own settings point to)."""

from __future__ import annotations

import ipaddress
import urllib.parse
import urllib.request

from diagwizard.context import Context
from diagwizard.model import Finding, FindingDef, Result, Status, Text, probe, result
from diagwizard.transport.netio import (
    DnsAnswer,
    NetError,
    ProxySpec,
    Resolver,
    bounded_map,
    connect,
    http_get,
    resolve_dns,
    resolve_system,
    tls_check,
)
from diagwizard.transport.proxy import bypassed as _bypassed
from diagwizard.transport.proxy import pac_choice as _pac_choice

# -- net.proxy -------------------------------------------------------------------------
PAC_FAILED = FindingDef(
    "net.W001",
    Text(
        "無法讀取或執行 PAC 自動設定檔 {url}：{error}",
        "The PAC file {url} could not be read or run: {error}",
    ),
)
AUTO_DETECT = FindingDef(
    "net.I002",
    Text(
        "系統開啟了「自動偵測設定」（WPAD）；本工具不會自行搜尋 Proxy",
        "“Automatically detect settings” (WPAD) is on; this tool does not search for proxies itself",
    ),
)
USING_PROXY = FindingDef(
    "net.I003",
    Text(
        "連到登入網站會經過 Proxy {proxy}（來源：{source}）",
        "The login site is reached through proxy {proxy} (from {source})",
    ),
)
BAD_PROXY = FindingDef(
    "net.W004", Text("Proxy 設定 {value} 格式不正確", "The proxy setting {value} is malformed")
)
SOCKS_PROXY = FindingDef(
    "net.W005",
    Text(
        "系統設定經由 SOCKS Proxy {proxy} 連線；本工具無法經由 SOCKS 測試，以下連線結果為直接連線",
        "The system uses SOCKS proxy {proxy}; this tool cannot test through SOCKS, so the "
        "connection results below are for a direct connection",
    ),
)

# -- net.dns ---------------------------------------------------------------------------
NXDOMAIN = FindingDef(
    "net.E010",
    Text("{host} 不存在（NXDOMAIN，{resolver}）", "{host} does not exist (NXDOMAIN, {resolver})"),
)
SERVFAIL = FindingDef(
    "net.E011",
    Text(
        "DNS 伺服器無法回答 {host}（SERVFAIL，{resolver}）",
        "The DNS server failed to answer for {host} (SERVFAIL, {resolver})",
    ),
)
DNS_TIMEOUT = FindingDef(
    "net.E012",
    Text("查詢 {host} 時 DNS 沒有回應（{resolver}）", "No DNS answer for {host} ({resolver})"),
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
    Text(
        "查詢 {host} 失敗（{resolver}）：{error}", "Looking up {host} failed ({resolver}): {error}"
    ),
)

# -- net.reach -------------------------------------------------------------------------
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

# -- net.tls ---------------------------------------------------------------------------
UNTRUSTED = FindingDef(
    "net.E030",
    Text(
        "{host} 的憑證不受信任：缺少根憑證「{root}」",
        "{host}'s certificate is not trusted: the root “{root}” is missing",
    ),
)
SERVER_EXPIRED = FindingDef(
    "net.E031", Text("{host} 的伺服器憑證已過期", "{host}'s server certificate has expired")
)
HOSTNAME = FindingDef(
    "net.E032",
    Text("{host} 的伺服器憑證名稱不符", "{host}'s server certificate is for a different name"),
)
PROTOCOL = FindingDef(
    "net.E033",
    Text("與 {host} 建立加密連線失敗：{error}", "The TLS handshake with {host} failed: {error}"),
)
CLIENT_CERT = FindingDef(
    "net.I034",
    Text(
        "{host} 會要求用戶端憑證（即自然人憑證）",
        "{host} asks for a client certificate (your card's certificate)",
    ),
)
SERVER_NOT_YET = FindingDef(
    "net.E035",
    Text(
        "{host} 的伺服器憑證尚未生效（請檢查電腦時間）",
        "{host}'s server certificate is not yet valid (check the clock)",
    ),
)

# -- net.http --------------------------------------------------------------------------
FORBIDDEN = FindingDef(
    "net.E040",
    Text(
        "登入網址回應 403：伺服器沒有收到有效的用戶端憑證",
        "The login URL answered 403: the server got no valid client certificate",
    ),
)
HTTP_ERROR = FindingDef(
    "net.W041", Text("登入網址回應 {status} {reason}", "The login URL answered {status} {reason}")
)
HTTP_FAILED = FindingDef(
    "net.E042", Text("無法取得登入網頁：{error}", "Could not fetch the login page: {error}")
)

GRCA_HINTS = ("Government Root Certification Authority", "GRCA", "政府憑證總管理中心")


def _login_host(ctx: Context) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(ctx.config.targets.login_url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _host_port(entry: str) -> tuple[str, int]:
    """A target is "host" (port 443) or "host:port"."""
    host, sep, port = entry.rpartition(":")
    if sep and port.isdigit() and host and not host.endswith(":"):
        return host.strip("[]"), int(port)
    return entry, 443


def _targets(ctx: Context) -> list[tuple[str, int]]:
    login = _login_host(ctx)
    hosts = [login] + [_host_port(h) for h in ctx.config.targets.hosts]
    return list(dict.fromkeys(hosts))


def _resolver(ctx: Context) -> Resolver | None:
    """Configured DNS servers, when there are any, resolve targets; else the system does."""
    servers = ctx.config.dns.servers
    if not servers:
        return None
    server, timeout = (servers[0].host, servers[0].port), ctx.config.timeouts.network
    return lambda host: (
        DnsAnswer("ok", (host,)) if _is_ip(host) else resolve_dns(host, server, timeout)
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@probe(
    "net.proxy",
    "Proxy 設定",
    "Proxy settings",
    area="network",
    timeout=6.0,
    codes=(PAC_FAILED, AUTO_DETECT, USING_PROXY, BAD_PROXY, SOCKS_PROXY),
)
def proxy(ctx: Context) -> Result:
    url = ctx.config.targets.login_url
    host = _login_host(ctx)[0]
    os_proxy = ctx.os.proxy_settings()
    findings: list[Finding] = []
    choice, source, pac_url = "DIRECT", "none", ""
    if ctx.config.proxy.url:
        choice = "DIRECT" if ctx.config.proxy.url.lower() == "direct" else ctx.config.proxy.url
        source = "config"
    else:
        pac_url = ctx.config.proxy.pac_url or os_proxy.pac_url
        if pac_url:
            source = "pac"
            try:
                choice = _pac_choice(pac_url, url, host, ctx.config.timeouts.network)
            except Exception as exc:  # unreachable PAC, JavaScript errors, bad answers
                findings.append(PAC_FAILED(url=pac_url, error=f"{type(exc).__name__}: {exc}"[:160]))
        elif os_proxy.server:
            source = os_proxy.source
            choice = "DIRECT" if _bypassed(host, os_proxy.bypass) else os_proxy.server
        elif os_proxy.socks and not _bypassed(host, os_proxy.bypass):
            source = os_proxy.source
            findings.append(SOCKS_PROXY(proxy=os_proxy.socks))
        else:
            env = urllib.request.getproxies_environment()
            env_proxy = env.get("https") or env.get("all") or ""
            if env_proxy:
                source = "environment"
                bypass_env = getattr(urllib.request, "proxy_bypass_environment")  # noqa: B009 (untyped)
                choice = "DIRECT" if bypass_env(host, env) else env_proxy
    if os_proxy.auto_detect:
        findings.append(AUTO_DETECT())
    if choice != "DIRECT":
        try:
            spec = ProxySpec.parse(choice)
            choice = f"{spec.host}:{spec.port}"
            findings.append(USING_PROXY(proxy=choice, source=source))
        except ValueError:
            findings.append(BAD_PROXY(value=choice))
            choice = "DIRECT"
    facts = {
        "proxy": choice,
        "source": source,
        "pac_url": pac_url,
        "os_source": os_proxy.source,
        "bypass": list(os_proxy.bypass),
    }
    personal = {"proxy_url": ctx.config.proxy.url} if "@" in ctx.config.proxy.url else {}
    status = Status.WARN if any(f.severity == "warning" for f in findings) else Status.OK
    summary = (
        Text("直接連線（不經 Proxy）", "Direct connection (no proxy)")
        if choice == "DIRECT"
        else Text(f"經由 Proxy {choice}", f"Through proxy {choice}")
    )
    return result(status, summary, *findings, facts=facts, personal=personal)


def _proxy_spec(ctx: Context) -> ProxySpec | None:
    res = ctx.results.get("net.proxy")
    chosen = res.fact("proxy") if res is not None else "DIRECT"
    if not chosen or chosen == "DIRECT":
        return None
    spec = ProxySpec.parse(chosen)
    if ctx.config.proxy.url and ctx.config.proxy.url.lower() != "direct":
        configured = ProxySpec.parse(ctx.config.proxy.url)  # keeps credentials out of facts
        if (configured.host, configured.port) == (spec.host, spec.port):
            return configured
    return spec


_DNS_FINDING = {"nxdomain": NXDOMAIN, "servfail": SERVFAIL, "timeout": DNS_TIMEOUT}


@probe(
    "net.dns",
    "DNS 名稱查詢",
    "DNS lookups",
    area="network",
    timeout=8.0,
    codes=(NXDOMAIN, SERVFAIL, DNS_TIMEOUT, NO_NAMESERVERS, DNS_DIFFER, DNS_ERROR),
)
def dns(ctx: Context) -> Result:
    hosts = [h for h, _ in _targets(ctx) if not _is_ip(h)]
    if not hosts:
        return result(
            Status.SKIP, Text("目標都是 IP 位址，不需查詢", "All targets are IP addresses")
        )
    timeout = ctx.config.timeouts.network
    servers = [(s.host, s.port) for s in ctx.config.dns.servers]
    resolvers: list[tuple[str, tuple[str, int] | None]] = [(f"{h}:{p}", (h, p)) for h, p in servers]
    if not servers:
        resolvers.append(("dnspython", None))
    jobs = [(host, name) for host in hosts for name, _ in resolvers]
    if ctx.config.dns.system_resolver:
        jobs += [(host, "system") for host in hosts]
    server_of = dict(resolvers)

    def run(job: tuple[str, str]) -> DnsAnswer:
        host, name = job
        return (
            resolve_system(host)
            if name == "system"
            else resolve_dns(host, server_of[name], timeout)
        )

    outcomes = bounded_map(run, jobs, timeout + 0.5)
    answers: dict[tuple[str, str], DnsAnswer] = {}
    for job, out in outcomes.items():
        if out.timed_out:
            answers[job] = DnsAnswer("timeout")
        elif out.error is not None:
            answers[job] = DnsAnswer("error", detail=str(out.error)[:160])
        else:
            answers[job] = out.value  # type: ignore[assignment]
    findings: list[Finding] = []
    for (host, name), ans in answers.items():
        if ans.kind == "ok" or ans.kind == "no_answer":
            continue
        if ans.kind == "no_nameservers":
            if NO_NAMESERVERS.code not in {f.code for f in findings}:
                findings.append(NO_NAMESERVERS())
        elif ans.kind in _DNS_FINDING:
            findings.append(_DNS_FINDING[ans.kind](host=host, resolver=name))
        else:
            findings.append(DNS_ERROR(host=host, resolver=name, error=ans.detail))
    for host in hosts:
        distinct = {
            ans.addresses for (h, _), ans in answers.items() if h == host and ans.kind == "ok"
        }
        if len(distinct) > 1:
            shown = "; ".join(
                f"{n}={','.join(a.addresses)}"
                for (h, n), a in answers.items()
                if h == host and a.kind == "ok"
            )
            findings.append(DNS_DIFFER(host=host, answers=shown))
    facts = {
        "answers": [
            {"host": h, "resolver": n, "result": a.kind, "addresses": list(a.addresses)}
            for (h, n), a in answers.items()
        ]
    }
    failed = any(f.severity == "error" for f in findings)
    status = Status.FAIL if failed else Status.WARN if findings else Status.OK
    summary = Text(
        f"查詢 {len(hosts)} 個網站：{'有問題' if findings else '正常'}",
        f"{len(hosts)} host(s) looked up: {'problems found' if findings else 'all resolved'}",
    )
    return result(status, summary, *findings, facts=facts)


def _reach_finding(
    exc: NetError | None, timed_out: bool, target: str, proxy: ProxySpec | None
) -> Finding:
    via = str(proxy) if proxy else ""
    if timed_out or exc is None:
        return PROXY_SILENT(proxy=via) if proxy else NO_ANSWER(target=target)
    kind = exc.kind
    if kind == "refused":
        return REFUSED(target=target)
    if kind in ("timeout", "unreachable"):
        return NO_ANSWER(target=target)
    if kind == "dns":
        return UNRESOLVED(target=target)
    if kind == "proxy_auth":
        return PROXY_AUTH(proxy=via)
    if kind == "proxy_timeout":
        return PROXY_SILENT(proxy=via)
    if kind == "proxy_status":
        return PROXY_DENIED(proxy=via, target=target, status=exc.detail)
    return PROXY_REFUSED(proxy=via)


@probe(
    "net.reach",
    "連線到網站",
    "Connecting to the sites",
    area="network",
    needs=("net.proxy",),
    timeout=8.0,
    codes=(REFUSED, NO_ANSWER, UNRESOLVED, PROXY_AUTH, PROXY_REFUSED, PROXY_SILENT, PROXY_DENIED),
)
def reach(ctx: Context) -> Result:
    proxy_spec = _proxy_spec(ctx)
    timeout = ctx.config.timeouts.network
    resolve = _resolver(ctx)

    def attempt(target: tuple[str, int]) -> bool:
        connect(target[0], target[1], timeout, proxy_spec, resolve).close()
        return True

    outcomes = bounded_map(attempt, _targets(ctx), timeout + 0.5)
    findings: list[Finding] = []
    rows = []
    for (host, port), out in outcomes.items():
        ok = out.value is True
        rows.append({"target": f"{host}:{port}", "ok": ok})
        if not ok:
            err = out.error if isinstance(out.error, NetError) else None
            if out.error is not None and err is None:
                err = NetError("unreachable", str(out.error))
            finding = _reach_finding(err, out.timed_out, f"{host}:{port}", proxy_spec)
            if finding.code not in {f.code for f in findings} or finding.code in (
                REFUSED.code,
                NO_ANSWER.code,
                UNRESOLVED.code,
            ):
                findings.append(finding)
    facts = {"targets": rows, "via": str(proxy_spec) if proxy_spec else "DIRECT"}
    login = f"{_login_host(ctx)[0]}:{_login_host(ctx)[1]}"
    login_ok = any(r["ok"] for r in rows if r["target"] == login)
    if not findings:
        return result(Status.OK, Text("所有網站都連得上", "All sites are reachable"), facts=facts)
    status = Status.FAIL if not login_ok else Status.WARN
    return result(
        status, Text("有網站連不上", "Some sites cannot be reached"), *findings, facts=facts
    )


def _root_name(issuer: str) -> str:
    for hint in GRCA_HINTS:
        if hint in issuer:
            return "GRCA（政府憑證總管理中心）" if hint != "GRCA" else "GRCA"
    for part in issuer.split(","):
        if part.startswith("CN="):
            return part[3:]
    return issuer or "?"


@probe(
    "net.tls",
    "安全連線（TLS）",
    "Secure connection (TLS)",
    area="network",
    needs=("net.proxy",),
    wants=("net.reach",),
    timeout=10.0,
    codes=(UNTRUSTED, SERVER_EXPIRED, HOSTNAME, PROTOCOL, CLIENT_CERT, SERVER_NOT_YET),
)
def tls(ctx: Context) -> Result:
    host, port = _login_host(ctx)
    reach_res = ctx.results.get("net.reach")
    if reach_res is not None:
        row = next(
            (r for r in reach_res.fact("targets") or [] if r["target"] == f"{host}:{port}"), None
        )
        if row is not None and not row["ok"]:
            return result(
                Status.SKIP, Text("登入網站連不上，無法檢查", "The login site is unreachable")
            )
    try:
        report = tls_check(
            host,
            port,
            ctx.config.timeouts.network,
            _proxy_spec(ctx),
            ctx.config.tls.ca_file,
            _resolver(ctx),
        )
    except NetError as exc:
        return result(
            Status.FAIL,
            Text("無法建立加密連線", "TLS connection failed"),
            PROTOCOL(host=host, error=exc.detail or exc.kind),
        )
    facts = {
        "protocol": report.protocol,
        "issuer": report.issuer,
        "subject": report.subject,
        "not_after": report.not_after,
        "client_cert_requested": report.client_cert_requested,
        "client_cert_cas": report.client_cert_cas,
    }
    findings: list[Finding] = []
    kinds = {
        "untrusted": lambda: UNTRUSTED(host=host, root=_root_name(report.issuer)),
        "expired": lambda: SERVER_EXPIRED(host=host),
        "not_yet_valid": lambda: SERVER_NOT_YET(host=host),
        "hostname": lambda: HOSTNAME(host=host),
        "protocol": lambda: PROTOCOL(host=host, error=report.detail[:160]),
    }
    if report.kind:
        findings.append(kinds[report.kind]())
    if report.client_cert_requested:
        findings.append(CLIENT_CERT(host=host))
    if report.ok:
        return result(
            Status.OK,
            Text(
                f"{host} 安全連線正常（{report.protocol}）", f"{host}: TLS OK ({report.protocol})"
            ),
            *findings,
            facts=facts,
        )
    return result(
        Status.FAIL, Text(f"{host} 安全連線有問題", f"{host}: TLS problem"), *findings, facts=facts
    )


@probe(
    "net.http",
    "登入網頁",
    "The login page",
    area="network",
    needs=("net.proxy",),
    wants=("net.tls",),
    timeout=10.0,
    codes=(FORBIDDEN, HTTP_ERROR, HTTP_FAILED),
)
def http(ctx: Context) -> Result:
    tls_res = ctx.results.get("net.tls")
    if tls_res is not None and tls_res.status not in (Status.OK, Status.WARN):
        return result(Status.SKIP, Text("安全連線有問題，略過", "Skipped: TLS problem"))
    url = ctx.config.targets.login_url
    try:
        report = http_get(
            url,
            ctx.config.timeouts.network,
            _proxy_spec(ctx),
            ctx.config.tls.ca_file,
            _resolver(ctx),
        )
    except NetError as exc:
        return result(
            Status.FAIL,
            Text("無法取得登入網頁", "Login page unavailable"),
            HTTP_FAILED(error=exc.detail or exc.kind),
        )
    except OSError as exc:
        return result(
            Status.FAIL,
            Text("無法取得登入網頁", "Login page unavailable"),
            HTTP_FAILED(error=str(exc)[:160]),
        )
    facts = {
        "status": report.status,
        "date_header": report.date_header,
        "received_at": report.received_at,
        "location": report.location,
    }
    if report.status == 403:
        return result(
            Status.FAIL,
            Text("登入網頁回應 403（未授權）", "Login page answered 403 (not authorised)"),
            FORBIDDEN(),
            facts=facts,
        )
    if report.status >= 400:
        return result(
            Status.WARN,
            Text(f"登入網頁回應 {report.status}", f"Login page answered {report.status}"),
            HTTP_ERROR(status=report.status, reason=report.reason),
            facts=facts,
        )
    return result(
        Status.OK,
        Text(f"登入網頁回應 {report.status}", f"Login page answered {report.status}"),
        facts=facts,
    )


PROBES = [proxy, dns, reach, tls, http]
