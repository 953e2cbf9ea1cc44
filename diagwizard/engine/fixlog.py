"""The fix log: every applied fix (what, when, how to undo) in the user data directory.

It stays on this machine (it holds full paths and, for removed certificates, the
certificate itself so that undo can restore it); it is never part of a report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from diagwizard.core.errors import UserError
from diagwizard.core.words import errors

BAD_LOG = errors.BAD_FIX_LOG


def log_path() -> Path:
    return Path(user_data_dir("diagwizard")) / "fixes.json"


def read(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or log_path()
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(BAD_LOG, file=str(path), err=str(exc)) from None
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise UserError(BAD_LOG, file=str(path), err="not a list of objects")
    return data


def _write(entries: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def append(entry: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    path = path or log_path()
    entries = read(path)
    entry = {"seq": max((e.get("seq", 0) for e in entries), default=0) + 1, **entry}
    entries.append(entry)
    _write(entries, path)
    return entry


def last_undoable(path: Path | None = None) -> dict[str, Any] | None:
    """The most recent applied fix that has an automatic undo and is not undone yet."""
    for entry in reversed(read(path)):
        if entry.get("undo_data") is not None and not entry.get("undone_at"):
            return entry
    return None


def mark_undone(seq: int, path: Path | None = None) -> None:
    path = path or log_path()
    entries = read(path)
    for entry in entries:
        if entry.get("seq") == seq:
            entry["undone_at"] = now()
    _write(entries, path)
