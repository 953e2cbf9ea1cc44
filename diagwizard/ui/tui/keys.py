"""Key bindings whose footer labels come from the catalogue and follow the screen's language,
through Textual's public API only.

A binding names its label in the catalogue, ``key("escape", "back", keylabels.BACK)``; its
``description`` is the label's zh-TW text (the primary language). Textual's footer shows the
description of each binding in ``Screen.active_bindings``, a public property that the footer
and the key panel read; the wizard's screens override it (:class:`InLanguage`) to list their
bindings with the label in the screen's language, and call ``refresh_bindings()`` when the
language changes, so the footer asks again. Nothing else reads the descriptions.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from diagwizard.core.text import Text
from diagwizard.core.words import keylabels

# Every footer label, by its zh-TW text (unique: tests/test_words.py).
LABELS = {t.zh: t for t in vars(keylabels).values() if isinstance(t, Text)}

ResultType = TypeVar("ResultType")


def key(
    keys: str,
    action: str,
    label: Text | None = None,
    *,
    show: bool = True,
    priority: bool = False,
) -> Binding:
    """A binding labelled from :mod:`diagwizard.core.words.keylabels` (no label: hidden)."""
    if label is not None and LABELS.get(label.zh) != label:
        raise ValueError(f"{label!r} is not a footer label of diagwizard.core.words.keylabels")
    return Binding(keys, action, label.zh if label else "", show=show, priority=priority)


def in_language(bindings: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    """``bindings`` with each catalogued label in ``lang``."""
    shown = {}
    for name, active in bindings.items():
        label = LABELS.get(active.binding.description)
        if label is not None:
            binding = dataclasses.replace(active.binding, description=label.get(lang))
            active = ActiveBinding(active.node, binding, active.enabled, active.tooltip)
        shown[name] = active
    return shown


class InLanguage(Screen[ResultType]):
    """A screen whose footer labels are in its ``lang`` (set by its ``__init__``).

    Put it after ``ModalScreen`` in a dialog's bases (``class D(ModalScreen[T],
    InLanguage[T])``): Textual takes default CSS from the first base only.
    """

    lang: str

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return in_language(super().active_bindings, self.lang)

    def t(self, text: Text, **params: object) -> str:
        """``text`` in this screen's language."""
        return text.get(self.lang, **params)

    async def relabel(self, lang: str) -> None:
        """Show the screen in ``lang``: compose it again (screens keep their state in
        attributes) and let the footer read the labels again."""
        self.lang = lang
        await self.recompose()
        self.refresh_bindings()


__all__ = ["InLanguage", "in_language", "key"]
