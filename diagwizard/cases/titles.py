"""What a problem code is called, in the viewer's version and language: the title of the
KB entry that explains it, else its finding's message, else the code itself (a case
logged by another version may name a code this one does not know)."""

from __future__ import annotations

from diagwizard.core.errors import UserError
from diagwizard.core.text import Text
from diagwizard.diagnosis import casecode
from diagwizard.diagnosis.codebook import finding_definitions
from diagwizard.engine import knowledge


class Titles:
    def __init__(self) -> None:
        try:
            kb = knowledge.load()
        except UserError:  # a broken KB file: codes still name the problems
            self._entries: dict[str, Text] = {}
            self._by_code: dict[str, str] = {}
        else:
            self._entries = {e.id: e.title for e in kb.entries.values()}
            self._by_code = {code: ids[0] for code, ids in kb.code_index().items() if ids}
        self._findings: dict[str, Text] | None = None

    def of(self, code: str, entry: str | None = None) -> Text:
        """The title of a problem stored as ``code`` (and its KB ``entry``, if any)."""
        entry = entry if entry in self._entries else self._by_code.get(code)
        if entry:
            return self._entries[entry]
        message = self._messages().get(code)
        return message if message is not None else Text(code, code)

    def entry_title(self, entry: str) -> Text | None:
        """A KB entry's title (a fix that worked may name one)."""
        return self._entries.get(entry)

    def entry(self, code: str) -> str | None:
        return self._by_code.get(code)

    def _messages(self) -> dict[str, Text]:
        if self._findings is None:  # loads the probes' declarations: only when needed
            defs = finding_definitions(casecode.current_codebook())
            self._findings = {
                code: Text(d().render("zh-TW"), d().render("en")) for code, d in defs.items()
            }
        return self._findings
