"""Markdown for the detail pane: a probe's result with its KB fix, or a KB entry.

The wizard is the person's own screen: it shows their own data (the name on the card,
the token label, the module path) unredacted. What leaves the machine (the export, the
case code) is redacted elsewhere, in ``RunOutcome.for_export``.
"""

from __future__ import annotations

from collections.abc import Collection

from diagwizard.api.probe import Probe
from diagwizard.core.errors import UserError
from diagwizard.core.model import Result, Status
from diagwizard.core.redact import Redactor
from diagwizard.core.sanitize import markdown_inline as md
from diagwizard.core.words import wizard as words
from diagwizard.core.words.common import (
    CAUSES_HEADING,
    HOW_TO_FIX,
    OTHER_SYSTEMS,
    OTHER_SYSTEMS_HINT,
    SYMPTOMS_HEADING,
)
from diagwizard.core.words.facts import DETAILS
from diagwizard.diagnosis.session import Diagnosis
from diagwizard.engine import knowledge
from diagwizard.ui.fact_words import fact_lines
from kb.markdown import (
    entry_markdown,
    fix_heading,
    fix_markdown,
    messages_markdown,
    other_systems,
    other_systems_markdown,
    steps_markdown,
)


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
        return fix_markdown(entry, lang, codes)
    if not full:
        return entry.title.get(lang)
    return entry_markdown(entry, kb, lang, codes=codes)


def probe_markdown(
    probe: Probe,
    res: Result,
    lang: str,
    status_label: str,
    platform: str = "",
    redact: bool = False,
) -> str:
    """A probe's result: the summary, its facts in words, the findings and the fix, then
    the raw values and codes under the Details heading."""
    red = Redactor(enabled=redact)
    red.learn([res])
    colon = "：" if lang != "en" else ": "  # not a dash: a skip's label starts with one
    parts = [
        f"## {probe.title.get(lang)}{colon}{status_label}",
        md(red.text(res.summary.get(lang))),
    ]
    said, raw = fact_lines(res, lang, red)
    if said:
        parts.append("\n".join(f"- {md(line)}" for line in said))
    if res.findings:
        parts.append(f"### {words.FINDINGS.get(lang)}")
        parts.append("\n".join(f"- {md(red.text(f.render(lang)))}" for f in res.findings))
    for entry in knowledge.fix_entries(res.findings)[:2]:
        heading = f"{HOW_TO_FIX.get(lang)}{'：' if lang != 'en' else ': '}"
        seen = {f.code for f in res.findings}
        parts.append(  # the check list's pane: no o key there
            fix_first_markdown(entry, lang, platform, None, heading=heading, codes=seen)
        )
    if not res.findings and res.status != Status.SKIP:  # a skip is "not checked", not a pass
        parts.append(words.NOTHING_WRONG.get(lang))
    if raw:  # internal ids and raw values: only under the details heading
        parts.append(f"### {DETAILS.get(lang)}\n\n" + "\n".join(f"- {md(line)}" for line in raw))
    return "\n\n".join(parts) + "\n"


def fix_first_markdown(
    entry_id: str,
    lang: str,
    platform: str,
    all_systems: bool | None = False,
    heading: str = "",
    codes: Collection[str] = (),
) -> str:
    """An entry with the fix first (this system's steps, numbered for it), then causes and
    messages. ``all_systems``: also the other systems' steps, each system numbered on its
    own; ``False``: a line saying the ``o`` key shows them (only where ``o`` does);
    ``None``: neither. ``codes``: the findings seen, which may rule out a conditional step."""
    try:
        entry = knowledge.load().entries[entry_id]
    except (UserError, KeyError):
        return entry_id
    parts = [f"## {heading}{entry.title.get(lang)}", entry.summary.get(lang)]
    steps = steps_markdown(entry, lang, platform, codes)
    parts.append(f"### {fix_heading(entry, lang, platform)}\n\n{steps}")
    if other_systems(entry, platform):
        if all_systems:
            others = other_systems_markdown(entry, lang, platform, codes)
            parts.append(f"### {OTHER_SYSTEMS.get(lang)}\n\n{others}")
        elif all_systems is False:
            parts.append(OTHER_SYSTEMS_HINT.get(lang))
    causes = [c.get(lang) for c in entry.causes]
    if causes:
        parts.append(f"### {CAUSES_HEADING.get(lang)}\n\n" + "\n".join(f"- {c}" for c in causes))
    if said := messages_markdown(entry, lang):
        parts.append(f"### {SYMPTOMS_HEADING.get(lang)}\n\n{said}")
    return "\n\n".join(parts) + "\n"


def has_other_systems(entry_id: str, platform: str) -> bool:
    """Whether the entry has other systems' steps (hidden behind ``o``)."""
    try:
        entry = knowledge.load().entries[entry_id]
    except (UserError, KeyError):
        return False
    return bool(other_systems(entry, platform))


def seen_codes(diagnosis: Diagnosis) -> set[str]:
    """Every finding code seen so far (probes and answers): conditional fix steps use it."""
    codes = {f.code for r in diagnosis.results.values() for f in r.findings}
    return codes | {p.finding.code for p in diagnosis.answer_findings()}
