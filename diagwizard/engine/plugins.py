"""Installed plugins: the entry points of diagwizard's groups, from package metadata."""

from __future__ import annotations

import importlib
from importlib.metadata import EntryPoint
from importlib.metadata import entry_points as installed

import msgspec

from diagwizard.core import frozen

GROUPS = ("diagwizard.checks", "diagwizard.fixes", "diagwizard.kb")
OWN_DIST = "diagwizard"


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
    own (an older install's metadata) are left out: its static lists name those. The
    frozen program has no place to install a plugin: it has none."""
    if frozen.is_frozen():
        return []
    found = [PluginEntry(group, ep.name, ep.value, _dist_name(ep)) for ep in installed(group=group)]
    return sorted((ep for ep in found if ep.dist != OWN_DIST), key=lambda ep: ep.name)


def _dist_name(ep: EntryPoint) -> str:
    dist = ep.dist
    try:
        return str(dist.metadata["Name"]) if dist is not None else ""
    except (KeyError, OSError, ValueError):
        return ""
