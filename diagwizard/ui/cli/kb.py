"""``diagwizard kb list|show|search``: browse and search the knowledge base."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from rapidfuzz import fuzz, process
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table
from rich.text import Text as RichText

from diagwizard.core import config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.words import terminal
from diagwizard.core.words.common import OTHER_SYSTEMS_CLI
from diagwizard.engine import knowledge
from diagwizard.system.adapters import system_name
from diagwizard.ui.textwrap_cjk import wrap_rich
from kb.markdown import entry_markdown, other_systems
from kb.search import MAX_QUERY


def _rows(lang: str) -> list[dict[str, Any]]:
    kb = knowledge.load()
    rows = []
    for e in kb.ordered():
        rows.append(
            {"id": e.id, "kind": e.kind, "guide": e.guide, "era": e.era, "title": e.title.get(lang)}
        )
        for i, step in enumerate(e.steps, 1):
            rows.append(
                {
                    "id": f"{e.id}/{i}",
                    "kind": "step",
                    "guide": e.guide,
                    "era": e.era,
                    "title": f"{i}. {step.title.get(lang)}",
                }
            )
    return rows


def cmd_kb(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    console = Console(highlight=False)
    if args.kb_command == "list":
        rows = _rows(lang)
        if args.json:
            print(json.dumps({"entries": rows}, ensure_ascii=False, indent=2))
            return 0
        table = Table(box=None, pad_edge=False, show_header=True)
        table.add_column("id", no_wrap=True, style="bold")
        table.add_column(terminal.KB_COLUMN_KIND.get(lang), no_wrap=True)
        table.add_column(terminal.KB_COLUMN_TITLE.get(lang), overflow="fold")
        for r in rows:
            kinds = terminal.KB_KINDS
            kind = kinds[r["kind"]].get(lang) if r["kind"] in kinds else ""
            if r["era"] == "legacy" and r["kind"] != "step":
                kind += terminal.KB_LEGACY.get(lang)
            table.add_row(("  " if r["kind"] == "step" else "") + r["id"], kind, r["title"])
        console.print(table)
        return 0
    if args.kb_command == "show":
        kb = knowledge.load()
        entry_id = args.id.split("/")[0]
        entry = kb.entries.get(entry_id)
        if entry is None:
            close = closest_ids(entry_id, list(kb.entries))
            if close:
                raise UserError(terminal.KB_NO_ENTRY_CLOSE, id=args.id, close=", ".join(close))
            raise UserError(terminal.KB_NO_ENTRY, id=args.id)
        platform = None if args.os == "all" else (args.os or system_name())
        console.print(Markdown(entry_markdown(entry, kb, lang, platform=platform)))
        if platform is not None and (others := other_systems(entry, platform)):
            hint = OTHER_SYSTEMS_CLI.get(lang, id=entry.id, others="|".join([*others, "all"]))
            console.print(f"[dim]{escape(hint)}[/]")
        return 0
    # search
    query = " ".join(args.text)
    if len(query) > MAX_QUERY:
        print(terminal.KB_QUERY_TOO_LONG.get(lang, n=len(query), max=MAX_QUERY), file=sys.stderr)
        query = query[:MAX_QUERY]
    hits = knowledge.search(query, limit=args.limit)
    if args.json:
        out = [
            {
                "id": h.entry.id,
                "score": h.score,
                "weak": h.weak,
                "title": h.entry.title.get(lang),
                "words": list(h.words),
                "evidence": [{"what": what, "points": points} for what, points in h.evidence],
            }
            for h in hits
        ]
        doc = {"query": query, "weak": bool(hits) and hits[0].weak, "results": out}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        console.print(terminal.KB_NO_MATCH.get(lang))
        return 0
    if hits[0].weak:
        console.print(f"[yellow]{escape(terminal.KB_WEAK_NOTE.get(lang))}[/]")
    because = terminal.KB_MATCHED.get(lang)
    sep = ", " if lang == "en" else "、"
    width = max(console.width, 40)
    indent = " " * 7  # under the id: an id of any length never pushes the title aside
    for h in hits:
        weak = terminal.KB_WEAK.get(lang) if h.weak else ""  # beside the id: never wrapped
        title = RichText(h.entry.title.get(lang))
        matched = RichText(because + sep.join(h.words), style="dim")
        console.print(f"[bold]{h.score:5.1f}[/]  {escape(h.entry.id + weak)}")
        console.print(wrap_rich(title, width, indent), soft_wrap=True)
        console.print(wrap_rich(matched, width, indent), soft_wrap=True)
    return 0


def closest_ids(wanted: str, ids: list[str], limit: int = 3) -> list[str]:
    """Entry ids close to a mistyped one: ``faq6`` -> ``faq06-token-locked``."""

    def norm(s: str, **_kw: object) -> str:
        return re.sub(r"(?<=[a-z])0(?=\d)", "", s.lower())  # faq06 ~ faq6

    found = process.extract(
        wanted, ids, scorer=fuzz.WRatio, processor=norm, score_cutoff=70, limit=limit
    )
    return [match for match, score, _i in found if score >= found[0][1] - 10]
