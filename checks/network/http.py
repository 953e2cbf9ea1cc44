"""``net.http``: the login page itself; a 403 means the server got no valid client
certificate (guide FAQ 2)."""

from __future__ import annotations

from checks.network.targets import login_host, route
from diagwizard.api import Context, FindingDef, Result, Status, Step, Text, found, ok, probe
from diagwizard.system.transport.handoff import VerifiedSockets
from diagwizard.system.transport.httpget import http_get
from diagwizard.system.transport.tcp import NetError, NetErrorKind
from diagwizard.system.transport.tls import CaFileError, trust_context

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

PAGE_SILENT = FindingDef(
    "net.E043",
    Text(
        "{host} 接受了連線，但 {seconds} 秒內沒有回應登入網頁的要求",
        "{host} accepted the connection but did not answer the request for the login page "
        "within {seconds} s",
    ),
)
PAGE_DROPPED = FindingDef(
    "net.E044",
    Text(
        "{host} 在回應登入網頁前中斷了連線（瀏覽器會顯示 {browser}）",
        "{host} dropped the connection before answering with the login page (browsers show "
        "{browser})",
    ),
)

_UNAVAILABLE = Text("無法取得登入網頁", "Login page unavailable")


@probe(
    "net.http",
    "登入網頁",
    "The login page",
    area="network",
    step=Step.NETWORK,
    explained_by="net.tls",
    needs=("net.proxy",),
    wants=("net.tls",),
    timeout=10.0,
)
def http(ctx: Context) -> Result:
    tls_res = ctx.results.get("net.tls")
    if tls_res is not None and not tls_res.status.passed:
        # net.tls already names the problem; the page cannot load without it.
        return found(
            summary=Text("安全連線有問題，略過", "Skipped: TLS problem"), status=Status.SKIP
        )
    handoff = ctx.resources.get(VerifiedSockets)  # net.tls's verified connection, if any
    host = login_host(ctx)[0]
    try:
        answer = http_get(
            ctx.config.targets.login_url,
            route(ctx),
            handoff.context or trust_context(ctx.config.tls.ca_file),
            handoff.take("{}:{}".format(*login_host(ctx))),
        )
    except CaFileError:  # net.tls names the setting
        return found(
            summary=Text("安全連線有問題，略過", "Skipped: TLS problem"), status=Status.SKIP
        )
    except NetError as exc:
        if exc.kind == NetErrorKind.NO_RESPONSE:
            return found(PAGE_SILENT(host=host, seconds=exc.detail), summary=_UNAVAILABLE)
        if exc.kind == NetErrorKind.DROPPED:
            return found(PAGE_DROPPED(host=host, browser=exc.detail), summary=_UNAVAILABLE)
        return found(HTTP_FAILED(error=exc.detail or exc.kind), summary=_UNAVAILABLE)
    except OSError as exc:
        return found(HTTP_FAILED(error=str(exc)[:160]), summary=_UNAVAILABLE)
    facts = {
        "status": answer.status,
        "date_header": answer.date_header,
        "received_at": answer.received_at,
        "location": answer.location,
    }
    if answer.status == 403:
        return found(
            FORBIDDEN(),
            summary=Text("登入網頁回應 403（未授權）", "Login page answered 403 (not authorised)"),
            facts=facts,
        )
    answered = Text(f"登入網頁回應 {answer.status}", f"Login page answered {answer.status}")
    if answer.status >= 400:
        return found(
            HTTP_ERROR(status=answer.status, reason=answer.reason), summary=answered, facts=facts
        )
    return ok(answered, facts=facts)
