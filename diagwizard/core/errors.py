"""Errors a user can act on. The CLI prints them as one line, never a traceback."""

from __future__ import annotations

from typing import Any

from diagwizard.core.text import Text


class UserError(Exception):
    """A problem with the user's input (arguments, config, KB files, codes)."""

    exit_code = 2

    def __init__(self, text: Text, **params: Any) -> None:
        super().__init__(text.en.format(**params))
        self.text = text
        self.params = params

    def render(self, lang: str) -> str:
        return self.text.get(lang, **self.params)


class FixFailed(UserError):
    """A fix could not be applied (a command failed, a file was locked...)."""
