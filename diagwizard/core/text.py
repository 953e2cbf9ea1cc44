"""The one bilingual text type. A leaf module, so anything may import it."""

from __future__ import annotations

from typing import Any

import msgspec


class Text(msgspec.Struct, frozen=True):
    """A user-facing string in both languages; zh-TW is primary."""

    zh: str
    en: str

    def get(self, lang: str, **params: Any) -> str:
        template = self.en if lang == "en" else self.zh
        return template.format(**params) if params else template

    def fill(self, **params: Any) -> Text:
        """Both languages with their placeholders filled (a catalogue entry made concrete,
        e.g. a summary that names the host)."""
        return Text(self.zh.format(**params), self.en.format(**params))
