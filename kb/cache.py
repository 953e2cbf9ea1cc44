"""Decoded KB files, remembered between runs (issue 15).

Parsing the KB's TOML (pure-Python tomllib) and validating it costs ~40 ms at every run,
although the files almost never change. ``decode_toml`` keeps each decoded value here as
msgpack, under a hash of the file's bytes, the type it was decoded into, and the code
that decodes it (diagwizard's version and the source of the loader and of that type's
module). So an edited file, a new diagwizard, or a changed loader never meets an old
value. A cache that is missing, unreadable, garbled or unwritable only costs the parse:
nothing here raises. One file, ``kb.msgpack`` in diagwizard's cache folder, holds at most
:data:`LIMIT` values (the oldest go first); deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from diagwizard import __version__
from diagwizard.core import cachefiles

T = TypeVar("T")
LIMIT = 400  # values kept; the built-in KB is ~40 files
_FILE = "kb.msgpack"
# Modules whose code shapes every decoded value (besides the type's own module).
_LOADER_SOURCES = ("kb.loader", "diagwizard.core.text", "diagwizard.core.model")


class _Store:
    """The cache file's contents in this process: key -> msgpack of a decoded value."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}
        self.dirty = False
        raw = cachefiles.read(_FILE)
        try:
            if raw is not None:
                self.values = msgspec.msgpack.decode(raw, type=dict[str, bytes])
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass  # not ours: start afresh

    def save(self) -> None:
        while len(self.values) > LIMIT:
            del self.values[next(iter(self.values))]
        cachefiles.write(_FILE, msgspec.msgpack.encode(self.values))


@cache
def _store() -> _Store:
    return _Store()


@cache
def _code_of(kind: type) -> bytes:
    """What decodes ``kind``: the version, and the loader's and the type's source."""
    parts = [__version__.encode(), kind.__module__.encode(), kind.__qualname__.encode()]
    for name in (*_LOADER_SOURCES, kind.__module__):
        file = getattr(sys.modules.get(name), "__file__", None)
        try:
            parts.append(Path(file).read_bytes() if file else b"")
        except OSError:  # a frozen program: its version pins the code
            parts.append(b"")
    return hashlib.blake2b(b"\0".join(parts), digest_size=16).digest()


def _key(kind: type, data: bytes) -> str:
    return hashlib.blake2b(_code_of(kind) + data, digest_size=16).hexdigest()


def get(kind: type[T], data: bytes) -> T | None:
    """The value decoded earlier from these bytes into ``kind``; None if there is none."""
    try:
        blob = _store().values.get(_key(kind, data))
        return None if blob is None else msgspec.msgpack.decode(blob, type=kind)
    except Exception:  # a value that no longer decodes is only a miss
        return None


def put(kind: type, data: bytes, value: Any) -> None:
    """Remember ``value``, decoded from ``data``, for the next run (see :func:`flush`)."""
    try:
        store = _store()
        store.values[_key(kind, data)] = msgspec.msgpack.encode(value)
        store.dirty = True
    except Exception:  # never a reason to fail a load that has succeeded
        return


def flush() -> None:
    """Write what :func:`put` added since the last flush (once per batch of files)."""
    try:
        store = _store()
        if store.dirty:
            store.save()
            store.dirty = False
    except Exception:  # never a reason to fail a load (nor to hide its KBError)
        return
