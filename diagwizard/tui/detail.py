"""Markdown for the detail pane: a probe's result with its KB fix, or a KB entry.

Personal facts are shown redacted here too: people read screens over shoulders and
share them with the helpdesk.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from diagwizard import knowledge
from diagwizard.codec import jsonable
from diagwizard.errors import UserError
from diagwizard.model import Probe, Result, Status, Text
from diagwizard.redact import Redactor
from diagwizard.sanitize import markdown_inline as md

LABELS: dict[str, Text] = {
    "findings": Text("發現", "Findings"),
    "fix": Text("處理方式", "How to fix"),
    "facts": Text("詳細資料", "Details"),
    "none": Text("沒有發現問題。", "Nothing wrong found."),
    "personal": Text("（個人資料，已隱藏）", "(personal data, hidden)"),
    "codes": Text("代碼", "Codes"),
}


def _l(key: str, lang: str) -> str:
    return LABELS[key].get(lang)


def entry_text(
    entry_id: str,
    lang: str,
    full: bool = False,
    fix_only: bool = False,
    codes: Collection[str] = (),
) -> str:
    """An entry's title (list rows), its whole Markdown (detail pane), or just its fix.
    ``codes``: the findings seen, which may rule out a conditional step."""
    try:
        kb = knowledge.load()
    except UserError as exc:
        return exc.render(lang)
    entry = kb.entries.get(entry_id)
    if entry is None:
        return entry_id
    if fix_only:
        from diagwizard.kb.markdown import fix_markdown

        return fix_markdown(entry, lang, codes)
    if not full:
        return entry.title.get(lang)
    from diagwizard.kb.markdown import entry_markdown

    return entry_markdown(entry, kb, lang, codes=codes)


def probe_markdown(probe: Probe, res: Result, lang: str, status_label: str) -> str:
    red = Redactor()
    red.learn([res])
    parts = [f"## {probe.title.get(lang)} — {status_label}", md(red.text(res.summary.get(lang)))]
    if res.findings:
        parts.append(f"### {_l('findings', lang)}")
        parts.append("\n".join(f"- {md(red.text(f.render(lang)))}" for f in res.findings))
    fixes = knowledge.fix_entries(res.findings)
    for entry in fixes[:2]:
        parts.append(
            f"### {_l('fix', lang)}：{entry_text(entry, lang)}"
            if lang != "en"
            else f"### {_l('fix', lang)}: {entry_text(entry, lang)}"
        )
        seen = {f.code for f in res.findings}
        body = entry_text(entry, lang, full=True, codes=seen).split("\n", 1)[-1]
        parts.append(body.replace("\n## ", "\n#### "))
    if not res.findings and res.status != Status.SKIP:  # a skip is "not checked", not a pass
        parts.append(_l("none", lang))
    codes = [f.code for f in res.findings]  # internal ids: only under the details heading
    if res.facts or codes:
        rows = [f"- {_l('codes', lang)}: {', '.join(codes)}"] if codes else []
        for key, fact in res.facts.items():
            value = (
                _l("personal", lang)
                if fact.personal
                else json.dumps(red.deep(jsonable(fact.value)), ensure_ascii=False)
            )
            rows.append(f"- `{key}`: {md(value[:300])}")
        parts.append(f"### {_l('facts', lang)}\n\n" + "\n".join(rows))
    return "\n\n".join(parts) + "\n"
