"""``diagwizard probes``: what is registered, from where, for which platforms."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from diagwizard.core import config
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.model import Area, Platform
from diagwizard.core.text import Text
from diagwizard.engine import registry

HEADERS = {
    "id": Text("代碼", "id"),
    "title": Text("檢查項目", "title"),
    "area": Text("類別", "area"),
    "needs": Text("需要先檢查", "needs"),
    "platforms": Text("平台", "platforms"),
    "all": Text("全部", "all"),
    "plugin": Text("（外掛）", " (plugin)"),
    "plugin_bad": Text("外掛", "plugin"),
}


def cmd_probes(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    reg = registry.load(plugins=not args.no_plugins)
    rows: list[dict[str, Any]] = [
        {
            "id": p.id,
            "title": p.title.get(lang),
            "area": p.area,
            "needs": list(p.needs),
            "platforms": sorted(p.platforms),
            "timeout": p.timeout,
            "isolated": p.isolated or p.isolates_calls,
            "builtin": reg.origins[p.id].builtin,
            "codes": [c.code for c in p.codes],
        }
        for p in reg
    ]
    problems = [{"source": pr.source, "code": pr.finding.code} for pr in reg.problems]
    if args.json:
        print(json.dumps({"probes": rows, "problems": problems}, ensure_ascii=False, indent=2))
        return 0
    table = Table(box=None, pad_edge=False)
    for col in ("id", "title", "area", "needs", "platforms"):
        table.add_column(HEADERS[col].get(lang))
    for r in rows:
        every = len(r["platforms"]) == len(Platform)
        plat = HEADERS["all"].get(lang) if every else ",".join(r["platforms"])
        mark = "" if r["builtin"] else HEADERS["plugin"].get(lang)
        area = Area(r["area"]).heading.get(lang)  # a probe's area is checked when it is made
        table.add_row(r["id"] + mark, r["title"], area, ",".join(r["needs"]), plat)
    console = Console()
    console.print(table)
    for pr in problems:
        console.print(f"[red]✘[/] {HEADERS['plugin_bad'].get(lang)} {pr['source']}: {pr['code']}")
    return 0
