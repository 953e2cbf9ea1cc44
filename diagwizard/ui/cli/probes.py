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
from diagwizard.core.words import terminal
from diagwizard.engine import registry

COLUMNS = (
    terminal.PROBES_COLUMN_ID,
    terminal.PROBES_COLUMN_TITLE,
    terminal.PROBES_COLUMN_AREA,
    terminal.PROBES_COLUMN_NEEDS,
    terminal.PROBES_COLUMN_PLATFORMS,
)


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
    for column in COLUMNS:
        table.add_column(column.get(lang))
    for r in rows:
        every = len(r["platforms"]) == len(Platform)
        plat = terminal.PROBES_ALL_PLATFORMS.get(lang) if every else ",".join(r["platforms"])
        mark = "" if r["builtin"] else terminal.PROBES_PLUGIN_MARK.get(lang)
        area = Area(r["area"]).heading.get(lang)  # a probe's area is checked when it is made
        table.add_row(r["id"] + mark, r["title"], area, ",".join(r["needs"]), plat)
    console = Console()
    console.print(table)
    for pr in problems:
        console.print(f"[red]✘[/] {terminal.PROBES_PLUGIN.get(lang)} {pr['source']}: {pr['code']}")
    return 0
