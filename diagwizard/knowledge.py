"""The engine's single door to the knowledge base.

KB data directories come from the ``diagwizard.kb`` entry-point group (the built-in one
and any plugin's). Loading is lazy and cached; ``check`` works without a KB.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

from diagwizard.model import Finding, Severity

if TYPE_CHECKING:
    from diagwizard.kb.loader import KnowledgeBase

GROUP = "diagwizard.kb"


def data_dirs() -> list[Path]:
    dirs = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name != "builtin", e.name)):
        try:
            dirs.append(Path(str(ep.load())))
        except Exception:  # a broken plugin KB must not hide the built-in one
            continue
    return dirs


@cache
def load() -> KnowledgeBase:
    """The merged knowledge base; raises KBError (a UserError) for a malformed file."""
    from diagwizard.kb.loader import load_dirs

    return load_dirs(data_dirs())


@cache
def _index() -> dict[str, list[str]]:
    return load().code_index()


def entries_for_code(code: str) -> list[str]:
    """KB entry ids for a finding code; empty if the KB cannot be loaded."""
    from diagwizard.errors import UserError

    try:
        return list(_index().get(code, []))
    except UserError:
        return []


def fix_entries(findings: Iterable[Finding]) -> list[str]:
    """The KB entry to follow for each warning or error, in order, without repeats."""
    ordered: list[str] = []
    for f in findings:
        if f.severity == Severity.INFO:
            continue
        for entry in entries_for_code(f.code)[:1]:
            if entry not in ordered:
                ordered.append(entry)
    return ordered
