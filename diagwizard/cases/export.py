"""Cases as a CSV file for a spreadsheet.

Safe to open in Excel or LibreOffice: a cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return) would run as a formula there, so it gets a leading
apostrophe (OWASP's advice on CSV injection). UTF-8 with a byte-order mark, so Excel on a
zh-TW Windows reads the Chinese right. Written without following a link at the target:
into a new file made exclusively in the same folder, then moved over the target with
``os.replace`` (which replaces a symlink itself, never what it points to).
"""

from __future__ import annotations

import csv
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from diagwizard.cases.record import Case, as_utc, local_text
from diagwizard.cases.titles import Titles
from diagwizard.core.errors import UserError
from diagwizard.core.sanitize import clean
from diagwizard.core.words import cases as words

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value a spreadsheet shows as text, never runs."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def row(case: Case, titles: Titles, lang: str) -> list[str]:
    return [
        str(case.number),
        local_text(case.logged_at, seconds=True),
        as_utc(case.logged_at).isoformat(),
        case.platform,
        case.case_code,
        "; ".join(case.codes),
        "; ".join(titles.of(p.code, p.entry).get(lang) for p in case.problems),
        case.outcome.label.get(lang),
        case.fix,
        case.agent,
        case.note,
        as_utc(case.updated_at).isoformat() if case.updated_at else "",
    ]


def write_csv(target: str, cases: Iterable[Case], titles: Titles, lang: str) -> tuple[int, Path]:
    """Write ``cases`` to ``target``; how many, and the file."""
    path = Path(target).expanduser()
    shown = clean(str(path))
    if path.is_dir():
        raise UserError(words.EXPORT_IS_FOLDER, path=shown)
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        pass  # a new file
    else:  # a device, a pipe, a socket is never replaced (/dev/null stays a device)
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise UserError(words.EXPORT_NOT_FILE, path=shown)
    count = 0
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(words.EXPORT_FAILED, path=shown, err=exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([t.get(lang) for t in words.CSV_COLUMNS.values()])
            for case in cases:
                writer.writerow([cell(v) for v in row(case, titles, lang)])
                count += 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(words.EXPORT_FAILED, path=shown, err=exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count, path
