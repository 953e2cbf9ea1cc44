"""What screens tell the app when the person acts (messages up).

The app handles each one: it switches screens, runs probes in thread workers and records
results, answers and evidence in the diagnosis, which only it changes.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, TypedDict, Unpack

from textual.message import Message

if TYPE_CHECKING:
    from diagwizard.cases.record import Case
    from diagwizard.diagnosis.session import Diagnosis
    from diagwizard.engine.fixer import Offer
    from diagwizard.ui.tui.casework import ShowsCases
    from diagwizard.ui.tui.view import ShowsFixes, ShowsRechecks, ShowsRun


class CheckOptions(TypedDict, total=False):
    """What a check list shows (every key optional).

    ``only``: those probes and their needs (None, the default: every probe).
    ``entries``: KB entries from the symptom path, shown first.
    ``static``: results already in the diagnosis (a decoded case code), nothing runs.
    ``heading``: a decoded code's case code, platform and problem count.
    ``then_summary``: open the verdict when the run ends (the answer comes first).
    """

    only: list[str] | None
    entries: list[str] | None
    static: bool
    heading: str
    then_summary: bool


class Open(Message):
    """Open the screen registered under ``route`` (a menu choice, the summary)."""

    def __init__(self, route: str) -> None:
        super().__init__()
        self.route = route


class OpenChecks(Message):
    """Open a check list (the options are described on :class:`CheckOptions`)."""

    def __init__(self, **options: Unpack[CheckOptions]) -> None:
        super().__init__()
        self.options = options


class SymptomChosen(Message):
    """The person's message and the entry they chose: evidence; then check what it names."""

    def __init__(self, text: str, entry_id: str, only: list[str], entries: list[str]) -> None:
        super().__init__()
        self.text, self.entry_id = text, entry_id
        self.only, self.entries = only, entries


class CaseOpened(Message):
    """Helpdesk mode read a caller's case code: show their results, on their platform."""

    def __init__(self, platform: str, diagnosis: Diagnosis, heading: str) -> None:
        super().__init__()
        self.platform, self.diagnosis, self.heading = platform, diagnosis, heading


class RunChecks(Message):
    """Run ``only`` (and what they need) for ``screen``.

    ``rerun``: the probes run afresh; every other result already in the diagnosis is
    reused. None: nothing is reused.
    """

    def __init__(
        self, screen: ShowsRun, only: Collection[str], rerun: Collection[str] | None = None
    ) -> None:
        super().__init__()
        self.screen, self.only, self.rerun = screen, list(only), rerun


class Recheck(Message):
    """Check one probe again (and what it depends on): "I fixed it"."""

    def __init__(self, screen: ShowsRechecks, probe_id: str) -> None:
        super().__init__()
        self.screen, self.probe_id = screen, probe_id


class OfferFix(Message):
    """「幫我修好」 for a probe's result: show the plan, apply it after consent."""

    def __init__(self, screen: ShowsRun, probe_id: str) -> None:
        super().__init__()
        self.screen, self.probe_id = screen, probe_id


class FixProblem(Message):
    """「幫我修好」 for a problem of the verdict (by its key): its fixes, planned now, then
    consent as for a probe's."""

    def __init__(self, problem_key: str) -> None:
        super().__init__()
        self.problem_key = problem_key


class RecheckProblem(Message):
    """Check a problem's whole chain again: the probes that show it, what they depend on
    and everything that depends on them."""

    def __init__(self, problem_key: str) -> None:
        super().__init__()
        self.problem_key = problem_key


class ApplyFixes(Message):
    """The person agreed (the fix dialog's button): apply these, check again, and tell
    ``dialog`` what came of it; every screen showing results is told too."""

    def __init__(self, dialog: ShowsFixes, offers: list[Offer]) -> None:
        super().__init__()
        self.dialog, self.offers = dialog, offers


class AskQuestions(Message):
    """Ask these guided questions one after another; answers go into the diagnosis."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__()
        self.ids = ids


class LoadCases(Message):
    """Helpdesk mode: read the case log for ``screen``, only cases with ``problem`` (a
    finding code; "" for all)."""

    def __init__(self, screen: ShowsCases, problem: str = "") -> None:
        super().__init__()
        self.screen, self.problem = screen, problem


class EditCase(Message):
    """Helpdesk mode: change a logged case's outcome and note (a dialog, then a save)."""

    def __init__(self, screen: ShowsCases, case: Case) -> None:
        super().__init__()
        self.screen, self.case = screen, case
