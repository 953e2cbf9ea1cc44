"""One KB entry as Markdown, in one language: shared by the CLI, the wizard and reports."""

from __future__ import annotations

from collections.abc import Collection

from diagwizard.core.text import Text
from diagwizard.core.words import common
from kb.loader import CONDITIONS, Entry, KnowledgeBase, Step

_LABELS: dict[str, Text] = {
    "guide": common.KB_GUIDE,
    "legacy": common.KB_LEGACY,
    "symptoms": common.SYMPTOMS_HEADING,
    "causes": common.CAUSES_HEADING,
    "fix": common.HOW_TO_FIX,
    "steps": common.KB_STEPS,
    "step": common.KB_STEP,
    "checked_by": common.KB_CHECKED_BY,
    "confirm": common.KB_CONFIRM,
    "codes": common.KB_CODES,
    "refs": common.KB_REFS,
    "platforms": common.KB_PLATFORMS,
    "only_if": common.KB_ONLY_IF,
}


def _l(key: str, lang: str) -> str:
    return _LABELS[key].get(lang)


def _quote(text: str, lang: str) -> str:
    """One quote style per language: 「…」 in zh-TW, “…” in English."""
    return f"“{text}”" if lang == "en" else f"「{text}」"


def _conditional(entry: Entry, lang: str, codes: Collection[str]) -> str:
    """Conditional steps, each under the conditions it needs; ones a finding rules out
    (e.g. the default-PIN hint when one try is left) are left out."""
    sep = "：" if lang != "en" else ": "
    out = []
    for step in entry.steps:
        if step.when and step.applies(codes):
            conds = "；" if lang != "en" else "; "
            cond = conds.join(CONDITIONS[c].text.get(lang) for c in step.when)
            out.append(
                f"> **{_l('only_if', lang)}**{sep}{cond}\n>\n"
                f"> **{step.title.get(lang)}**{sep}{step.body.get(lang)}"
            )
    return "\n\n".join(out)


def _plain_steps(entry: Entry) -> list[Step]:
    return [s for s in entry.steps if not s.when]


def entry_markdown(
    entry: Entry,
    kb: KnowledgeBase,
    lang: str,
    *,
    heading: bool = True,
    codes: Collection[str] = (),
) -> str:
    """``codes``: finding codes seen, so conditional steps they rule out are left out."""
    parts: list[str] = []
    if heading:
        parts.append(f"# {entry.title.get(lang)}")
    parts.append(entry.summary.get(lang))
    if entry.guide:
        parts.append(
            f"*{_l('guide', lang)}：{entry.guide}*"
            if lang != "en"
            else f"*{_l('guide', lang)}: {entry.guide}*"
        )
    if entry.era == "legacy" and entry.modern is not None:
        parts.append(f"> **{_l('legacy', lang)}**\n>\n> {entry.modern.get(lang)}")
    if entry.symptoms:
        parts.append(
            f"## {_l('symptoms', lang)}\n\n"
            + "\n".join(f"- {_quote(s, lang)}" for s in entry.symptoms)
        )
    parts.append(
        f"## {_l('causes', lang)}\n\n" + "\n".join(f"- {c.get(lang)}" for c in entry.causes)
    )
    parts.append(f"## {_l('fix', lang)}\n\n{entry.fix.get(lang).strip()}")
    if conditional := _conditional(entry, lang, codes):
        parts.append(conditional)
    if plain := _plain_steps(entry):
        lines = [f"## {_l('steps', lang)}"]
        for i, step in enumerate(plain, 1):
            lines.append(f"### {i}. {step.title.get(lang)}\n\n{step.body.get(lang)}")
        parts.append("\n\n".join(lines))
    if entry.confirm_probes:
        parts.append(
            f"**{_l('confirm', lang)}**：" + ", ".join(f"`{p}`" for p in entry.confirm_probes)
        )
    if entry.codes:
        parts.append(f"**{_l('codes', lang)}**：" + ", ".join(f"`{c}`" for c in entry.codes))
    refs = []
    for ref_id in entry.references:
        ref = kb.references.get(ref_id)
        if ref is not None:
            refs.append(
                f"- {ref.title.get(lang)}"
                + (f" — <{ref.url}>" if ref.url.startswith("http") else "")
            )
    if refs:
        parts.append(f"## {_l('refs', lang)}\n\n" + "\n".join(refs))
    return "\n\n".join(parts) + "\n"


def fix_markdown(entry: Entry, lang: str, codes: Collection[str] = ()) -> str:
    """Just what to do: the entry's one-line summary, its ordered fix steps, and the
    conditional steps that the findings (``codes``) do not rule out."""
    text = f"{entry.summary.get(lang)}\n\n{entry.fix.get(lang).strip()}\n"
    if conditional := _conditional(entry, lang, codes):
        text += f"\n{conditional}\n"
    return text
