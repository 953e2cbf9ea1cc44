"""Installed plugins' entry points, remembered between runs (issue 15).

Reading package metadata means importing ``importlib.metadata`` (it brings the email
package) and reading every installed distribution: about 20 ms at each start, although
almost no machine has a plugin. So the answer for diagwizard's entry-point groups is kept
in the user's cache directory, under a fingerprint of where Python finds distributions:
for each ``sys.path`` entry, the names of the ``*.dist-info``/``*.egg-info`` folders in it
(installing, upgrading or removing a package changes them) and the size and time of each
one's ``entry_points.txt`` (an editable install rewrites its own in place). Any change and
the metadata is read again; a missing, broken or unwritable cache only costs that read.
The file holds a hash of the fingerprint, never the paths (they name the user).
"""

from __future__ import annotations

import importlib
import json
import os
import stat
import sys
from functools import cache

import msgspec

from diagwizard import __version__
from diagwizard.core import cachefiles, frozen

GROUPS = ("diagwizard.checks", "diagwizard.fixes", "diagwizard.kb")
OWN_DIST = "diagwizard"
_FILE = "plugins.json"
_INFO = ("dist-info", "egg-info")


class PluginEntry(msgspec.Struct, frozen=True):
    """One entry point of a diagwizard group, as package metadata declares it."""

    group: str
    name: str
    value: str  # "module:attr" (an extras suffix "[...]" is ignored)
    dist: str  # the distribution that declares it

    def load(self) -> object:
        return resolve(self.value)


def resolve(target: str) -> object:
    """Import ``module:attr`` (attr may be dotted), as an entry point's load() does."""
    module, _, attrs = target.split("[", 1)[0].strip().partition(":")
    value: object = importlib.import_module(module.strip())
    for attr in filter(None, attrs.strip().split(".")):
        value = getattr(value, attr)
    return value


def entry_points(group: str) -> list[PluginEntry]:
    """Third-party entry points of ``group`` (one of :data:`GROUPS`), by name. diagwizard's
    own (an older install's metadata) are left out: its static lists name those."""
    found = [ep for ep in _installed().get(group, ()) if ep.dist != OWN_DIST]
    return sorted(found, key=lambda ep: ep.name)


def _installed() -> dict[str, tuple[PluginEntry, ...]]:
    """Every group's entry points; the fingerprint is taken on each call (about a
    millisecond), so a package installed while this process runs is seen too. The
    frozen program has no place to install a plugin: it reads nothing."""
    if frozen.is_frozen():
        return {group: () for group in GROUPS}
    key = _fingerprint()
    return _for_key(key)


@cache
def _for_key(key: str) -> dict[str, tuple[PluginEntry, ...]]:
    cached = _read(cachefiles.read(_FILE), key)
    if cached is not None:
        return cached
    found = _from_metadata()
    _write(key, found)
    return found


def _fingerprint() -> str:
    import hashlib  # lazy: start-up time, only when plugins are looked for

    parts: list[object] = [__version__, sys.version, sys.executable]
    for entry in sys.path:
        folder = entry or "."
        try:
            st = os.stat(folder)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):
            parts.append((entry, st.st_mtime_ns, st.st_size))  # a zip: any change counts
            continue
        parts.append(entry)
        try:
            names = sorted(e.name for e in os.scandir(folder) if _is_info(e.name))
        except OSError:
            continue
        for name in names:
            try:
                ep = os.stat(os.path.join(folder, name, "entry_points.txt"))
                parts.append((name, ep.st_mtime_ns, ep.st_size))
            except OSError:
                parts.append(name)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _is_info(name: str) -> bool:
    return name.lower().endswith(_INFO)


def _from_metadata() -> dict[str, tuple[PluginEntry, ...]]:
    from importlib.metadata import entry_points as installed  # lazy: start-up time

    found: dict[str, tuple[PluginEntry, ...]] = {}
    for group in GROUPS:
        found[group] = tuple(
            PluginEntry(group, ep.name, ep.value, _dist_name(ep)) for ep in installed(group=group)
        )
    return found


def _dist_name(ep: object) -> str:
    dist = getattr(ep, "dist", None)
    try:
        return str(dist.metadata["Name"]) if dist is not None else ""
    except (KeyError, OSError, ValueError):
        return ""


def _read(raw: bytes | None, key: str) -> dict[str, tuple[PluginEntry, ...]] | None:
    try:
        doc = json.loads(raw or b"null")
        if doc.get("key") != key:
            return None
        return {
            group: tuple(PluginEntry(group, *map(str, row)) for row in doc["groups"][group])
            for group in GROUPS
        }
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # no cache yet, or an unreadable one: read the metadata


def _write(key: str, found: dict[str, tuple[PluginEntry, ...]]) -> None:
    doc = {
        "key": key,
        "groups": {g: [[e.name, e.value, e.dist] for e in found[g]] for g in GROUPS},
    }
    cachefiles.write(_FILE, json.dumps(doc).encode())
