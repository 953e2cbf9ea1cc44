"""Personal-data redaction for everything that leaves the machine.

Every fact a probe marks as personal is replaced by a placeholder such as
``[personal-1]``. The same value always gets the same placeholder, and the value is
also replaced wherever it appears inside other text (summaries, messages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from diagwizard.model import Result

# Values shorter than this are not hunted inside free text (too many false hits).
_MIN_EMBEDDED = 3


class Redactor:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._map: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def learn(self, results: Iterable[Result]) -> None:
        for res in results:
            for fact in res.facts.values():
                if fact.personal:
                    self._learn_value(fact.value)
        self._pattern = None

    def _learn_value(self, value: Any) -> None:
        if value is None or value == "" or isinstance(value, bool):
            return
        if isinstance(value, dict):
            for v in value.values():
                self._learn_value(v)
            return
        if isinstance(value, (list, tuple, set)):
            for v in value:
                self._learn_value(v)
            return
        key = str(value)
        if key not in self._map:
            self._map[key] = f"[personal-{len(self._map) + 1}]"

    def placeholder(self, value: Any) -> Any:
        if not self.enabled:
            return value
        if isinstance(value, dict):
            return {k: self.placeholder(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.placeholder(v) for v in value]
        if value is None or value == "" or isinstance(value, bool):
            return value
        return self._map.get(str(value), "[personal]")

    def text(self, s: str) -> str:
        """Replace every known personal value embedded in free text."""
        if not self.enabled or not self._map:
            return s
        if self._pattern is None:
            keys = sorted((k for k in self._map if len(k) >= _MIN_EMBEDDED), key=len, reverse=True)
            if not keys:
                return s
            self._pattern = re.compile("|".join(re.escape(k) for k in keys))
        return self._pattern.sub(lambda m: self._map[m.group(0)], s)

    def deep(self, value: Any) -> Any:
        """Redact embedded personal values inside a non-personal fact value."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        return value
