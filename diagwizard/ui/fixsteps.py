"""A KB entry's fix for one system: the one place that reads the system tags of fix steps,
shared by the wizard (its detail pane and verdict), the reports and ``decode``.

KB fix steps name their system at the start ("Windows：…", "macOS: …", "On Windows, …");
steps naming no system apply everywhere. (When the KB's steps become structured per
system, this module is what changes.)
"""

from __future__ import annotations

import re
from collections.abc import Collection

from kb.loader import Entry
from kb.markdown import _conditional

_OS_NAMES = {"windows": "windows", "macos": "macos", "mac": "macos", "linux": "linux"}
_ITEM = re.compile(r"^(\s*)(\d+\.|[-*])\s+(.*)$")
_OS_WORD = re.compile(r"windows|macos|mac|linux", re.I)
_HEADING = re.compile(r"^\*\*([^*]+)\*\*\s*[：:]?\s*(.*)$")


def step_systems(step: str) -> set[str]:
    """Systems a fix step is tagged for (empty: every system)."""
    head = re.split(r"[：:，,（(]", step, maxsplit=1)[0]
    if len(head) > 30 or head == step:
        return set()
    return {_OS_NAMES[w.lower()] for w in _OS_WORD.findall(head)}


def split_fix(fix: str, platform: str) -> tuple[str, str]:
    """(steps for this system, renumbered; steps only for other systems).

    A bold line (``**Windows**``, ``**macOS**：…``) heads a section: a system's name
    makes the section that system's, any other (``**Careful**``) ends it. Numbering
    starts again under each heading, as the entry numbers it."""
    mine: list[str] = []
    others: list[str] = []
    section: set[str] = set()  # the systems the current section is for (empty: all)
    target = mine
    n = 0
    for line in fix.strip().splitlines():
        head = _HEADING.match(line)
        if head:
            systems = _heading_systems(head.group(1))
            section, n = systems, 0
            target = others if systems and platform not in systems else mine
            rest = head.group(2).strip()
            if target is others:
                others.append(line)
            elif not systems:
                mine.append(line)  # a heading of its own ("Careful"): kept
            elif rest:
                mine.append(rest)  # this system's heading: the fix is headed by the system
            continue
        item = _ITEM.match(line)
        if item and item.group(1):  # a sub-step: its own system, or its step's
            if systems := step_systems(item.group(3)):
                target = mine if platform in systems else others
        elif item:
            systems = step_systems(item.group(3)) or section
            target = others if systems and platform not in systems else mine
            if target is mine and item.group(2)[0].isdigit():
                n += 1
                line = f"{n}. {item.group(3)}"
        elif not item and line.strip() and not line.startswith(" "):
            target = others if section and platform not in section else mine
        target.append(line if target is mine else line.lstrip())
    return _tidy(mine), _tidy(others)


def _heading_systems(heading: str) -> set[str]:
    """The systems a bold heading names, if it names only systems ("Windows",
    "Linux / macOS"); empty for any other heading."""
    words = _OS_WORD.findall(heading)
    rest = _OS_WORD.sub("", heading).strip(" /、,，與和and()（）")
    return {_OS_NAMES[w.lower()] for w in words} if words and not rest else set()


def _tidy(lines: list[str]) -> str:
    """No run of blank lines, none at the ends."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    return "\n".join(out).strip("\n")


def fix_for_system(entry: Entry, lang: str, platform: str, codes: Collection[str] = ()) -> str:
    """Just what to do on ``platform``: the entry's summary, its fix steps for that system
    (renumbered) and the conditional steps the findings (``codes``) do not rule out."""
    mine, _ = split_fix(entry.fix.get(lang), platform)
    text = f"{entry.summary.get(lang)}\n\n{mine.strip()}\n"
    if conditional := _conditional(entry, lang, codes):
        text += f"\n{conditional}\n"
    return text
