"""``net.proxy``: which proxy the login site is reached through (guide FAQ 1, "check your
browser's proxy settings"). The discovery itself is in ``transport/proxy.py``."""

from __future__ import annotations

from checks.network.targets import login_host
from diagwizard.api import Context, Finding, FindingDef, Result, Step, Text, found, probe
from diagwizard.system.transport.proxy import DIRECT, discover
from diagwizard.system.transport.tcp import ProxySpec

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


@probe(
    "net.proxy",
    "Proxy 設定",
    "Proxy settings",
    area="network",
    step=Step.NETWORK,
    timeout=6.0,
)
def proxy(ctx: Context) -> Result:
    os_proxy = ctx.os.proxy_settings()
    chosen = discover(
        ctx.config.proxy.url,
        ctx.config.proxy.pac_url,
        os_proxy,
        ctx.config.targets.login_url,
        login_host(ctx)[0],
        ctx.config.timeouts.network,
    )
    findings: list[Finding] = []
    if chosen.pac_error:
        findings.append(PAC_FAILED(url=chosen.pac_url, error=chosen.pac_error))
    if chosen.socks:
        findings.append(SOCKS_PROXY(proxy=chosen.socks))
    if os_proxy.auto_detect:
        findings.append(AUTO_DETECT())
    choice = chosen.proxy
    if choice != DIRECT:
        try:
            spec = ProxySpec.parse(choice)
            choice = f"{spec.host}:{spec.port}"
            findings.append(USING_PROXY(proxy=choice, source=chosen.source))
        except ValueError:
            findings.append(BAD_PROXY(value=choice))
            choice = DIRECT
    facts = {
        "proxy": choice,
        "source": chosen.source,
        "pac_url": chosen.pac_url,
        "os_source": os_proxy.source,
        "bypass": list(os_proxy.bypass),
    }
    personal = {"proxy_url": ctx.config.proxy.url} if "@" in ctx.config.proxy.url else {}
    summary = (
        Text("直接連線（不經 Proxy）", "Direct connection (no proxy)")
        if choice == DIRECT
        else Text(f"經由 Proxy {choice}", f"Through proxy {choice}")
    )
    return found(*findings, summary=summary, facts=facts, personal=personal)
