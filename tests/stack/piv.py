"""A minimal PIV applet for the card emulator, enough for OpenSC's PKCS#11 module.

It serves the discovery object, the CHUID and the PIV-authentication certificate, chains
long responses (61xx / GET RESPONSE), and keeps a real PIN retry counter:
an empty VERIFY reports it without using a try; a wrong PIN uses one; 6983 when blocked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PIV_AID = bytes.fromhex("A000000308000010000100")
PIV_ATR = bytes.fromhex("3B888001") + b"PIVEMUL1"


def _with_tck(atr: bytes) -> bytes:
    check = 0
    for b in atr[1:]:
        check ^= b
    return atr + bytes([check])


PIV_ATR = _with_tck(PIV_ATR)


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xFF])


def tlv(tag: bytes, value: bytes) -> bytes:
    return tag + _len(len(value)) + value


@dataclass
class PivCard:
    cert_der: bytes
    pin: bytes = b"123456"
    retries: int = 3
    max_retries: int = 3
    verified: bool = False
    _pending: bytes = field(default=b"", repr=False)
    log: list[bytes] = field(default_factory=list, repr=False)

    def objects(self) -> dict[bytes, bytes]:
        discovery = tlv(b"\x7e", tlv(b"\x4f", PIV_AID) + tlv(b"\x5f\x2f", b"\x40\x00"))
        chuid = (
            tlv(b"\x30", b"\xd4" + bytes(24))
            + tlv(b"\x34", bytes(range(16)))
            + tlv(b"\x35", b"20301231")
            + tlv(b"\x3e", b"")
            + tlv(b"\xfe", b"")
        )
        cert = tlv(b"\x70", self.cert_der) + tlv(b"\x71", b"\x00") + tlv(b"\xfe", b"")
        return {
            b"\x7e": discovery,
            b"\x5f\xc1\x02": tlv(b"\x53", chuid),
            b"\x5f\xc1\x05": tlv(b"\x53", cert),
        }

    def _respond(self, data: bytes) -> bytes:
        head, self._pending = data[:256], data[256:]
        if self._pending:
            return head + bytes([0x61, min(len(self._pending), 256) & 0xFF])
        return head + b"\x90\x00"

    def __call__(self, apdu: bytes) -> bytes:
        self.log.append(apdu)
        if len(apdu) < 4:
            return b"\x67\x00"
        _cla, ins, p1, p2 = apdu[:4]
        body = apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b""
        if ins == 0xC0:  # GET RESPONSE
            return self._respond(self._pending) if self._pending else b"\x6a\x86"
        if ins == 0xA4 and p1 == 0x04:  # SELECT by AID
            if body and PIV_AID.startswith(body[: len(PIV_AID)]) and len(body) >= 5:
                self.verified = False
                apt = tlv(
                    b"\x61", tlv(b"\x4f", PIV_AID[5:11]) + tlv(b"\x79", tlv(b"\x4f", PIV_AID[:5]))
                )
                return self._respond(apt)
            return b"\x6a\x82"
        if ins == 0xCB and p1 == 0x3F and p2 == 0xFF:  # GET DATA
            if len(body) >= 2 and body[0] == 0x5C:
                tag = body[2 : 2 + body[1]]
                obj = self.objects().get(tag)
                return self._respond(obj) if obj is not None else b"\x6a\x82"
            return b"\x6a\x80"
        if ins == 0x20 and p2 == 0x80:  # VERIFY the PIV card application PIN
            if len(apdu) <= 5 and not body:  # status query: uses no try
                if self.retries == 0:
                    return b"\x69\x83"
                return b"\x90\x00" if self.verified else bytes([0x63, 0xC0 | self.retries])
            if self.retries == 0:
                return b"\x69\x83"
            if body.rstrip(b"\xff") == self.pin:
                self.retries = self.max_retries
                self.verified = True
                return b"\x90\x00"
            self.retries -= 1
            self.verified = False
            return b"\x69\x83" if self.retries == 0 else bytes([0x63, 0xC0 | self.retries])
        return b"\x6d\x00"
