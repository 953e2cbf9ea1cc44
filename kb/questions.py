"""Guided questions (``questions.toml``): the things software cannot see, asked of a person.

An answer may carry a finding code; the diagnosis treats it exactly like a probe finding.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import msgspec

from diagwizard.core.text import Text
from kb.loader import _fail, decode_toml

PATH = Path(__file__).resolve().parent / "questions.toml"
_CODE = re.compile(r"^ask\.[EWI]\d{3}$")


class Option(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str
    label: Text
    code: str = ""


class Question(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str
    area: str  # where its fix belongs among the probe areas (card, component, cert, ...)
    text: Text
    options: list[Option]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class _File(msgspec.Struct, forbid_unknown_fields=True):
    questions: list[Question]


def load(path: Path = PATH) -> dict[str, Question]:
    data = decode_toml(path, _File)
    out: dict[str, Question] = {}
    for i, q in enumerate(data.questions):
        if q.id in out:
            raise _fail(path, f"questions[{i}].id", f"a unique id ({q.id!r} repeats)")
        for j, o in enumerate(q.options):
            if o.code and not _CODE.match(o.code):
                raise _fail(path, f"questions[{i}].options[{j}].code", "a code like 'ask.E001'")
        out[q.id] = q
    return out


@cache
def questions() -> dict[str, Question]:
    return load()
