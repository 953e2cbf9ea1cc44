"""Key bindings whose footer labels follow the wizard's language.

Bindings are declared once with a bilingual label, ``"返回|Back"``; the footer shows only
the half for the current language, so it fits 80 columns in both languages.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode


def label(description: str, lang: str) -> str:
    """``"返回|Back"`` → 「返回」 or "Back"; a label without "|" is shown as written."""
    if "|" not in description:
        return description
    zh, en = description.split("|", 1)
    return en if lang == "en" else zh


def localize(node: DOMNode, lang: str) -> None:
    """Rebuild the node's bindings with labels in ``lang`` and refresh the footer."""
    source = type(node)._merged_bindings
    if source is None:
        return
    localized = BindingsMap()
    for bindings in source.key_to_bindings.values():
        for binding in bindings:
            localized._add_binding(
                dataclasses.replace(binding, description=label(binding.description, lang))
            )
    node._bindings = localized
    node.refresh_bindings()


__all__ = ["Binding", "label", "localize"]
