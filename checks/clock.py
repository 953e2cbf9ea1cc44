"""``sys.clock``: is the local clock close to the login server's? Certificate validity and
TLS both depend on it. Uses the Date header ``net.http`` already received: no extra traffic."""

from __future__ import annotations

import email.utils

from diagwizard.api import Context, FindingDef, Result, Step, Text, found, ok, probe, skipped

SKEWED = FindingDef(
    "sys.E050",
    Text(
        "電腦時間比伺服器{direction} {minutes} 分鐘",
        "The computer's clock is {minutes} minutes {direction_en} the server's",
    ),
)
NO_DATE = FindingDef(
    "sys.I051", Text("伺服器沒有提供時間，無法比對", "The server sent no time to compare with")
)


@probe(
    "sys.clock",
    "系統時間",
    "System clock",
    area="system",
    step=Step.CLOCK,
    explained_by="net.http",
    wants=("net.http",),
    timeout=2.0,
)
def clock(ctx: Context) -> Result:
    http = ctx.results.get("net.http")  # any answer, even a 403, carries the server's Date
    if http is None or http.fact("status") is None:  # no answer at all: nothing to compare
        return skipped(
            Text("登入網站沒有回應，無法比對時間", "The login site did not answer: not compared")
        )
    header = (http.fact("date_header") if http else "") or ""
    received = http.fact("received_at") if http else None
    try:
        server = email.utils.parsedate_to_datetime(header).timestamp() if header else None
    except (TypeError, ValueError, IndexError):
        server = None
    if server is None or received is None:
        return skipped(Text("無法比對時間", "Clock not compared"), NO_DATE())
    skew = float(received) - server
    facts = {"skew_seconds": round(skew, 1), "threshold_seconds": ctx.config.clock.max_skew_seconds}
    if abs(skew) > ctx.config.clock.max_skew_seconds:
        minutes = round(abs(skew) / 60)
        ahead = skew > 0
        return found(
            SKEWED(
                minutes=minutes,
                direction="快" if ahead else "慢",
                direction_en="ahead of" if ahead else "behind",
            ),
            facts=facts,
        )
    return ok(
        Text(f"時間正確（差 {abs(skew):.0f} 秒）", f"Clock OK (off by {abs(skew):.0f} s)"),
        facts=facts,
    )
