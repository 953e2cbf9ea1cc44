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


def step_systems(step: str) -> set[str]:
    """Systems a fix step is tagged for (empty: every system)."""
    head = re.split(r"[：:，,（(]", step, maxsplit=1)[0]
    if len(head) > 30 or head == step:
        return set()
    return {_OS_NAMES[w.lower()] for w in _OS_WORD.findall(head)}


def split_fix(fix: str, platform: str) -> tuple[str, str]:
    """(steps for this system, renumbered; steps only for other systems)."""
    mine: list[str] = []
    others: list[str] = []
    target = mine
    n = 0
    for line in fix.strip().splitlines():
        item = _ITEM.match(line)
        if item:
            systems = step_systems(item.group(3))
            target = others if systems and platform not in systems else mine
            if target is mine and not item.group(1) and item.group(2)[0].isdigit():
                n += 1
                line = f"{n}. {item.group(3)}"
        target.append(line if target is mine else line.lstrip())
    return "\n".join(mine), "\n".join(others)


def fix_for_system(entry: Entry, lang: str, platform: str, codes: Collection[str] = ()) -> str:
    """Just what to do on ``platform``: the entry's summary, its fix steps for that system
    (renumbered) and the conditional steps the findings (``codes``) do not rule out."""
    mine, _ = split_fix(entry.fix.get(lang), platform)
    text = f"{entry.summary.get(lang)}\n\n{mine.strip()}\n"
    if conditional := _conditional(entry, lang, codes):
        text += f"\n{conditional}\n"
    return text
