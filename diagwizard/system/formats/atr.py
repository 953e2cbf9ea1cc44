"""ISO/IEC 7816-3 ATR parsing that survives any bytes.

``parse`` never raises: malformed input yields ``Atr(valid=False, problem=...)`` with as
much as could be read. Only structure is checked here; what card it is, is KB data.
"""

from __future__ import annotations

import re

import msgspec

MAX_ATR = 33


class Atr(msgspec.Struct, frozen=True):
    raw: bytes
    valid: bool
    problem: str = ""
    convention: str = ""  # "direct" (3B) or "inverse" (3F)
    protocols: tuple[int, ...] = ()
    historical: bytes = b""
    tck_ok: bool | None = None
    interface: dict[str, int] = msgspec.field(default_factory=dict)

    @property
    def hex(self) -> str:
        return to_hex(self.raw)

    @property
    def historical_ascii(self) -> str:
        return "".join(chr(b) if 32 <= b < 127 else "." for b in self.historical)


def to_hex(data: bytes) -> str:
    return " ".join(f"{b:02X}" for b in data)


_HEX = re.compile(r"^[0-9A-Fa-f]{2}([\s:]?[0-9A-Fa-f]{2})*$")


def from_hex(text: str) -> bytes | None:
    """Parse '3B 8F 80 01', '3b8f8001' or '3B:8F'; None if it is not hex bytes."""
    text = text.strip()
    if not text or not _HEX.match(text):
        return None
    return bytes.fromhex(re.sub(r"[\s:]", "", text))


def parse(raw: bytes) -> Atr:
    data = bytes(raw)
    if not data:
        return Atr(data, False, "empty ATR")
    if len(data) > MAX_ATR:
        return Atr(data, False, f"longer than {MAX_ATR} bytes")
    ts = data[0]
    convention = {0x3B: "direct", 0x3F: "inverse"}.get(ts, "")
    if not convention:
        return Atr(data, False, f"TS byte {ts:02X} is neither 3B nor 3F")
    if len(data) < 2:
        return Atr(data, False, "missing T0 byte", convention)
    t0 = data[1]
    k = t0 & 0x0F
    y = t0 >> 4
    pos = 2
    level = 1
    protocols: list[int] = []
    interface: dict[str, int] = {}
    while True:
        for bit, letter in ((1, "A"), (2, "B"), (4, "C"), (8, "D")):
            if y & bit:
                if pos >= len(data):
                    return Atr(data, False, f"truncated in T{letter}{level}", convention)
                interface[f"T{letter}{level}"] = data[pos]
                pos += 1
        td = interface.get(f"TD{level}")
        if td is None:
            break
        protocols.append(td & 0x0F)
        y = td >> 4
        level += 1
        if level > 8:
            return Atr(data, False, "too many interface byte groups", convention)
    if pos + k > len(data):
        return Atr(data, False, "truncated historical bytes", convention, tuple(protocols))
    historical = data[pos : pos + k]
    pos += k
    needs_tck = any(p != 0 for p in protocols)
    tck_ok: bool | None = None
    if needs_tck:
        if pos >= len(data):
            return Atr(data, False, "missing TCK", convention, tuple(protocols), historical)
        check = 0
        for b in data[1 : pos + 1]:
            check ^= b
        tck_ok = check == 0
        pos += 1
    if pos != len(data):
        return Atr(
            data,
            False,
            f"{len(data) - pos} extra byte(s) after the ATR",
            convention,
            tuple(protocols),
            historical,
            tck_ok,
            interface,
        )
    if tck_ok is False:
        return Atr(
            data,
            False,
            "TCK checksum mismatch",
            convention,
            tuple(protocols),
            historical,
            tck_ok,
            interface,
        )
    return Atr(data, True, "", convention, tuple(protocols or [0]), historical, tck_ok, interface)
