"""Load and validate knowledge-base entries (TOML), one file per topic.

A malformed or incomplete entry raises :class:`KBError`, naming the file, the field and
what was expected. The loader knows nothing about probes; cross-checks against the
registered probes live in the tests and in ``diagwizard kb``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from diagwizard.core import safefile
from diagwizard.core.errors import UserError
from diagwizard.core.model import Platform
from diagwizard.core.sanitize import has_control
from diagwizard.core.text import Text
from diagwizard.core.words import common, errors

KINDS = ("prerequisite", "procedure", "faq", "pin", "modern", "tool")
# Classes of error message an entry may answer broadly when nothing names it (kb.search).
FALLBACK_CLASSES = ("network", "tls", "hipki", "smartcard", "http")
ERAS = ("current", "legacy")
PLATFORMS = tuple(Platform)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.[EWI]\d{3}$")


class Condition(msgspec.Struct, frozen=True):
    """When a conditional step applies. ``false_if``: finding codes that rule it out, so a
    renderer that knows the findings drops the step instead of stating the condition."""

    text: Text
    false_if: frozenset[str] = frozenset()


CONDITIONS: dict[str, Condition] = {
    "pin_never_changed": Condition(common.IF_PIN_NEVER_CHANGED),
    "pin_tries_left_gt_1": Condition(
        common.IF_PIN_TRIES_LEFT,
        frozenset({"pkcs11.E051", "pkcs11.E052", "ask.E007"}),  # final try, locked
    ),
}


class FixStep(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One step of a fix: its text in both languages and the systems it is for.

    ``os`` empty means every system the entry is for. A view numbers the steps of one
    system, so a step never names its system in its text ("Windows：…")."""

    text: Text
    os: list[str] = []
    when: list[str] = []  # CONDITIONS ids, all must hold

    def applies(self, codes: Collection[str]) -> bool:
        """False when a finding rules the step out; True when nothing known does."""
        return not any(CONDITIONS[c].false_if & set(codes) for c in self.when)


class Fix(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """How to fix: an optional sentence before the steps, then the ordered steps."""

    steps: list[FixStep] = []  # a procedure's fix may be its intro alone: its steps are its own
    intro: Text | None = None


class Step(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A step of one of the guide's procedures (registration, login), which the wizard
    walks through and checks one by one."""

    title: Text
    body: Text
    probes: list[str] = []
    question: str = ""  # id of a guided question that checks what software cannot see


class Reference(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    title: Text
    url: str = ""


class Entry(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str
    kind: str
    order: int
    guide: str = ""  # where in the guide, e.g. "FAQ 5"; empty for modern causes
    title: Text
    summary: Text
    messages: list[str] = []  # exactly what a screen, dialog or page says (typos kept)
    symptoms: list[str] = []  # how people describe it in their own words
    causes: list[Text]  # written in TOML as { zh-TW = [...], en = [...] }
    fix: Fix
    codes: list[str] = []
    confirm_probes: list[str] = []
    questions: list[str] = []
    platforms: list[str] = msgspec.field(default_factory=lambda: list(PLATFORMS))
    era: str = "current"
    modern: Text | None = None  # required when era = "legacy"
    references: list[str] = msgspec.field(
        default_factory=lambda: ["moica-faq", "helpline", "email"]
    )
    steps: list[Step] = []  # a procedure's steps (kind = "procedure")
    fallback_for: list[str] = []  # classes of error this broad entry answers (kb.search)
    path: str = ""  # the file it came from; set by the loader

    def has_code(self, code: str) -> bool:
        return code in self.codes

    def systems(self, step: FixStep) -> list[str]:
        """The systems a fix step is for: its own ``os``, else every system of the entry."""
        return step.os or self.platforms


class KBError(UserError):
    pass


def _fail(path: Path, where: str, what: str) -> KBError:
    return KBError(
        errors.KB_INVALID,
        file=str(path),
        field=where or "(top level)",
        what=what,
    )


# A KB file (built in, or a plugin's) is a few KB of TOML.
KB_FILE_LIMIT = safefile.MB
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$\.?(?P<path>[^`]*)`)?$")


def _check(entry: Entry, path: Path) -> None:
    if not _ID.match(entry.id):
        raise _fail(path, "id", "lowercase letters, digits and '-'")
    if entry.id != path.stem:
        raise _fail(path, "id", f"the file name without .toml ({path.stem!r}), got {entry.id!r}")
    if entry.kind not in KINDS:
        raise _fail(path, "kind", f"one of {', '.join(KINDS)}")
    if entry.era not in ERAS:
        raise _fail(path, "era", f"one of {', '.join(ERAS)}")
    if entry.era == "legacy" and entry.modern is None:
        raise _fail(path, "modern", "a modern equivalent (required for legacy entries)")
    for i, plat in enumerate(entry.platforms):
        if plat not in PLATFORMS:
            raise _fail(path, f"platforms[{i}]", f"one of {', '.join(PLATFORMS)}")
    for i, code in enumerate(entry.codes):
        if not _CODE.match(code):
            raise _fail(path, f"codes[{i}]", "a finding code like 'pcsc.E001'")
    texts = [("title", entry.title), ("summary", entry.summary)]
    if entry.fix.intro is not None:
        texts.append(("fix.intro", entry.fix.intro))
    texts += [(f"fix.steps[{i}].text", s.text) for i, s in enumerate(entry.fix.steps)]
    for name, text in texts:
        for lang, value in (("zh-TW", text.zh), ("en", text.en)):
            if not value.strip():
                raise _fail(path, f"{name}.{lang}", "non-empty text")
    if not entry.causes:
        raise _fail(path, "causes", "the same non-empty number of causes in zh-TW and en")
    _check_fix(entry, path)
    for i, name in enumerate(entry.fallback_for):
        if name not in FALLBACK_CLASSES:
            raise _fail(path, f"fallback_for[{i}]", f"one of {', '.join(FALLBACK_CLASSES)}")
    if entry.kind == "procedure" and not entry.steps:
        raise _fail(path, "steps", "at least one step for a procedure")


def _check_fix(entry: Entry, path: Path) -> None:
    if not entry.fix.steps and entry.kind != "procedure":
        raise _fail(path, "fix.steps", "at least one step")
    for i, step in enumerate(entry.fix.steps):
        where = f"fix.steps[{i}]"
        for j, name in enumerate(step.os):
            if name not in PLATFORMS:
                raise _fail(path, f"{where}.os[{j}]", f"one of {', '.join(PLATFORMS)}")
            if name not in entry.platforms:
                raise _fail(
                    path,
                    f"{where}.os[{j}]",
                    f"one of the entry's platforms ({', '.join(entry.platforms)})",
                )
        if len(set(step.os)) != len(step.os):
            raise _fail(path, f"{where}.os", "each system once")
        for j, cond in enumerate(step.when):
            if cond not in CONDITIONS:
                raise _fail(path, f"{where}.when[{j}]", f"one of {', '.join(CONDITIONS)}")


T = TypeVar("T")
_LANG_KEYS = {"zh-TW", "en"}


def _texts(raw: Any, path: Path, where: str = "") -> Any:
    """Turn each TOML ``{ zh-TW = ..., en = ... }`` table into the fields of :class:`Text`.

    The data files name the languages; ``Text`` names its fields ``zh``/``en``. Done before
    validation, so a bilingual table is as strict as a schema: exactly the two language
    keys, text in both, and a pair of lists (``causes``) of equal, non-zero length.
    """
    if isinstance(raw, list):
        return [_texts(v, path, f"{where}[{i}]") for i, v in enumerate(raw)]
    if not isinstance(raw, dict):
        return raw
    if not raw.keys() & _LANG_KEYS:
        return {k: _texts(v, path, f"{where}.{k}" if where else k) for k, v in raw.items()}
    if raw.keys() != _LANG_KEYS:
        got = ", ".join(sorted(raw)) or "none"
        raise _fail(path, where, f"exactly the keys zh-TW and en (got {got})")
    zh, en = raw["zh-TW"], raw["en"]
    if isinstance(zh, list) and isinstance(en, list):
        if not zh or len(zh) != len(en):
            raise _fail(path, where, "the same non-empty number of items in zh-TW and en")
        return [
            _text(z, e, path, f"{where}[{i}]") for i, (z, e) in enumerate(zip(zh, en, strict=True))
        ]
    return _text(zh, en, path, where)


def _text(zh: Any, en: Any, path: Path, where: str) -> dict[str, str]:
    for lang, value in (("zh-TW", zh), ("en", en)):
        if not isinstance(value, str):
            raise _fail(path, f"{where}.{lang}", f"text, got {type(value).__name__}")
        if has_control(value, multiline=True):  # a plugin's text would reach the terminal
            raise _fail(path, f"{where}.{lang}", "text without control or bidi characters")
    return {"zh": zh, "en": en}


def decode_toml(
    path: Path, kind: type[T], check: Callable[[dict[str, Any], Path], None] | None = None
) -> T:
    """Read and validate one KB data file; every failure names the file and the field.
    ``check`` sees the raw table first (to name a mistake more plainly than the schema)."""
    try:
        data = safefile.read_bytes(path, KB_FILE_LIMIT)
    except safefile.Refused as exc:
        raise _fail(
            path, "", f"a regular file of at most {KB_FILE_LIMIT // 1024} KB ({exc.render('en')})"
        ) from None
    except OSError as exc:
        raise _fail(path, "", f"a readable file ({exc.strerror or exc})") from None
    try:
        raw = msgspec.toml.decode(data)
    except msgspec.DecodeError as exc:
        raise _fail(path, "", f"valid TOML ({exc})") from None
    if check is not None and isinstance(raw, dict):
        check(raw, path)
    try:
        return msgspec.convert(_texts(raw, path), type=kind)
    except msgspec.ValidationError as exc:  # a DecodeError too: kept apart from bad TOML
        m = _AT.match(str(exc))
        raise _fail(
            path, (m.group("path") if m else "") or "", m.group("what") if m else str(exc)
        ) from None


def _no_markdown_fix(raw: dict[str, Any], path: Path) -> None:
    """Entries written before issue 31 hold the fix as Markdown in each language."""
    fix = raw.get("fix")
    if isinstance(fix, dict) and {"zh-TW", "en"} & fix.keys():
        raise _fail(
            path,
            "fix",
            "[[fix.steps]] tables, each with text.zh-TW, text.en and, for some systems only, "
            "os = [...] (a fix in Markdown, fix.zh-TW / fix.en, is no longer read)",
        )


def load_file(path: Path) -> Entry:
    entry = decode_toml(path, Entry, _no_markdown_fix)
    _check(entry, path)
    entry.path = str(path)
    return entry


class KnowledgeBase(msgspec.Struct):
    entries: dict[str, Entry] = msgspec.field(default_factory=dict)
    references: dict[str, Reference] = msgspec.field(default_factory=dict)

    def ordered(self) -> list[Entry]:
        return sorted(self.entries.values(), key=lambda e: (KINDS.index(e.kind), e.order, e.id))

    def for_code(self, code: str) -> list[Entry]:
        return [self.entries[i] for i in self.code_index().get(code, [])]

    def code_index(self) -> dict[str, list[str]]:
        """Finding code -> entry ids, the most specific fix first (modern causes, then
        PIN help, the guide's FAQ, prerequisites, procedures, and tool entries)."""
        priority = ("modern", "pin", "faq", "prerequisite", "procedure", "tool")
        index: dict[str, list[str]] = {}
        for e in sorted(
            self.entries.values(), key=lambda e: (priority.index(e.kind), e.order, e.id)
        ):
            for c in e.codes:
                index.setdefault(c, []).append(e.id)
        return index


def load_references(path: Path) -> dict[str, Reference]:
    return decode_toml(path, dict[str, Reference])


def load_dirs(dirs: Iterable[Path]) -> KnowledgeBase:
    """Load every ``entries/*.toml`` (and ``references.toml``) from each KB data directory."""
    kb = KnowledgeBase()
    for d in dirs:
        refs = d / "references.toml"
        if refs.exists():
            kb.references.update(load_references(refs))
        for path in sorted((d / "entries").glob("*.toml")):
            entry = load_file(path)
            if entry.id in kb.entries:
                raise _fail(
                    path, "id", f"a unique id ({entry.id!r} is also in {kb.entries[entry.id].path})"
                )
            kb.entries[entry.id] = entry
    for entry in kb.entries.values():
        for i, ref in enumerate(entry.references):
            if ref not in kb.references:
                raise _fail(
                    Path(entry.path), f"references[{i}]", f"a known reference id, got {ref!r}"
                )
    return kb
