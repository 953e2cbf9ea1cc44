"""``net.tls``: whether this computer trusts the login site's certificate (the OS trust
store, as the browser does), and whether the site asks for the card's certificate."""

from __future__ import annotations

from checks.network.targets import login_host, route
from diagwizard.api import Context, Finding, FindingDef, Result, Status, Step, Text, found, probe
from diagwizard.system.transport.handoff import ReachedSockets, VerifiedSockets
from diagwizard.system.transport.tcp import NetError
from diagwizard.system.transport.tls import TlsHandshake, TlsProblem, tls_check, trust_context

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

GRCA_HINTS = ("Government Root Certification Authority", "GRCA", "政府憑證總管理中心")


def _root_name(issuer: str) -> str:
    for hint in GRCA_HINTS:
        if hint in issuer:
            return "GRCA（政府憑證總管理中心）" if hint != "GRCA" else "GRCA"
    for part in issuer.split(","):
        if part.startswith("CN="):
            return part[3:]
    return issuer or "?"


def _problem(host: str, shake: TlsHandshake) -> Finding:
    match shake.problem:
        case TlsProblem.EXPIRED:
            return SERVER_EXPIRED(host=host)
        case TlsProblem.NOT_YET_VALID:
            return SERVER_NOT_YET(host=host)
        case TlsProblem.HOSTNAME:
            return HOSTNAME(host=host)
        case TlsProblem.PROTOCOL:
            return PROTOCOL(host=host, error=shake.detail[:160])
    return UNTRUSTED(host=host, root=_root_name(shake.issuer))


def _login_unreachable(ctx: Context, target: str) -> bool:
    reach = ctx.results.get("net.reach")
    rows = reach.fact("targets") or [] if reach is not None else []
    return any(r["target"] == target and not r["ok"] for r in rows)


@probe(
    "net.tls",
    "安全連線（TLS）",
    "Secure connection (TLS)",
    area="network",
    step=Step.NETWORK,
    explained_by="net.reach",
    needs=("net.proxy",),
    wants=("net.reach",),
    timeout=10.0,
)
def tls(ctx: Context) -> Result:
    host, port = login_host(ctx)
    if _login_unreachable(ctx, f"{host}:{port}"):
        # net.reach already failed for this site; a second failure would say nothing new.
        return found(
            summary=Text("登入網站連不上，無法檢查", "The login site is unreachable"),
            status=Status.SKIP,
        )
    target = f"{host}:{port}"
    try:
        context = trust_context(ctx.config.tls.ca_file)  # the run's one; net.http reuses it
        sock = ctx.resources.get(ReachedSockets).take(target)
        shake, verified = tls_check(host, port, route(ctx), context, sock)
    except (NetError, OSError) as exc:  # OSError: the configured CA file is unreadable
        error = exc.detail or exc.kind if isinstance(exc, NetError) else str(exc)[:160]
        return found(
            PROTOCOL(host=host, error=error),
            summary=Text("無法建立加密連線", "TLS connection failed"),
        )
    facts = {
        "protocol": shake.protocol,
        "issuer": shake.issuer,
        "subject": shake.subject,
        "not_after": shake.not_after,
        "client_cert_requested": shake.client_cert_requested,
        "client_cert_cas": shake.client_cert_cas,
    }
    findings = [_problem(host, shake)] if shake.problem else []
    if shake.client_cert_requested:
        findings.append(CLIENT_CERT(host=host))
    summary = (
        Text(f"{host} 安全連線正常（{shake.protocol}）", f"{host}: TLS OK ({shake.protocol})")
        if shake.ok
        else Text(f"{host} 安全連線有問題", f"{host}: TLS problem")
    )
    handoff = ctx.resources.get(VerifiedSockets)
    handoff.context = context
    if verified is not None:
        handoff.put(target, verified)  # net.http asks for the login page over it
    return found(*findings, summary=summary, facts=facts)
