"""Reports for the helpdesk: JSON (the check schema), Markdown, and one self-contained HTML
page. All three render the same redacted document, so redaction happens in one place
(``report_json.build_document``) and every format is equally private.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from diagwizard.api.probe import Probe
from diagwizard.core import safefile
from diagwizard.core.errors import UserError
from diagwizard.core.model import Status
from diagwizard.core.sanitize import clean, html_text, json_text, markdown_inline
from diagwizard.core.text import Text
from diagwizard.core.words.common import (
    CASE_CODE,
    COLUMN_CHECK,
    COLUMN_STATUS,
    HELPLINE,
    NOTHING_TO_FIX,
)
from diagwizard.core.words.reports import (
    ANSWERS,
    BAD_FORMAT,
    CANNOT_WRITE,
    COLUMN_SUMMARY,
    FIXES,
    META,
    NOT_REDACTED,
    PROBLEMS,
    REDACTED,
    RESULTS,
    TITLE,
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


def _fix_sections(diagnosis: Diagnosis, lang: str, platform: str) -> list[tuple[str, str]]:
    """Each fix with the steps for the checked computer's system, numbered for it."""
    kb = knowledge.load()
    codes = {f.code for r in diagnosis.results.values() for f in r.findings}
    codes |= {a.finding.code for a in diagnosis.answer_findings()}
    return [
        (kb.entries[e].title.get(lang), fix_markdown(kb.entries[e], lang, codes, platform))
        for e in diagnosis.fixes()
        if e in kb.entries
    ]


def _status(value: str, lang: str) -> str:
    return Status(value).label.get(lang)


def render_markdown(doc: dict[str, Any], diagnosis: Diagnosis, lang: str) -> str:
    lines = [
        f"# {TITLE.get(lang)}",
        "",
        META.get(lang, v=doc["tool_version"], platform=doc["platform"], time=doc["started_at"]),
        "",
    ]
    if doc.get("case_code"):
        colon = ":" if lang == "en" else "："
        lines += [f"**{CASE_CODE.get(lang)}{colon}** `{doc['case_code']}`", ""]
    redaction = REDACTED if doc["redacted"] else NOT_REDACTED
    lines += [redaction.get(lang), "", f"## {RESULTS.get(lang)}", ""]
    columns = (COLUMN_STATUS, COLUMN_CHECK, COLUMN_SUMMARY)
    lines += ["| " + " | ".join(c.get(lang) for c in columns) + " |", "| --- | --- | --- |"]
    for r in doc["results"]:
        m = markdown_inline
        lines.append(
            f"| {_status(r['status'], lang)} | {m(r['title'])} ({m(r['id'])}) | {m(r['summary'])} |"
        )
    problems = doc.get("problems", [])
    if problems:
        lines += ["", f"## {PROBLEMS.get(lang, n=len(problems))}", ""]
        for n, p in enumerate(problems, 1):
            lines.append(f"{n}. **{markdown_inline(p['title'])}** ({markdown_inline(p['code'])})")
            if p.get("conflict"):
                lines.append(_md_lines(p["conflict"], "   ", "   "))
            # The evidence: each finding behind the problem (Chinese-aware, hanging indent).
            for r in doc["results"]:
                if r["id"] not in p.get("sources", ()):
                    continue
                for f in r["findings"]:
                    if f["severity"] == "info":
                        continue
                    m = markdown_inline
                    head = f"**{m(f['code'])}** ({m(r['id'])}): "
                    lines.append(_md_lines(f["message"], "   - ", "     ", head))
    answers = _answers(diagnosis, lang)
    if answers:
        lines += ["", f"## {ANSWERS.get(lang)}", ""]
        lines += [_md_lines(f"{q} → {a}", "- ", "  ") for q, a in answers]
    lines += ["", f"## {FIXES.get(lang)}", ""]
    fixes = _fix_sections(diagnosis, lang, doc["platform"])
    for n, (title, body) in enumerate(fixes, 1):
        lines += [f"### {n}. {title}", "", body.strip(), ""]
    if not fixes:
        lines += [NOTHING_TO_FIX.get(lang), ""]
    lines += ["---", HELPLINE.get(lang), ""]
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
.note{background:#fff4d6;padding:.5em}footer{margin-top:2em;color:#555}
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
    out.append(
        f"<h2>{t(RESULTS)}</h2><table><tr><th>{t(COLUMN_STATUS)}</th><th>{t(COLUMN_CHECK)}</th><th>{t(COLUMN_SUMMARY)}</th></tr>"
    )
    for r in doc["results"]:
        findings = "".join(
            f"<br><code>{e(f['code'])}</code> {e(f['message'])}"
            for f in r["findings"]
            if f["severity"] != "info"
        )
        out.append(
            f'<tr><td class="s-{e(r["status"])}">{e(_status(r["status"], lang))}</td>'
            f"<td>{e(r['title'])}<br><code>{e(r['id'])}</code></td><td>{e(r['summary'])}{findings}</td></tr>"
        )
    out.append("</table>")
    problems = doc.get("problems", [])
    if problems:
        out.append(f"<h2>{t(PROBLEMS, n=len(problems))}</h2><ol>")
        for p in problems:
            conflict = f"<br>{e(p['conflict'])}" if p.get("conflict") else ""
            out.append(f"<li>{e(p['title'])} <code>{e(p['code'])}</code>{conflict}</li>")
        out.append("</ol>")
    answers = _answers(diagnosis, lang)
    if answers:
        out.append(
            f"<h2>{t(ANSWERS)}</h2><ul>"
            + "".join(f"<li>{e(q)} → {e(a)}</li>" for q, a in answers)
            + "</ul>"
        )
    out.append(f"<h2>{t(FIXES)}</h2>")
    fixes = _fix_sections(diagnosis, lang, doc["platform"])
    for n, (title, body) in enumerate(fixes, 1):
        out.append(f"<h3>{n}. {e(title)}</h3>{md.render(body)}")
    if not fixes:
        out.append(f"<p>{t(NOTHING_TO_FIX)}</p>")
    out.append(f"<footer>{t(HELPLINE)}</footer></body></html>")
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
