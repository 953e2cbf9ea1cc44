"""Component facts (``components.toml``): HiCOS versions and HiPKI Local Server codes."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import msgspec

from diagwizard.core.text import Text
from kb.loader import _fail, decode_toml

PATH = Path(__file__).resolve().parent / "components.toml"


class Hicos(msgspec.Struct, forbid_unknown_fields=True):
    current: str
    outdated_below: str


class HipkiCode(msgspec.Struct, frozen=True):
    """One vendor code: its wording (the vendor's zh-TW, our English) and the finding kind
    we read it as ("" when it has none)."""

    text: Text
    kind: str = ""


class Hipki(msgspec.Struct, forbid_unknown_fields=True):
    ret_codes: dict[str, Text]
    minor_codes: dict[str, Text]
    ret_kinds: dict[str, str] = {}
    minor_kinds: dict[str, str] = {}

    def ret(self, code: int) -> HipkiCode | None:
        return _lookup(self.ret_codes, self.ret_kinds, code)

    def minor(self, code: int) -> HipkiCode | None:
        return _lookup(self.minor_codes, self.minor_kinds, code)

    def ret_meaning(self, code: int) -> str:
        """The finding kind of a ret_code ("unknown" when it has none)."""
        entry = self.ret(code)
        return entry.kind if entry and entry.kind else "unknown"

    def minor_meaning(self, code: int) -> str:
        entry = self.minor(code)
        return entry.kind if entry and entry.kind else "unknown"


def _lookup(texts: dict[str, Text], kinds: dict[str, str], code: int) -> HipkiCode | None:
    for key, text in texts.items():
        if int(key, 16) == code:
            return HipkiCode(text, kinds.get(key, ""))
    return None


class Ca(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    names: list[str]
    label: Text
    generations: dict[str, str] = {}

    def generation(self, key_id: bytes) -> str:
        """The generation whose key identifier ``key_id`` starts with, or ""."""
        hexid = key_id.hex().upper()
        for prefix, gen in self.generations.items():
            if hexid.startswith(prefix.upper()):
                return gen
        return ""


class Components(msgspec.Struct, forbid_unknown_fields=True):
    hicos: Hicos
    hipki: Hipki
    cas: list[Ca] = []

    def ca_by_key_id(self, key_id: bytes) -> tuple[Ca, str] | None:
        """The CA and generation owning this key identifier (DOMAIN.md's table)."""
        if not key_id:
            return None
        for ca in self.cas:
            if gen := ca.generation(key_id):
                return ca, gen
        return None

    def ca_for(self, issuer_names: list[str]) -> Ca | None:
        for ca in self.cas:
            if any(n in issuer for n in ca.names for issuer in issuer_names):
                return ca
        return None


def load(path: Path = PATH) -> Components:
    comps = decode_toml(path, Components)
    for table in ("ret_codes", "minor_codes"):
        for key in getattr(comps.hipki, table):
            if not re.fullmatch(r"0x[0-9A-Fa-f]+", key):
                raise _fail(path, f"hipki.{table}.{key}", "a hex code like 0x76000006")
    for kinds, codes in (("ret_kinds", "ret_codes"), ("minor_kinds", "minor_codes")):
        for key in getattr(comps.hipki, kinds):
            if key not in getattr(comps.hipki, codes):
                raise _fail(path, f"hipki.{kinds}.{key}", f"a code listed in hipki.{codes}")
    return comps


@cache
def components() -> Components:
    return load()


def hipki_codes() -> Hipki:
    return components().hipki


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version)[:4])
