"""PC/SC transport: the only module that talks to pyscard.

It never sends an APDU. Reader states and the ATR come from SCardGetStatusChange and
SCardConnect/SCardStatus, which power the card but do not touch the PIN. Errors become
:class:`PcscError` with the PC/SC code and its name, so probes can map them to findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Any

# PC/SC return codes we tell apart (same values on pcsc-lite, Windows and macOS).
CODES = {
    0x80100001: "SCARD_F_INTERNAL_ERROR",
    0x80100002: "SCARD_E_CANCELLED",
    0x80100003: "SCARD_E_INVALID_HANDLE",
    0x80100006: "SCARD_E_NO_MEMORY",
    0x80100009: "SCARD_E_UNKNOWN_READER",
    0x8010000A: "SCARD_E_TIMEOUT",
    0x8010000B: "SCARD_E_SHARING_VIOLATION",
    0x8010000C: "SCARD_E_NO_SMARTCARD",
    0x8010000F: "SCARD_E_PROTO_MISMATCH",
    0x80100013: "SCARD_F_COMM_ERROR",
    0x80100016: "SCARD_E_NOT_TRANSACTED",
    0x80100017: "SCARD_E_READER_UNAVAILABLE",
    0x8010001D: "SCARD_E_NO_SERVICE",
    0x8010001E: "SCARD_E_SERVICE_STOPPED",
    0x8010002E: "SCARD_E_NO_READERS_AVAILABLE",
    0x80100066: "SCARD_W_UNRESPONSIVE_CARD",
    0x80100067: "SCARD_W_UNPOWERED_CARD",
    0x80100068: "SCARD_W_RESET_CARD",
    0x80100069: "SCARD_W_REMOVED_CARD",
}

SERVICE_GONE = {
    "SCARD_E_NO_SERVICE",
    "SCARD_E_SERVICE_STOPPED",
    "SCARD_E_INVALID_HANDLE",
    "SCARD_F_INTERNAL_ERROR",
    "SCARD_F_COMM_ERROR",
}
READER_GONE = {"SCARD_E_UNKNOWN_READER", "SCARD_E_READER_UNAVAILABLE"}
CARD_GONE = {"SCARD_W_REMOVED_CARD", "SCARD_E_NO_SMARTCARD", "SCARD_W_RESET_CARD"}
CARD_MUTE = {"SCARD_W_UNRESPONSIVE_CARD", "SCARD_W_UNPOWERED_CARD", "SCARD_E_PROTO_MISMATCH"}


class PcscUnavailable(Exception):
    """pyscard (or the PC/SC library under it) cannot be loaded."""


class PcscError(Exception):
    def __init__(self, operation: str, code: int) -> None:
        self.operation = operation
        self.code = code & 0xFFFFFFFF
        self.name = CODES.get(self.code, f"0x{self.code:08X}")
        super().__init__(f"{operation}: {self.name}")


@dataclass(frozen=True)
class ReaderState:
    name: str
    present: bool
    mute: bool
    unpowered: bool
    exclusive: bool
    atr: bytes


@dataclass(frozen=True)
class CardAnswer:
    atr: bytes
    protocol: str  # "T=0", "T=1", ...


def _scard() -> Any:
    try:
        import smartcard.scard as scard
    except Exception as exc:  # ImportError, or OSError from a missing libpcsclite
        raise PcscUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return scard


class PcscSession:
    """One PC/SC context. Use as a context manager; it is always released."""

    def __init__(self) -> None:
        self._s = _scard()
        self._ctx: Any = None

    def __enter__(self) -> PcscSession:
        hr, ctx = self._s.SCardEstablishContext(self._s.SCARD_SCOPE_USER)
        if hr != 0:
            raise PcscError("SCardEstablishContext", hr)
        self._ctx = ctx
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._ctx is not None:
            try:
                self._s.SCardReleaseContext(self._ctx)
            except Exception:
                pass  # the service may already be gone; nothing left to release
            self._ctx = None

    def readers(self) -> list[str]:
        hr, names = self._s.SCardListReaders(self._ctx, [])
        if hr == 0x8010002E:  # no readers is an answer, not an error
            return []
        if hr != 0:
            raise PcscError("SCardListReaders", hr)
        return list(names)

    def states(self, names: list[str]) -> list[ReaderState]:
        s = self._s
        if not names:
            return []
        hr, states = s.SCardGetStatusChange(
            self._ctx, 0, [(n, s.SCARD_STATE_UNAWARE) for n in names]
        )
        if hr != 0:
            raise PcscError("SCardGetStatusChange", hr)
        out = []
        for name, event, atr in states:
            if event & s.SCARD_STATE_UNKNOWN:
                raise PcscError("SCardGetStatusChange", 0x80100009)
            out.append(
                ReaderState(
                    name=name,
                    present=bool(event & s.SCARD_STATE_PRESENT),
                    mute=bool(event & s.SCARD_STATE_MUTE),
                    unpowered=bool(event & getattr(s, "SCARD_STATE_UNPOWERED", 0)),
                    exclusive=bool(event & s.SCARD_STATE_EXCLUSIVE),
                    atr=bytes(atr or b""),
                )
            )
        return out

    def still_present(self, reader: str, settle_ms: int = 600) -> bool:
        """After a failed connection: is the card still there? A pulled card takes the
        reader a poll cycle to notice, so wait up to ``settle_ms`` for a state change."""
        s = self._s
        hr, states = s.SCardGetStatusChange(self._ctx, 0, [(reader, s.SCARD_STATE_UNAWARE)])
        if hr != 0:
            raise PcscError("SCardGetStatusChange", hr)
        current = states[0][1] & ~s.SCARD_STATE_CHANGED
        if not current & s.SCARD_STATE_PRESENT:
            return False
        hr, states = s.SCardGetStatusChange(self._ctx, settle_ms, [(reader, current)])
        if hr == 0x8010000A:  # SCARD_E_TIMEOUT: nothing changed, the card is still in
            return True
        if hr != 0:
            raise PcscError("SCardGetStatusChange", hr)
        return bool(states[0][1] & s.SCARD_STATE_PRESENT)

    def connect(self, reader: str) -> CardAnswer:
        """Power the card and read its ATR; no APDU is sent. The card is left as found."""
        s = self._s
        protocols = s.SCARD_PROTOCOL_T0 | s.SCARD_PROTOCOL_T1
        hr, handle, proto = s.SCardConnect(self._ctx, reader, s.SCARD_SHARE_SHARED, protocols)
        if hr != 0:
            raise PcscError("SCardConnect", hr)
        try:
            hr, _name, _state, proto, atr = s.SCardStatus(handle)
            if hr != 0:
                raise PcscError("SCardStatus", hr)
        finally:
            s.SCardDisconnect(handle, s.SCARD_LEAVE_CARD)
        label = {s.SCARD_PROTOCOL_T0: "T=0", s.SCARD_PROTOCOL_T1: "T=1"}.get(proto, str(proto))
        return CardAnswer(bytes(atr), label)
