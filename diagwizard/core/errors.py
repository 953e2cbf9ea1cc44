"""Errors a user can act on. The CLI prints them as one line, never a traceback."""

from __future__ import annotations

from typing import Any

from diagwizard.core.text import Text


class UserError(Exception):
    """A problem with the user's input (arguments, config, KB files, codes)."""

    exit_code = 2

    def __init__(self, text: Text, **params: Any) -> None:
        super().__init__(text.en.format(**{k: localise(v, "en") for k, v in params.items()}))
        self.text = text
        self.params = params

    def render(self, lang: str) -> str:
        """The message in ``lang``; a parameter that is itself a :class:`Text` (or has a
        ``render(lang)``, like a refused file's reason) is put in the same language."""
        return self.text.get(lang, **{k: localise(v, lang) for k, v in self.params.items()})


def localise(value: Any, lang: str) -> Any:
    """A message parameter in ``lang``: a :class:`Text` or anything with ``render(lang)``."""
    if isinstance(value, Text):
        return value.get(lang)
    render = getattr(value, "render", None)
    return render(lang) if callable(render) else value


class FixFailed(UserError):
    """A fix could not be applied (a command failed, a file was locked...)."""
