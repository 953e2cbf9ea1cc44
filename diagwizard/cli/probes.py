"""``diagwizard probes``: what is registered, from where, for which platforms."""

from __future__ import annotations

import argparse
import json
from typing import Any

from diagwizard import config, registry
from diagwizard.i18n import resolve_lang


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
            "isolated": p.isolated,
            "builtin": reg.origins[p.id].builtin,
            "codes": [c.code for c in p.codes],
        }
        for p in reg
    ]
    problems = [{"source": pr.source, "code": pr.finding.code} for pr in reg.problems]
    if args.json:
        print(json.dumps({"probes": rows, "problems": problems}, ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("id", "title", "area", "needs", "platforms"):
        table.add_column(col)
    for r in rows:
        plat = "all" if len(r["platforms"]) == 3 else ",".join(r["platforms"])
        mark = "" if r["builtin"] else " (plugin)"
        table.add_row(r["id"] + mark, r["title"], r["area"], ",".join(r["needs"]), plat)
    console = Console()
    console.print(table)
    for pr in problems:
        console.print(f"[red]✘[/] plugin {pr['source']}: {pr['code']}")
    return 0
