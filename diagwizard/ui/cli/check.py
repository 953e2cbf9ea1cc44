"""``diagwizard check``: run the probes; readable lines or one JSON document; reports.

What only the output needs (the knowledge base; the case-code book, a generated table;
the outcome and report modules) is loaded on a thread while the probes run (issue 15),
so it overlaps their waits for the card and the child.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from diagwizard.core import config
from diagwizard.core.errors import UserError
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.redact import Redactor
from diagwizard.core.sanitize import json_text
from diagwizard.core.words import terminal
from diagwizard.core.words.fixes import CHECK_HINT
from diagwizard.engine.engine import Engine
from diagwizard.engine.runner import RunResults

if TYPE_CHECKING:
    from diagwizard.diagnosis.outcome import RunOutcome
    from diagwizard.diagnosis.session import Diagnosis


class Afterwards(threading.Thread):
    """Loads, beside the probes, what turning their results into output needs."""

    def __init__(self, symptom: bool = False) -> None:
        super().__init__(name="check:afterwards", daemon=True)
        self.symptom = symptom  # also build the symptom search's index (about 0.3 s)
        self.kb_error: UserError | None = None
        self.crash: Exception | None = None
        self.start()

    def run(self) -> None:
        try:
            from diagwizard.engine import knowledge  # lazy: start-up time (issue 15)

            for ready in ("diagwizard.diagnosis.session", "diagwizard.diagnosis.casecode"):  # for the outcome
                import_module(ready)
            try:
                knowledge.load()
                if self.symptom:
                    knowledge.symptom_index()
            except UserError as exc:  # the check still runs; only the fix links are missing
                self.kb_error = exc
        except Exception as exc:  # a bug: raised again on the main thread, no traceback here
            self.crash = exc

    def ready(self, lang: str) -> None:
        self.join()
        if self.crash is not None:
            raise self.crash
        if self.kb_error is not None:
            print(f"diagwizard: {self.kb_error.render(lang)}", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    report = getattr(args, "report", None)
    if report is not None and not report.strip():
        raise UserError(terminal.NEEDS_FILE_NAME)
    report_path = Path(report) if report else None
    fmt = ""
    if report_path is not None:
        from diagwizard.ui import reports  # lazy: start-up time, only with --report

        fmt = reports.format_for(report_path, getattr(args, "format", None))
    engine = Engine.create(cfg, plugins=not args.no_plugins, only=args.only)
    only = engine.resolve_only(args.only)
    symptom = getattr(args, "symptom", "")
    later = Afterwards(symptom=bool(symptom))
    if args.json:
        run = engine.run(only)
        evidence, result = _outcome(engine, run, later, symptom, lang)
    else:
        from diagwizard.ui.cli.render import LiveLines  # lazy: rich, only for readable output

        own = Redactor(enabled=args.redact)  # the person's own screen, unless --redact
        with LiveLines(engine.probes, lang, own, verbose=args.verbose) as live:
            run = engine.run(only, live.callbacks())
            evidence, result = _outcome(engine, run, later, symptom, lang)
            live.summary(result)
        _fix_hint(run.results, engine.platform, lang)
    doc = result.for_export(lang, redact=not args.include_personal)
    if args.json:  # stdout is the export here; --redact still wins for the screen
        shown = result.for_export(lang) if args.redact else doc
        sys.stdout.write(json_text(json.dumps(shown, ensure_ascii=False, indent=2)) + "\n")
    elif result.case_code:
        colon = ": " if lang == "en" else "："
        print(f"{terminal.CASE_CODE_LINE.get(lang)}{colon}{result.case_code}")
    if report_path is not None:
        from diagwizard.ui import reports  # lazy: start-up time, only with --report

        evidence.results = dict(run.results)
        reports.write(report_path, reports.render(doc, evidence, lang, fmt))
        print(terminal.REPORT_WRITTEN.get(lang, path=str(report_path)), file=sys.stderr)
    if args.include_personal and ((args.json and not args.redact) or report_path is not None):
        print(terminal.PERSONAL_INCLUDED.get(lang), file=sys.stderr)  # only where it is true
    return result.exit_code


def _outcome(
    engine: Engine, run: RunResults, later: Afterwards, symptom: str, lang: str
) -> tuple[Diagnosis, RunOutcome]:
    """The person's evidence and the run's outcome, once ``later`` has loaded the KB."""
    from diagwizard.diagnosis import casecode, outcome  # lazy: start-up time (loaded by Afterwards)
    from diagwizard.diagnosis.session import Diagnosis  # lazy: start-up time (loaded by Afterwards)

    later.ready(lang)
    evidence = Diagnosis(dict(engine.probes))
    if symptom:
        evidence.note_symptom(symptom)
    return evidence, outcome.build(
        engine.probes,
        run.results,
        platform=engine.platform,
        answers=evidence.answers,
        symptom=evidence.symptom,
        symptom_entry=evidence.symptom_entry,
        started_at=run.started_at,
        duration_ms=run.duration_ms,
        case_code=casecode.code_for(run.results, dict(evidence.answers), engine.platform),
    )


def _fix_hint(results: dict, platform: str, lang: str) -> None:
    """Point at ``diagwizard fix`` when a fix addresses something found."""
    from diagwizard.engine.registry import fixable_codes  # lazy: start-up time

    codes = fixable_codes(platform)
    n = sum(1 for r in results.values() if any(f.code in codes for f in r.findings))
    if n:
        print(CHECK_HINT.get(lang, n=n))
