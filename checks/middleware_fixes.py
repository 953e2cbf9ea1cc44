"""Fix for ``middleware.hipki``: the component reports an untrusted site (0x76000031).

After consent, the login site from the configuration is added through the component's
``/addDomain?domain=`` endpoint (see DOMAIN.md). Nothing else is contacted.
"""

from __future__ import annotations

import urllib.parse

from checks.middleware import HIPKI_RET
from diagwizard.api import Text
from diagwizard.api.fix import Change, Fix, FixContext, FixFailed, Plan, found
from diagwizard.system.transport.hipki_domains import AddDomainFailed, add_domain, add_domain_url

UNTRUSTED = HIPKI_RET["unauthorised_site"]
FAILED = Text("元件沒有接受：{reason}", "The component did not accept it: {reason}")


def plan_add(ctx: FixContext) -> Plan | None:
    if not found(ctx, "middleware.hipki", UNTRUSTED.code):
        return None
    host = urllib.parse.urlsplit(ctx.config.targets.login_url).hostname
    if not host:
        return None
    url = add_domain_url(ctx.config.hipki.base_url, host)
    change = Change(
        Text(
            f"將登入網站 {host} 加入跨平台網頁元件的信任網站（GET {url}）",
            f"Add the login site {host} to the HiPKI Local Server's trusted sites (GET {url})",
        )
    )
    return Plan((change,), {"host": host})


def apply_add(ctx: FixContext, plan: Plan) -> None:
    try:
        add_domain(ctx.config.hipki.base_url, plan.data["host"], ctx.config.timeouts.network)
    except AddDomainFailed as exc:
        raise FixFailed(FAILED, reason=str(exc)) from None
    return None


ADD_DOMAIN = Fix(
    id="middleware.hipki_add_domain",
    title=Text(
        "將登入網站加入跨平台網頁元件的信任網站",
        "Add the login site to the HiPKI Local Server's trusted sites",
    ),
    codes=(UNTRUSTED.code,),
    probes=("middleware.hipki",),
    undo_text=Text(
        "元件沒有提供移除網站的功能；要移除請重新安裝跨平台網頁元件",
        "The component offers no way to remove a site; reinstall the HiPKI Local Server to reset it",
    ),
    plan=plan_add,
    apply=apply_add,
)
