"""The fix adapter's recorded-command seam: record every command a fix runs and answer
like the OS would, optionally changing the recorded OS state (e.g. a service now runs)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from diagwizard.system.adapters.fixops import CommandResult


class Recorder:
    def __init__(
        self,
        answers: dict[tuple[str, ...], CommandResult] | None = None,
        effects: dict[tuple[str, ...], Callable[[], None]] | None = None,
    ) -> None:
        self.answers = answers or {}
        self.effects = effects or {}
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, argv: Sequence[str]) -> CommandResult:
        command = tuple(argv)
        self.calls.append(command)
        if command in self.effects:
            self.effects[command]()
        return self.answers.get(command, CommandResult(0))

    def changes(self) -> list[tuple[str, ...]]:
        """The commands that change something (queries like `sc qc` left out)."""
        queries = {("timedatectl", "show"), ("systemsetup", "-getusingnetworktime")}
        return [c for c in self.calls if c[:2] not in queries]
