"""Reports for the helpdesk: JSON (the check schema), Markdown, and one self-contained HTML
page. All three render the same redacted document, so redaction happens in one place
(``report_json.build_document``) and every format is equally private.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diagwizard.api.probe import Probe
from diagwizard.core import safefile
from diagwizard.core.errors import UserError
from diagwizard.core.model import Status
from diagwizard.core.redact import Redactor
from diagwizard.core.sanitize import clean, html_text, json_text, markdown_inline
from diagwizard.core.text import Text
from diagwizard.core.words.common import (
    CASE_CODE,
    CAUSED_BY_N,
    COLUMN_CHECK,
    COLUMN_STATUS,
    HELPLINE,
    PLATFORM_NAMES,
    PROBLEM_N,
)
from diagwizard.core.words.reports import (
    ANSWERS,
    BAD_FORMAT,
    CANNOT_WRITE,
    COLUMN_NOTE,
    DETAILS,
    DETAILS_NOTE,
    EVIDENCE,
    FIX_HEADING,
    META,
    NOT_REDACTED,
    PROBLEM_HEADING,
    PROBLEMS,
    REDACTED,
    RESULTS,
    TITLE,
    VERDICT_INCOMPLETE,
    VERDICT_OK,
    VERDICT_PROBLEMS,
)
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.engine import knowledge
from diagwizard.ui.textwrap_cjk import cell_width, wrap
from kb.markdown import fix_markdown

MD_WIDTH = 100  # lines a plain-text viewer shows without scrolling sideways

FORMATS = ("json", "md", "html")


def report_document(
    probes: Mapping[str, Probe],
    diagnosis: Diagnosis,
    *,
    lang: str,
    platform: str,
    started_at: float,
    duration_ms: int,
    redact: bool = True,
    case_code: str = "",
) -> dict[str, Any]:
    outcome = diagnosis.outcome(platform, case_code, started_at, duration_ms)
    return outcome.for_export(lang, redact=redact)


def _answers(diagnosis: Diagnosis, lang: str) -> list[tuple[str, str]]:
    return [(q.text.get(lang), o.label.get(lang)) for q, o in knowledge.answered(diagnosis.answers)]


def _status(value: str, lang: str) -> str:
    return Status(value).label.get(lang)


@dataclass
class ProblemPart:
    """One problem as a report shows it: what was found, the evidence, and its fix for
    the report's system headed by the KB entry's title."""

    headline: str
    conflict: str
    evidence: list[str]
    fix_heading: str
    fix: str  # Markdown


@dataclass
class Report:
    """What every report format shows, in order: the verdict, the problems with their
    fixes, the table of checks (with problem marks and skip reasons in words), the
    answers, then the ids and codes under the details heading. Texts are redacted like
    the document they come from."""

    verdict: str
    problems: list[ProblemPart]
    rows: list[tuple[str, str, str]]  # (status value, title, note)
    answers: list[tuple[str, str]]
    details: list[tuple[str, str, str]]  # (probe id, status value, finding codes)


def build_report(doc: dict[str, Any], diagnosis: Diagnosis, lang: str) -> Report:
    problems = doc.get("problems", [])
    number = {pid: n for n, p in enumerate(problems, 1) for pid in p.get("sources", ())}
    redactor = Redactor(enabled=bool(doc["redacted"]))
    redactor.learn(diagnosis.results.values())  # as the document learned them
    outcome = diagnosis.outcome(doc["platform"])  # the document's, with the problems' keys
    by_key = {p.key: n for n, p in enumerate(outcome.problems, 1)}
    skipped = outcome.skipped()
    by_id = {r["id"]: r for r in doc["results"]}
    seen = {f["code"] for r in doc["results"] for f in r["findings"]}
    seen |= {a.finding.code for a in diagnosis.answer_findings()}  # rule out steps too
    parts = [_problem_part(p, by_id, lang, doc["platform"], seen) for p in problems]
    rows = []
    for r in doc["results"]:
        note = r["summary"]
        if r["status"] == "skip" and r["id"] in skipped:
            note = redactor.text(skipped[r["id"]].get(lang))
        cause = outcome.cause(r["id"]) if r["id"] in outcome.results else None
        if cause in by_key:
            note = f"{CAUSED_BY_N.get(lang, n=by_key[cause])}{_colon(lang)}{note}"
        elif r["id"] in number:
            note = f"{PROBLEM_N.get(lang, n=number[r['id']])}{_colon(lang)}{note}"
        rows.append((r["status"], r["title"], note))
    details = [
        (r["id"], r["status"], ", ".join(f["code"] for f in r["findings"])) for r in doc["results"]
    ]
    return Report(_verdict(doc, lang), parts, rows, _answers(diagnosis, lang), details)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def _verdict(doc: dict[str, Any], lang: str) -> str:
    n = len(doc.get("problems", []))
    if n:
        return "✘ " + VERDICT_PROBLEMS.get(lang, n=n)
    if all(r["status"] == "skip" for r in doc["results"]) and not doc.get("symptom"):
        return VERDICT_INCOMPLETE.get(lang)
    return "✔ " + VERDICT_OK.get(lang)


def _problem_part(
    p: dict[str, Any], by_id: dict[str, Any], lang: str, platform: str, seen: set[str]
) -> ProblemPart:
    evidence: list[str] = []
    for pid in p.get("sources", ()):
        for f in by_id.get(pid, {}).get("findings", []):
            if f["severity"] != "info" and f["message"] not in (*evidence, p["message"]):
                evidence.append(f["message"])
    heading, fix = "", ""
    try:
        entry = knowledge.load().entries.get(p["kb"] or "")
    except UserError:  # a broken KB file: the problems and the table still report
        entry = None
    if entry is not None:
        os_name = PLATFORM_NAMES.get(platform, Text(platform, platform)).get(lang)
        heading = FIX_HEADING.get(lang, os=os_name, title=entry.title.get(lang))
        fix = fix_markdown(entry, lang, seen, platform)
    return ProblemPart(p["message"], p.get("conflict", ""), evidence, heading, fix)


def render_markdown(doc: dict[str, Any], diagnosis: Diagnosis, lang: str) -> str:
    report = build_report(doc, diagnosis, lang)
    m = markdown_inline
    lines = [
        f"# {TITLE.get(lang)}",
        "",
        META.get(lang, v=doc["tool_version"], platform=doc["platform"], time=doc["started_at"]),
        "",
    ]
    if doc.get("case_code"):
        lines += [f"**{CASE_CODE.get(lang)}{_colon(lang)}** `{doc['case_code']}`", ""]
    redaction = REDACTED if doc["redacted"] else NOT_REDACTED
    lines += [redaction.get(lang), "", f"**{m(report.verdict)}**", ""]
    if report.problems:
        lines += [f"## {PROBLEMS.get(lang, n=len(report.problems))}", ""]
    for n, part in enumerate(report.problems, 1):
        lines += [f"### {m(PROBLEM_HEADING.get(lang, n=n, headline=part.headline))}", ""]
        if part.conflict:
            lines += [_md_lines(part.conflict, "", ""), ""]
        if part.evidence:
            lines.append(EVIDENCE.get(lang))
            lines += [_md_lines(e, "- ", "  ") for e in part.evidence]
            lines.append("")
        if part.fix_heading:
            lines += [f"#### {m(part.fix_heading)}", "", part.fix.strip(), ""]
    lines += [f"## {RESULTS.get(lang)}", ""]
    columns = (COLUMN_STATUS, COLUMN_CHECK, COLUMN_NOTE)
    lines += ["| " + " | ".join(c.get(lang) for c in columns) + " |", "| --- | --- | --- |"]
    for status, title, note in report.rows:
        lines.append(f"| {_status(status, lang)} | {m(title)} | {m(note)} |")
    if report.answers:
        lines += ["", f"## {ANSWERS.get(lang)}", ""]
        lines += [_md_lines(f"{q} → {a}", "- ", "  ") for q, a in report.answers]
    lines += ["", f"## {DETAILS.get(lang)}", "", DETAILS_NOTE.get(lang), ""]
    lines += [
        f"- `{pid}` {status}{f' `{codes}`' if codes else ''}"
        for pid, status, codes in report.details
    ]
    lines += ["", "---", HELPLINE.get(lang), ""]
    return "\n".join(lines)


def _md_lines(text: str, lead: str, hang: str, markup: str = "") -> str:
    """Untrusted ``text`` (after our own ``markup``) as Markdown lines of MD_WIDTH cells.

    It is wrapped as plain text first and each line is escaped on its own afterwards, so
    no line can open a block (a heading, a list, a quote, a setext underline), wherever
    the wrapper broke it: an issuer's "# …" stays text at any line position.
    """
    indent = " " * cell_width(lead + markup)
    out = []
    for n, line in enumerate(wrap(clean(text), MD_WIDTH, indent, hang)):
        start = indent if n == 0 else hang
        body = line[len(start) :] if line.startswith(start) else line.lstrip()
        out.append((lead + markup if n == 0 else hang) + markdown_inline(body))
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,"Noto Sans TC","Microsoft JhengHei",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#1b1b1b;line-height:1.5}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
.s-ok{color:#0a6b2a}.s-warn{color:#8a5a00}.s-fail,.s-error{color:#b00020}.s-timeout{color:#6a1b9a}.s-skip{color:#555}
code{background:#f2f2f2;padding:0 .2em}.code{font-size:1.4em;letter-spacing:.1em;font-weight:bold}
.note{background:#fff4d6;padding:.5em}.verdict{font-size:1.2em;font-weight:bold}footer{margin-top:2em;color:#555}
"""


# Nothing may load or run: no scripts, no external assets, no forms; only our inline CSS.
CSP = (
    "default-src 'none'; style-src 'sha256-"
    + base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
    + "'; img-src data:; base-uri 'none'; form-action 'none'"
)


def render_html(doc: dict[str, Any], diagnosis: Diagnosis, lang: str) -> str:
    """A single page with inline CSS and no external assets (works offline, any browser)."""
    from markdown_it import MarkdownIt  # lazy: only the HTML report renders Markdown

    md = MarkdownIt("commonmark", {"html": False})
    e = html_text
    report = build_report(doc, diagnosis, lang)

    def t(text: Text, **params: Any) -> str:
        return e(text.get(lang, **params))

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{t(TITLE)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{t(TITLE)}</h1>",
        f"<p>{t(META, v=doc['tool_version'], platform=doc['platform'], time=doc['started_at'])}</p>",
    ]
    if doc.get("case_code"):
        out.append(f'<p>{t(CASE_CODE)}: <span class="code">{e(doc["case_code"])}</span></p>')
    out.append(f'<p class="note">{t(REDACTED) if doc["redacted"] else t(NOT_REDACTED)}</p>')
    out.append(f'<p class="verdict">{e(report.verdict)}</p>')
    if report.problems:
        out.append(f"<h2>{t(PROBLEMS, n=len(report.problems))}</h2>")
    for n, part in enumerate(report.problems, 1):
        out.append(f"<h3>{t(PROBLEM_HEADING, n=n, headline=part.headline)}</h3>")
        if part.conflict:
            out.append(f"<p>{e(part.conflict)}</p>")
        if part.evidence:
            items = "".join(f"<li>{e(x)}</li>" for x in part.evidence)
            out.append(f"<p>{t(EVIDENCE)}</p><ul>{items}</ul>")
        if part.fix_heading:
            out.append(f"<h4>{e(part.fix_heading)}</h4>{md.render(part.fix)}")
    out.append(
        f"<h2>{t(RESULTS)}</h2><table><tr><th>{t(COLUMN_STATUS)}</th><th>{t(COLUMN_CHECK)}</th>"
        f"<th>{t(COLUMN_NOTE)}</th></tr>"
    )
    for status, title, note in report.rows:
        out.append(
            f'<tr><td class="s-{e(status)}">{e(_status(status, lang))}</td>'
            f"<td>{e(title)}</td><td>{e(note)}</td></tr>"
        )
    out.append("</table>")
    if report.answers:
        out.append(
            f"<h2>{t(ANSWERS)}</h2><ul>"
            + "".join(f"<li>{e(q)} → {e(a)}</li>" for q, a in report.answers)
            + "</ul>"
        )
    out.append(f"<h2>{t(DETAILS)}</h2><p>{t(DETAILS_NOTE)}</p><ul>")
    for pid, status, codes in report.details:
        found = f" <code>{e(codes)}</code>" if codes else ""
        out.append(f"<li><code>{e(pid)}</code> {e(status)}{found}</li>")
    out.append(f"</ul><footer>{t(HELPLINE)}</footer></body></html>")
    return "\n".join(out)


def format_for(path: Path, explicit: str | None = None) -> str:
    fmt = explicit or {
        ".json": "json",
        ".md": "md",
        ".markdown": "md",
        ".html": "html",
        ".htm": "html",
    }.get(path.suffix.lower(), "")
    if fmt not in FORMATS:
        raise UserError(BAD_FORMAT, path=str(path))
    return fmt


def render(doc: dict[str, Any], diagnosis: Diagnosis, lang: str, fmt: str) -> str:
    if fmt == "json":
        return json_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    if fmt == "md":
        return render_markdown(doc, diagnosis, lang)
    return render_html(doc, diagnosis, lang)


def write(path: Path, text: str) -> None:
    """Write the report through a temporary file beside ``path``, then rename it over
    ``path`` (``core.safefile``): a link planted at ``path`` is replaced, never written
    through, and a reader never sees half a report."""
    try:
        safefile.write_atomic(path, text)
    except OSError as exc:
        raise UserError(
            CANNOT_WRITE,
            path=clean(str(path)),
            err=clean(exc.strerror or str(exc)),
        ) from None
