"""Language choice: ``--lang``, then the config file, then the locale.

The words themselves live in :mod:`diagwizard.strings` and on the enums
(``Status.label``, ``Area.heading``); the names below the line are kept for branches
written against the old catalogue and can go once nothing imports them.
"""

from __future__ import annotations

import os

from diagwizard.model import Area, Status
from diagwizard.strings import (
    CHECKING,
    ROW_MARK,
    SEE_KB,
    STATUS_STYLE,
    VERDICT_OK,
    VERDICT_PROBLEMS,
)
from diagwizard.text import LANGS, Text

DEFAULT_LANG = "zh-TW"


def resolve_lang(cli: str | None, configured: str = "") -> str:
    """``--lang`` wins, then the config file, then the locale; zh-TW unless asked otherwise."""
    for choice in (cli, configured):
        if choice and choice in LANGS:
            return choice
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANG
    return DEFAULT_LANG


# -- old names (kept working; use the enums and diagwizard.strings instead) --------------
AREA_TITLES: dict[str, Text] = {a.value: a.heading for a in Area}
STATUS_LABEL: dict[Status, Text] = {s: s.label for s in Status}
T: dict[str, Text] = {
    "checking": CHECKING,
    "verdict_ok": VERDICT_OK,
    "verdict_problems": VERDICT_PROBLEMS,
    "see_kb": SEE_KB,
}
__all__ = ["AREA_TITLES", "ROW_MARK", "STATUS_LABEL", "STATUS_STYLE", "T", "resolve_lang"]
