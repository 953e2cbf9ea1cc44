"""Reading and writing files that a person or another program controls.

Reads are bounded: only a regular file is read (a FIFO, a socket, a directory or a device
such as ``/dev/zero`` behind a link is refused at once, never waited on), and a file
larger than its limit is refused rather than read into memory. Writes never follow a
link: the new content goes into a temporary file created exclusively (``O_EXCL``, and
``O_NOFOLLOW`` where the system has it) in the same folder, which is then renamed over
the target. A link planted at the target is replaced, not written through; a reader
never sees half a file.

A refusal is a :class:`Refused` (an ``OSError``, so ``except OSError`` still holds) that
carries its reason in both languages; callers name the file in their own message.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from diagwizard.core.errors import localise
from diagwizard.core.text import Text
from diagwizard.core.words import errors

KB = 1024
MB = 1024 * KB


class Refused(OSError):
    """A file diagwizard will not read or write as it is; ``why`` says why, in words."""

    def __init__(self, path: str | os.PathLike[str], why: Text, **params: Any) -> None:
        self.why, self.params = why, params
        super().__init__(errno.EINVAL, self.render("en"), str(path))

    def render(self, lang: str) -> str:
        return self.why.get(lang, **{k: localise(v, lang) for k, v in self.params.items()})


def _kind(mode: int) -> Text:
    if stat.S_ISDIR(mode):
        return errors.KIND_FOLDER
    if stat.S_ISFIFO(mode):
        return errors.KIND_FIFO
    if stat.S_ISSOCK(mode):
        return errors.KIND_SOCKET
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return errors.KIND_DEVICE
    return errors.KIND_OTHER


def _open_regular(path: str | os.PathLike[str]) -> int:
    """An open descriptor of a regular file; anything else is refused without waiting
    (``O_NONBLOCK``: opening a FIFO for reading would otherwise block until a writer)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Refused(path, errors.FILE_NOT_REGULAR, kind=_kind(mode))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB and limit % MB == 0 else f"{limit // KB} KB"


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """The whole file, if it is a regular file of at most ``limit`` bytes."""
    fd = _open_regular(path)
    try:
        if os.fstat(fd).st_size > limit:
            raise Refused(path, errors.FILE_TOO_LARGE, limit=_size(limit))
        chunks, total = [], 0
        while chunk := os.read(fd, min(limit + 1 - total, 1 << 20)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise Refused(path, errors.FILE_TOO_LARGE, limit=_size(limit))
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first ``size`` bytes of a regular file (a library's header)."""
    fd = _open_regular(path)
    try:
        chunks, total = [], 0
        while total < size and (chunk := os.read(fd, size - total)):
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], limit: int, errors: str = "strict") -> str:
    """The file as UTF-8 text (a leading byte-order mark is dropped)."""
    return read_bytes(path, limit).decode("utf-8-sig", errors)


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8), never through a link.

    The temporary file is private to the user (mode 0600) and synced before the rename,
    so a crash leaves the old file or the new one, never half of either.
    """
    target = Path(path)
    if target.is_dir() and not target.is_symlink():
        raise IsADirectoryError(21, os.strerror(21), str(target))
    raw = data.encode("utf-8") if isinstance(data, str) else data
    # mkstemp opens with O_CREAT | O_EXCL | O_NOFOLLOW: a name someone planted is never
    # opened, it is skipped for another random one.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_private(path: str | os.PathLike[str]) -> None:
    """Refuse a file that someone else could have written: a link, another owner, or
    write access for the group or others (on the file or its folder). POSIX only: on
    Windows the file lives in the user's own profile, guarded by its access list."""
    if sys.platform == "win32":
        return
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise Refused(path, errors.FILE_IS_LINK)
    if not stat.S_ISREG(st.st_mode):
        raise Refused(path, errors.FILE_NOT_REGULAR, kind=_kind(st.st_mode))
    folder = os.stat(os.path.dirname(os.path.abspath(path)))
    for info, owner, writable in (
        (st, errors.FILE_OTHER_OWNER, errors.FILE_WRITABLE_BY_OTHERS),
        (folder, errors.FOLDER_OTHER_OWNER, errors.FOLDER_WRITABLE_BY_OTHERS),
    ):
        if info.st_uid != os.geteuid():
            raise Refused(path, owner, uid=info.st_uid)
        if info.st_mode & 0o022:
            raise Refused(path, writable, mode=f"{info.st_mode & 0o777:o}")
