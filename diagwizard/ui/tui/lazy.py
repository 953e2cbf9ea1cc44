"""Screens whose modules load on the first visit, not before the first screen (issue 15).

The check list, symptom search, walkthroughs and summary import the engine's model, the
KB, its search index and the fixes; the first screen needs none of that. A screen is named
here as ``"module:Class"`` under ``diagwizard.ui.tui.screens`` (the CLI names its subcommands
the same way), and :func:`preload` imports them all in the background once the first
screen is up, with the data they show first, so the second screen does not wait either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from diagwizard.ui.tui.view import View

PACKAGE = "diagwizard.ui.tui.screens"


def screen_class(target: str) -> type[Screen[Any]]:
    """The class named by ``"module:Class"``, importing its module if needed."""
    module, name = target.split(":")
    cls: type[Screen[Any]] = getattr(import_module(f"{PACKAGE}.{module}"), name)
    return cls


class LazyScreen:
    """A screen the app opens: its class, by name, and the arguments it is built with.

    Every screen is built with the language first; one that shows results
    (``shows_results``) with the run's :class:`~diagwizard.ui.tui.view.View` next.
    """

    def __init__(
        self, target: str, /, *args: Any, shows_results: bool = False, **kwargs: Any
    ) -> None:
        self.target, self.args, self.kwargs = target, args, kwargs
        self.shows_results = shows_results

    def build(self, lang: str, view: Callable[[], View]) -> Screen[Any]:
        """A new screen; ``view`` is asked only by a screen that shows results (it may
        wait for the engine)."""
        given = (lang, view()) if self.shows_results else (lang,)
        return screen_class(self.target)(*given, *self.args, **self.kwargs)

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
