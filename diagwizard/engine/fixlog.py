"""The fix log: every applied fix (what, when, what undo needs) in the user data directory.

It stays on this machine and is never part of a report. It records *what changed* and the
validated parameters undo needs (the previous start type, the NSS database and module
name), never a command: undo plans its commands again from the fix's own code and shows
them before anyone agrees (see ``engine.fixer``). So an edited log can at worst make undo
propose a change the fix itself could make, after checking it against this machine.

The file (format 2): ``{"schema": 2, "entries": [...]}``. Format 1 was a bare list; its
entries are kept and shown, never undone automatically (they held commands). A log that
is a link, belongs to someone else, or that others may write is refused with its path;
one larger than :data:`LIMIT` too. Each write replaces the file through a temporary file
(``core.safefile``). An entry that does not read as one (a missing or repeated ``seq``,
a wrong field) is skipped with a note and kept as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import msgspec
from platformdirs import user_data_dir

from diagwizard.core import safefile
from diagwizard.core.errors import UserError
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import errors, fixes

SCHEMA = 2
# Removed certificates are kept for undo (a few KB each): far below this.
LIMIT = 16 * safefile.MB

FixId = Annotated[
    str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=100)
]


class Entry(msgspec.Struct, kw_only=True):
    """What undo reads of one logged fix (other fields are kept in the file, unread)."""

    seq: Annotated[int, msgspec.Meta(ge=1)]
    fix: FixId
    applied_at: str = ""
    undo: Any = None  # the fix's undo record, validated against the fix's own type
    undone_at: str | None = None


@dataclass
class Log:
    """The log as read: the raw entries (written back as they were) and the usable ones."""

    path: Path
    raw: list[Any] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)  # entries skipped, and why


def log_path() -> Path:
    return Path(user_data_dir("diagwizard")) / "fixes.json"


def _bad(path: Path, err: str) -> UserError:
    return UserError(errors.BAD_FIX_LOG, file=clean(str(path)), err=clean(err))


def _load(path: Path) -> tuple[int, list[Any]]:
    """The format and the raw entries; a missing log is empty."""
    try:
        safefile.check_private(path)
    except FileNotFoundError:
        return SCHEMA, []
    except safefile.Refused as exc:
        raise UserError(errors.FIX_LOG_REFUSED, file=clean(str(path)), why=exc) from None
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from None
    try:
        data = json.loads(safefile.read_bytes(path, LIMIT))
    except safefile.Refused as exc:
        raise UserError(errors.FIX_LOG_REFUSED, file=clean(str(path)), why=exc) from None
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from None
    except (ValueError, RecursionError) as exc:
        raise _bad(path, str(exc)) from None
    if isinstance(data, list):  # format 1: its "undo" was the text of how to undo
        for item in data:
            if isinstance(item, dict) and "undo" in item and "undo_text" not in item:
                item["undo_text"] = item.pop("undo")
        return 1, data
    if not isinstance(data, dict) or not isinstance(data.get("schema"), int):
        raise _bad(path, "no format number")
    if data["schema"] > SCHEMA:
        raise UserError(errors.FIX_LOG_NEWER, file=clean(str(path)), schema=data["schema"])
    if not isinstance(data.get("entries"), list):
        raise _bad(path, "no list of entries")
    return data["schema"], data["entries"]


def read(path: Path | None = None) -> Log:
    path = path or log_path()
    schema, raw = _load(path)
    log = Log(path, raw)
    seen: dict[int, int] = {}
    parsed: list[tuple[int, Entry]] = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            log.notes.append(fixes.LOG_ENTRY_SKIPPED.fill(n=n, why="not an object"))
            continue
        try:
            entry = msgspec.convert(item, Entry)
        except msgspec.ValidationError as exc:
            log.notes.append(fixes.LOG_ENTRY_SKIPPED.fill(n=n, why=clean(str(exc))))
            continue
        if schema < 2 or "undo_data" in item:  # format 1 logged commands: never run
            if item.get("undo_data") and not entry.undone_at:
                log.notes.append(fixes.LOG_ENTRY_OLD.fill(n=n, fix=entry.fix))
            entry.undo = None
        seen[entry.seq] = seen.get(entry.seq, 0) + 1
        parsed.append((n, entry))
    for n, entry in parsed:
        if seen[entry.seq] > 1:
            log.notes.append(fixes.LOG_ENTRY_SEQ.fill(n=n, seq=entry.seq))
        else:
            log.entries.append(entry)
    return log


def _write(log: Log) -> None:
    log.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    doc = {"schema": SCHEMA, "entries": log.raw}
    safefile.write_atomic(log.path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def _update(path: Path | None, change: Callable[[Log], None]) -> None:
    log = read(path)
    change(log)
    _write(log)


def now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def append(entry: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """Add an entry under the next ``seq`` (one above every number the log holds)."""
    added: dict[str, Any] = {}

    def add(log: Log) -> None:
        numbers = [e.get("seq") for e in log.raw if isinstance(e, dict)]
        top = max((s for s in numbers if isinstance(s, int) and not isinstance(s, bool)), default=0)
        added.update({"seq": max(top, 0) + 1, **entry})
        log.raw.append(added)

    _update(path, add)
    return added


def mark_undone(seq: int, path: Path | None = None) -> None:
    def mark(log: Log) -> None:
        for item in log.raw:
            if isinstance(item, dict) and item.get("seq") == seq and not isinstance(seq, bool):
                item["undone_at"] = now()

    _update(path, mark)


__all__ = ["LIMIT", "SCHEMA", "Entry", "Log", "append", "log_path", "mark_undone", "now", "read"]
