"""``net.tls``: whether this computer trusts the login site's certificate (the OS trust
store, as the browser does), and whether the site asks for the card's certificate."""

from __future__ import annotations

from checks.network.targets import login_host, route
from diagwizard.api import Context, Finding, FindingDef, Result, Status, Step, Text, found, probe
from diagwizard.system.transport.handoff import ReachedSockets, VerifiedSockets
from diagwizard.system.transport.tcp import NetError
from diagwizard.system.transport.tls import (
    CaFileError,
    TlsHandshake,
    TlsProblem,
    tls_check,
    trust_context,
)

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
UNTRUSTED_ROOT = FindingDef(
    "net.E036",
    Text(
        "{host} 的憑證來自這台電腦不信任的「{root}」：可能有設備攔截並改寫加密連線",
        "{host}'s certificate chains to “{root}”, which this computer does not trust: a "
        "device may be intercepting the secure connection",
    ),
)
SITE_SILENT = FindingDef(
    "net.E037",
    Text(
        "{host} 接受了連線，但 {seconds} 秒內沒有任何回應",
        "{host} accepted the connection but sent nothing back within {seconds} s",
    ),
)
HANDSHAKE_TIMEOUT = FindingDef(
    "net.E038",
    Text(
        "與 {host} 的加密連線（TLS 交握）開始了，但 {seconds} 秒內沒有完成",
        "The secure connection (TLS handshake) with {host} began but did not finish "
        "within {seconds} s",
    ),
)
SITE_DROPPED = FindingDef(
    "net.E039",
    Text(
        "{host} 在建立加密連線時中斷了連線（瀏覽器會顯示 {browser}）",
        "{host} dropped the connection during the secure-connection handshake (browsers "
        "show {browser})",
    ),
)
CA_FILE_NOT_FILE = FindingDef(
    "net.E046",
    Text(
        "設定 [tls] ca_file 指向 {path}，它不是一般檔案（例如資料夾或具名管道），無法讀取",
        "The setting [tls] ca_file points to {path}, which is not a regular file (a "
        "folder or a named pipe, say) and cannot be read",
    ),
)
CA_FILE_UNREADABLE = FindingDef(
    "net.E047",
    Text(
        "無法使用設定 [tls] ca_file 指定的憑證檔 {path}：{error}",
        "The certificate file {path} set in [tls] ca_file cannot be used: {error}",
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
GRCA = "GRCA（政府憑證總管理中心）"


def _is_grca(name: str) -> bool:
    return any(hint in name for hint in GRCA_HINTS)


def _common_name(name: str) -> str:
    for part in name.split(","):
        if part.startswith("CN="):
            return part[3:]
    return name or "?"


# What a browser says for each way a site stops answering (the KB lists these words).
BROWSER_WORDS = {
    TlsProblem.RESET: "ERR_CONNECTION_RESET",
    TlsProblem.CLOSED: "ERR_CONNECTION_CLOSED",
}


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
        case TlsProblem.SILENT:
            return SITE_SILENT(host=host, seconds=shake.detail)
        case TlsProblem.STALLED:
            return HANDSHAKE_TIMEOUT(host=host, seconds=shake.detail)
        case TlsProblem.RESET | TlsProblem.CLOSED:
            return SITE_DROPPED(host=host, browser=BROWSER_WORDS[shake.problem])
    # GRCA is named only where the chain the site sent really ends at the GRCA root.
    root = shake.root or shake.issuer
    if _is_grca(root):
        return UNTRUSTED(host=host, root=GRCA)
    return UNTRUSTED_ROOT(host=host, root=_common_name(root))


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
    except CaFileError as exc:  # a setting of this tool, not the site: said as such
        bad = (
            CA_FILE_NOT_FILE(path=exc.path)
            if exc.kind == "not_file"
            else CA_FILE_UNREADABLE(path=exc.path, error=exc.detail)
        )
        return found(
            bad, summary=Text("設定 [tls] ca_file 有問題", "The [tls] ca_file setting is wrong")
        )
    try:
        sock = ctx.resources.get(ReachedSockets).take(target)
        shake, verified = tls_check(host, port, route(ctx), context, sock)
    except (NetError, OSError) as exc:
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
        "root": shake.root,
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
