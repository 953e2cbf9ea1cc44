"""What a screen showing results is given when it is built, and what the app calls on it.

Attributes down, messages up: a screen gets its language and a :class:`View` of the run
when it is built and posts a message (:mod:`diagwizard.ui.tui.messages`) when the person
acts; the app does the work (in thread workers), records the results in the diagnosis and
tells the screen through the methods of :class:`ShowsRun`. Screens never see the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    from diagwizard.api.probe import Probe
    from diagwizard.core.model import Result
    from diagwizard.diagnosis.repair import Round
    from diagwizard.diagnosis.session import Diagnosis


class View(NamedTuple):
    """The run as screens see it. Read it; only the app changes the diagnosis."""

    probes: Mapping[str, Probe]  # every probe, by id: titles, areas
    diagnosis: Diagnosis  # results, answers, the symptom: what every verdict is built from
    platform: str  # whose fix steps come first, and the case code's platform
    applicable: Callable[[list[str]], list[Probe]]  # what a check of these ids (none: all) runs
    own: bool = True  # this machine's run (else a caller's case code: nothing to fix here)


class ShowsRun(Protocol):
    """A screen that asked for a run (:class:`~diagwizard.ui.tui.messages.RunChecks`).

    The app records each result in the diagnosis before it calls these, and calls them
    only while the screen is still attached."""

    @property
    def is_attached(self) -> bool: ...

    def probe_started(self, probe_id: str) -> None: ...

    def probe_finished(self, probe_id: str, result: Result) -> None: ...

    def run_finished(self, results: dict[str, Result]) -> None: ...


class ShowsRechecks(ShowsRun, Protocol):
    """A screen that also asks to check a probe again after a fix by hand."""

    def rechecked(self, probe_id: str, before: Result | None, fresh: dict[str, Result]) -> None: ...


@runtime_checkable
class ShowsChanges(Protocol):
    """A screen that shows results, told whenever results change after it was built (a
    fix, a re-check asked for on another screen): it shows them, and the verdict and count
    they make, at once. The app calls it on every such screen on the stack."""

    def results_changed(self, fresh: Mapping[str, Result]) -> None: ...


class ShowsFixes(Protocol):
    """The fix dialog: told what applying the fixes did (verdicts, what was checked again,
    the progress line)."""

    @property
    def is_attached(self) -> bool: ...

    def fixes_applied(self, round_: Round, progress: str) -> None: ...
