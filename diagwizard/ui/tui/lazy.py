"""Screens whose modules load on the first visit, not before the first screen (issue 15).

The check list, symptom search, walkthroughs and summary import the engine's model, the
KB, its search index and the fixes; the first screen needs none of that. A screen is named
here as ``"module:Class"`` under ``diagwizard.ui.tui.screens`` (the CLI names its subcommands
the same way), and :func:`preload` imports them all in the background once the first
screen is up, with the data they show first, so the second screen does not wait either.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from textual.screen import Screen

PACKAGE = "diagwizard.ui.tui.screens"


def screen_class(target: str) -> type[Screen[Any]]:
    """The class named by ``"module:Class"``, importing its module if needed."""
    module, name = target.split(":")
    cls: type[Screen[Any]] = getattr(import_module(f"{PACKAGE}.{module}"), name)
    return cls


class LazyScreen:
    """A factory for Textual's ``SCREENS``: builds the screen, loading its module first."""

    def __init__(self, target: str, /, *args: Any, **kwargs: Any) -> None:
        self.target, self.args, self.kwargs = target, args, kwargs

    def __call__(self) -> Screen[Any]:
        return screen_class(self.target)(*self.args, **self.kwargs)

    def __repr__(self) -> str:
        return f"LazyScreen({self.target!r})"


def preload(factories: Iterable[object]) -> None:
    """Import the modules of the lazy screens among ``factories`` and run their
    ``warm_up()`` (the data a screen shows first), before the person chooses one.

    Called from a warm-up thread once the first screen is up. A screen module's
    ``warm_up`` must not raise for bad data: an error there would end the wizard, while
    the screen itself meets the same error only when the person opens it.
    """
    names = dict.fromkeys(f.target.split(":")[0] for f in factories if isinstance(f, LazyScreen))
    for name in names:
        warm_up = getattr(import_module(f"{PACKAGE}.{name}"), "warm_up", None)
        if callable(warm_up):
            warm_up()
