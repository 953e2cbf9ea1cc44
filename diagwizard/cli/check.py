"""``diagwizard check``: run the probes; readable lines or one JSON document; reports."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from diagwizard import casecode, config, knowledge, outcome, reports
from diagwizard.diagnosis import Diagnosis
from diagwizard.engine import Engine
from diagwizard.errors import UserError
from diagwizard.fixes import fixable_codes
from diagwizard.fixes.text import FIX_WORDS
from diagwizard.i18n import resolve_lang
from diagwizard.outcome import RunOutcome
from diagwizard.redact import Redactor
from diagwizard.runner import RunResults
from diagwizard.sanitize import json_text
from diagwizard.text import Text

CASE_CODE_LINE = Text("案件代碼（請告訴客服人員）", "Case code (read it to the helpdesk)")
REPORT_WRITTEN = Text("報告已寫入 {path}", "Report written to {path}")
PERSONAL_INCLUDED = Text(
    "注意：輸出包含個人資料（姓名、卡號等），請勿任意分享。",
    "Warning: the output includes personal data (names, card numbers); do not share it freely.",
)
NEEDS_FILE_NAME = Text("--report 需要一個檔名", "--report needs a file name")


def cmd_check(args: argparse.Namespace) -> int:
    cfg = config.load(args.config)
    lang = resolve_lang(args.lang, cfg.lang)
    report = getattr(args, "report", None)
    if report is not None and not report.strip():
        raise UserError(NEEDS_FILE_NAME)
    report_path = Path(report) if report else None
    fmt = reports.format_for(report_path, getattr(args, "format", None)) if report_path else ""
    engine = Engine.create(cfg, plugins=not args.no_plugins)
    only = engine.resolve_only(args.only)
    try:
        knowledge.load()
    except UserError as exc:  # the check still runs; only the fix links are missing
        print(f"diagwizard: {exc.render(lang)}", file=sys.stderr)

    evidence = Diagnosis(dict(engine.probes))
    if getattr(args, "symptom", ""):
        evidence.note_symptom(args.symptom)
    if args.json:
        run = engine.run(only)
        result = _outcome(engine, run, evidence)
    else:
        from diagwizard.cli.render import LiveLines  # lazy: rich, only for readable output

        own = Redactor(enabled=args.redact)  # the person's own screen, unless --redact
        with LiveLines(engine.probes, lang, own, verbose=args.verbose) as live:
            run = engine.run(only, live.callbacks())
            result = _outcome(engine, run, evidence)
            live.summary(result)
        _fix_hint(run.results, engine.platform, lang)
    doc = result.for_export(lang, redact=not args.include_personal)
    if args.json:  # stdout is the export here; --redact still wins for the screen
        shown = result.for_export(lang) if args.redact else doc
        sys.stdout.write(json_text(json.dumps(shown, ensure_ascii=False, indent=2)) + "\n")
    elif result.case_code:
        print(f"{CASE_CODE_LINE.get(lang)}: {result.case_code}")
    if report_path is not None:
        diagnosis = evidence
        diagnosis.results = dict(run.results)
        reports.write(report_path, reports.render(doc, diagnosis, lang, fmt))
        print(REPORT_WRITTEN.get(lang, path=str(report_path)), file=sys.stderr)
    if args.include_personal and ((args.json and not args.redact) or report_path is not None):
        print(PERSONAL_INCLUDED.get(lang), file=sys.stderr)  # only where it is true
    return result.exit_code


def _outcome(engine: Engine, run: RunResults, evidence: Diagnosis) -> RunOutcome:
    return outcome.build(
        engine.probes,
        run.results,
        platform=engine.platform,
        answers=evidence.answers,
        symptom=evidence.symptom,
        symptom_entry=evidence.symptom_entry,
        started_at=run.started_at,
        duration_ms=run.duration_ms,
        case_code=case_code(engine, run.results, evidence.answers),
    )


def _fix_hint(results: dict, platform: str, lang: str) -> None:
    """Point at ``diagwizard fix`` when a fix addresses something found."""
    codes = fixable_codes(platform)
    n = sum(1 for r in results.values() if any(f.code in codes for f in r.findings))
    if n:
        print(FIX_WORDS["check_hint"].get(lang, n=n))


def case_code(engine: Engine, results: dict, answers: dict[str, str] | None = None) -> str:
    """The helpdesk code ("" if a broken KB file keeps it from being made)."""
    try:
        return casecode.code_for(results, dict(answers or {}), engine.platform)
    except UserError:
        return ""
