"""One KB entry as Markdown, in one language: shared by the CLI, the wizard and reports.

Fix steps are numbered per system: a view names the person's system (``platform``) and
gets that system's steps numbered 1, 2, 3…; without one, each system's steps are listed
under its name (systems whose steps are the same share one list).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from diagwizard.core.text import Text
from diagwizard.core.words import common
from kb.loader import CONDITIONS, Entry, FixStep, KnowledgeBase

SYSTEM_ORDER = ("windows", "macos", "linux")  # how views list systems: most officers first

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
    "error_codes": common.KB_ERROR_CODES,
}


def _l(key: str, lang: str) -> str:
    return _LABELS[key].get(lang)


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def _quote(text: str, lang: str) -> str:
    """One quote style per language: 「…」 in zh-TW, “…” in English."""
    return f"“{text}”" if lang == "en" else f"「{text}」"


def system_name(platform: str, lang: str) -> str:
    return common.PLATFORM_NAMES.get(platform, Text(platform, platform)).get(lang)


def systems_of(entry: Entry) -> list[str]:
    """The entry's systems in display order."""
    return [s for s in SYSTEM_ORDER if s in entry.platforms]


def fix_steps(entry: Entry, platform: str, codes: Collection[str] = ()) -> list[FixStep]:
    """The fix steps for one system, in order; a conditional step that a finding in
    ``codes`` rules out (the default-PIN hint once one try is left) is left out."""
    return [s for s in entry.fix.steps if platform in entry.systems(s) and s.applies(codes)]


def shown_systems(entry: Entry, platform: str | None) -> list[str]:
    """The systems a view shows steps for: the person's own, or, for an entry that is not
    for that system (or with no system given), every system of the entry."""
    if platform in entry.platforms:
        return [platform]
    return systems_of(entry)


def step_text(step: FixStep, lang: str) -> str:
    """A step's Markdown text; a conditional step says its conditions first."""
    text = step.text.get(lang).strip()
    if step.when:
        sep = "；" if lang != "en" else "; "
        conds = sep.join(CONDITIONS[c].text.get(lang) for c in step.when)
        open_, close = ("（", "）") if lang != "en" else (" (", ")")
        text = f"**{_l('only_if', lang)}**{open_}{conds}{close}{_colon(lang)}{text}"
    return text


def numbered(steps: list[FixStep], lang: str) -> str:
    return "\n".join(f"{n}. {step_text(s, lang)}" for n, s in enumerate(steps, 1))


def _groups(
    entry: Entry, systems: list[str], codes: Collection[str]
) -> list[tuple[list[str], list[FixStep]]]:
    """Systems with the same steps share one list, in display order."""
    groups: list[tuple[list[str], list[FixStep]]] = []
    for system in systems:
        steps = fix_steps(entry, system, codes)
        for names, same in groups:
            if [id(s) for s in same] == [id(s) for s in steps]:
                names.append(system)
                break
        else:
            groups.append(([system], steps))
    return groups


def _label(systems: list[str], lang: str) -> str:
    return ("、" if lang != "en" else ", ").join(system_name(s, lang) for s in systems)


def step_lists(
    entry: Entry, lang: str, platform: str | None = None, codes: Collection[str] = ()
) -> list[tuple[str, list[FixStep]]]:
    """The fix's steps for ``platform`` as (label, steps) lists, each numbered on its own:
    one unlabelled list for the person's own system; one list per system, labelled with
    its name, when ``platform`` is None or the entry is not for it."""
    groups = [g for g in _groups(entry, shown_systems(entry, platform), codes) if g[1]]
    if len(groups) == 1 and platform in groups[0][0]:
        return [("", groups[0][1])]
    if len(groups) == 1 and platform is None:
        return [("", groups[0][1])]
    return [(_label(systems, lang), steps) for systems, steps in groups]


def steps_markdown(
    entry: Entry, lang: str, platform: str | None = None, codes: Collection[str] = ()
) -> str:
    """The fix itself: its intro, then the steps numbered for ``platform`` (every system,
    each under its name, when ``platform`` is None or the entry is not for it)."""
    parts = [entry.fix.intro.get(lang).strip()] if entry.fix.intro is not None else []
    for label, steps in step_lists(entry, lang, platform, codes):
        if label:
            parts.append(f"**{label}**")
        parts.append(numbered(steps, lang))
    if entry.kind == "procedure" and entry.steps:
        parts.append(
            "\n".join(
                f"{n}. **{s.title.get(lang)}**{_colon(lang)}{s.body.get(lang)}"
                for n, s in enumerate(entry.steps, 1)
            )
        )
    return "\n\n".join(parts)


def other_systems(entry: Entry, platform: str) -> list[str]:
    """Systems whose steps differ from ``platform``'s (what the wizard hides behind ``o``)."""
    if platform not in entry.platforms:
        return []
    mine = [id(s) for s in fix_steps(entry, platform)]
    return [
        s
        for s in systems_of(entry)
        if s != platform and [id(x) for x in fix_steps(entry, s)] != mine
    ]


def other_systems_markdown(
    entry: Entry, lang: str, platform: str, codes: Collection[str] = ()
) -> str:
    """The other systems' steps, each system under its name and numbered on its own."""
    parts = []
    for systems, steps in _groups(entry, other_systems(entry, platform), codes):
        if steps:
            parts += [f"**{_label(systems, lang)}**", numbered(steps, lang)]
    return "\n\n".join(parts)


_CODE = re.compile(r"0x[0-9A-Fa-f]+|[A-Z][A-Z0-9]*(?:::[A-Z0-9_]+|(?:_[A-Z0-9]+)+)")


def messages_markdown(entry: Entry, lang: str) -> str:
    """The messages a screen shows, quoted, then the bare codes on one line. (The entry's
    ``symptoms`` are people's own words, for the search: not shown as messages.)"""
    texts = [m for m in entry.messages if not _CODE.fullmatch(m)]
    codes = [m for m in entry.messages if _CODE.fullmatch(m)]
    lines = [f"- {_quote(m, lang)}" for m in texts]
    if codes:
        lines.append(f"- {_l('error_codes', lang)}{_colon(lang)}" + ", ".join(f"`{c}`" for c in codes))
    return "\n".join(lines)


def fix_heading(entry: Entry, lang: str, platform: str | None) -> str:
    """「處理方式（Windows）」 for the person's own system; 「處理方式」 when the steps of
    several systems follow, each under its name."""
    if platform in entry.platforms:
        return common.FIX_FOR.get(lang, os=system_name(platform, lang))
    return _l("fix", lang)


def entry_markdown(
    entry: Entry,
    kb: KnowledgeBase,
    lang: str,
    *,
    heading: bool = True,
    codes: Collection[str] = (),
    platform: str | None = None,
) -> str:
    """The whole entry. ``platform``: the system whose steps to show (None: every
    system's); ``codes``: finding codes seen, so conditional steps they rule out go."""
    parts: list[str] = []
    if heading:
        parts.append(f"# {entry.title.get(lang)}")
    parts.append(entry.summary.get(lang))
    if entry.guide:
        parts.append(f"*{_l('guide', lang)}{_colon(lang)}{entry.guide}*")
    if entry.era == "legacy" and entry.modern is not None:
        parts.append(f"> **{_l('legacy', lang)}**\n>\n> {entry.modern.get(lang)}")
    if said := messages_markdown(entry, lang):
        parts.append(f"## {_l('symptoms', lang)}\n\n{said}")
    parts.append(
        f"## {_l('causes', lang)}\n\n" + "\n".join(f"- {c.get(lang)}" for c in entry.causes)
    )
    parts.append(
        f"## {fix_heading(entry, lang, platform)}\n\n{steps_markdown(entry, lang, platform, codes)}"
    )
    if entry.confirm_probes:
        parts.append(
            f"**{_l('confirm', lang)}**{_colon(lang)}"
            + ", ".join(f"`{p}`" for p in entry.confirm_probes)
        )
    if entry.codes:
        parts.append(
            f"**{_l('codes', lang)}**{_colon(lang)}" + ", ".join(f"`{c}`" for c in entry.codes)
        )
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


def fix_markdown(
    entry: Entry, lang: str, codes: Collection[str] = (), platform: str | None = None
) -> str:
    """Just what to do: the entry's one-line summary, then its steps for ``platform``
    (every system's, each under its name, when None). ``codes``: the findings seen."""
    return f"{entry.summary.get(lang)}\n\n{steps_markdown(entry, lang, platform, codes)}\n"
