"""Language choice: ``--lang``, then the config file, then the locale.

The words themselves live in the catalogue, :mod:`diagwizard.core.words`, and on the enums
(``Status.label``, ``Area.heading``).
"""

from __future__ import annotations

import os

LANGS = ("zh-TW", "en")  # zh-TW first: the primary language

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
