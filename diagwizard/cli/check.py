"""``diagwizard check``: run the probes and print readable lines or one JSON document."""

from __future__ import annotations

import argparse
import json
import sys

from diagwizard import config, knowledge
from diagwizard.engine import Engine
from diagwizard.errors import UserError
from diagwizard.i18n import T, resolve_lang
from diagwizard.redact import Redactor
from diagwizard.report_json import build_document


def cmd_check(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    engine = Engine.create(cfg, plugins=not args.no_plugins)
    try:
        knowledge.load()
    except UserError as exc:  # the check still runs; only the fix links are missing
        print(f"diagwizard: {exc.render(lang)}", file=sys.stderr)
    redactor = Redactor(enabled=not args.include_personal)

    if args.json:
        report = engine.run(args.only)
        doc = build_document(
            engine.probes,
            report.results,
            lang=lang,
            platform=engine.platform,
            started_at=report.started_at,
            duration_ms=report.duration_ms,
            kb_for=knowledge.entries_for_code,
            redactor=redactor,
        )
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        from diagwizard.cli.render import LiveLines

        with LiveLines(engine.probes, lang, redactor) as live:
            report = engine.run(args.only, live.callbacks())
            live.summary(report.results)
    if args.include_personal:
        print(T["personal_included"].get(lang), file=sys.stderr)
    return 1 if any(r.status.is_problem for r in report.results.values()) else 0
