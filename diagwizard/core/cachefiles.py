"""diagwizard's cache folder: files that only save time (issue 15), so nothing here
raises. A file that cannot be read is None; one that cannot be written is skipped.

The folder is the user's cache folder (platformdirs), or ``DIAGWIZARD_CACHE_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "DIAGWIZARD_CACHE_DIR"


def folder() -> Path | None:
    """The cache folder; None where none can be named (no usable home folder)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    try:
        from platformdirs import user_cache_dir  # lazy: start-up time, only when caching

        return Path(user_cache_dir("diagwizard", appauthor=False))
    except Exception:  # a cache is only ever a shortcut
        return None


def read(name: str) -> bytes | None:
    """The cache file ``name``'s bytes; None if there is none or it cannot be read."""
    where = folder()
    try:
        return (where / name).read_bytes() if where is not None else None
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Replace the cache file ``name`` at once (another process sees the old file or the
    new one, never half); give up quietly on a read-only home or a full disk."""
    where = folder()
    if where is None:
        return
    path = where / name
    tmp = path.with_name(f".{name}.{os.getpid()}")
    try:
        where.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # the folder itself is not there or not ours
            pass
