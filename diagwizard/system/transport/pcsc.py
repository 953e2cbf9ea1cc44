"""PC/SC transport: the only module that talks to pyscard.

It never sends an APDU. Reader states and the ATR come from SCardGetStatusChange and
SCardConnect/SCardStatus, which power the card but do not touch the PIN. Errors become
:class:`PcscError` with the PC/SC code and its name, so probes can map them to findings.
"""

from __future__ import annotations

import enum
import time
from types import TracebackType
from typing import Any

import msgspec


class ScardError(enum.IntEnum):
    """PC/SC return codes we tell apart (same values on pcsc-lite, Windows and macOS)."""

    INTERNAL_ERROR = 0x80100001
    CANCELLED = 0x80100002
    INVALID_HANDLE = 0x80100003
    NO_MEMORY = 0x80100006
    UNKNOWN_READER = 0x80100009
    TIMEOUT = 0x8010000A
    SHARING_VIOLATION = 0x8010000B
    NO_SMARTCARD = 0x8010000C
    PROTO_MISMATCH = 0x8010000F
    COMM_ERROR = 0x80100013
    NOT_TRANSACTED = 0x80100016
    READER_UNAVAILABLE = 0x80100017
    NO_SERVICE = 0x8010001D
    SERVICE_STOPPED = 0x8010001E
    NO_READERS_AVAILABLE = 0x8010002E
    UNRESPONSIVE_CARD = 0x80100066
    UNPOWERED_CARD = 0x80100067
    RESET_CARD = 0x80100068
    REMOVED_CARD = 0x80100069

    @property
    def scard_name(self) -> str:
        """The name the PC/SC headers use (``SCARD_E_NO_SERVICE``), shown in facts."""
        if self in (ScardError.INTERNAL_ERROR, ScardError.COMM_ERROR):
            letter = "F"  # a failure of the stack itself
        elif self.value >= 0x80100065:
            letter = "W"  # a warning about the card
        else:
            letter = "E"
        return f"SCARD_{letter}_{self.name}"


class ErrorKind(enum.StrEnum):
    """What a PC/SC error means for the user: which thing went away or stopped talking."""

    SERVICE_GONE = "service_gone"
    READER_GONE = "reader_gone"
    CARD_GONE = "card_gone"
    CARD_MUTE = "card_mute"
    OTHER = "other"


_KINDS = {
    ScardError.NO_SERVICE: ErrorKind.SERVICE_GONE,
    ScardError.SERVICE_STOPPED: ErrorKind.SERVICE_GONE,
    ScardError.INVALID_HANDLE: ErrorKind.SERVICE_GONE,
    ScardError.INTERNAL_ERROR: ErrorKind.SERVICE_GONE,
    ScardError.COMM_ERROR: ErrorKind.SERVICE_GONE,
    ScardError.UNKNOWN_READER: ErrorKind.READER_GONE,
    ScardError.READER_UNAVAILABLE: ErrorKind.READER_GONE,
    ScardError.REMOVED_CARD: ErrorKind.CARD_GONE,
    ScardError.NO_SMARTCARD: ErrorKind.CARD_GONE,
    ScardError.RESET_CARD: ErrorKind.CARD_GONE,
    ScardError.UNRESPONSIVE_CARD: ErrorKind.CARD_MUTE,
    ScardError.UNPOWERED_CARD: ErrorKind.CARD_MUTE,
    ScardError.PROTO_MISMATCH: ErrorKind.CARD_MUTE,
}


class PcscUnavailable(Exception):
    """pyscard (or the PC/SC library under it) cannot be loaded."""


class PcscError(Exception):
    def __init__(self, operation: str, code: int) -> None:
        self.operation = operation
        self.code = code & 0xFFFFFFFF
        known = self.code in ScardError._value2member_map_
        self.error = ScardError(self.code) if known else None
        self.name = self.error.scard_name if self.error else f"0x{self.code:08X}"
        super().__init__(f"{operation}: {self.name}")

    @property
    def kind(self) -> ErrorKind:
        return _KINDS.get(self.error, ErrorKind.OTHER) if self.error else ErrorKind.OTHER


class ReaderState(msgspec.Struct, frozen=True):
    name: str
    present: bool
    mute: bool
    unpowered: bool
    exclusive: bool
    atr: bytes
    in_use: bool = False  # another program is connected (shared), maybe in a transaction


class CardAnswer(msgspec.Struct, frozen=True):
    atr: bytes
    protocol: str  # "T=0", "T=1", ...


def _scard() -> Any:
    try:
        import smartcard.scard as scard  # lazy: optional native module, loaded on first use
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
        if hr == ScardError.NO_READERS_AVAILABLE:  # no readers is an answer, not an error
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
                raise PcscError("SCardGetStatusChange", ScardError.UNKNOWN_READER)
            out.append(
                ReaderState(
                    name=name,
                    present=bool(event & s.SCARD_STATE_PRESENT),
                    mute=bool(event & s.SCARD_STATE_MUTE),
                    unpowered=bool(event & getattr(s, "SCARD_STATE_UNPOWERED", 0)),
                    exclusive=bool(event & s.SCARD_STATE_EXCLUSIVE),
                    atr=bytes(atr or b""),
                    in_use=bool(event & s.SCARD_STATE_INUSE),
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
        if hr == ScardError.TIMEOUT:  # nothing changed, the card is still in
            return True
        if hr != 0:
            raise PcscError("SCardGetStatusChange", hr)
        return bool(states[0][1] & s.SCARD_STATE_PRESENT)

    def await_card(self, within_ms: int) -> bool:
        """Just after the service started, a reader reports the card in it only once the
        service has polled it: wait until some reader shows a card, at most
        ``within_ms``. Whether one did (no reader: False at once)."""
        s = self._s
        names = self.readers()
        deadline = time.monotonic() + within_ms / 1000
        watched = [(n, s.SCARD_STATE_UNAWARE) for n in names]
        wait = 0
        while watched:
            hr, states = s.SCardGetStatusChange(self._ctx, wait, watched)
            if hr == ScardError.TIMEOUT:
                return False
            if hr != 0:
                raise PcscError("SCardGetStatusChange", hr)
            if any(event & s.SCARD_STATE_PRESENT for _, event, _ in states):
                return True
            watched = [(name, event & ~s.SCARD_STATE_CHANGED) for name, event, _ in states]
            wait = int((deadline - time.monotonic()) * 1000)
            if wait <= 0:
                return False
        return False

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
