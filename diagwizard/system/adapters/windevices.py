"""Smart-card readers on the bus, and their driver problems, from SetupAPI and CfgMgr32.

Two questions to the Plug and Play manager, both language independent (class GUIDs,
compatible IDs and numeric problem codes; only the device's name is localized):

* the devices of the smart-card reader class {50DD5230-BA8A-11D1-BF5D-0000F805F530};
* the USB devices whose compatible IDs say interface class 0B (CCID, a smart-card
  reader) but that have no working driver, so they are in no reader class yet.

Each device's state comes from ``CM_Get_DevNode_Status`` (``DN_*`` flags and the
``CM_PROB_*`` code Device Manager shows). :class:`SetupApiDevices` asks Windows and
returns plain :class:`DeviceRecord` values; :func:`reader_devices` decides from them, so
tests feed recorded records through the same decision. A query that fails raises
``OSError``: whether a reader is plugged in is then unknown, never "none".
"""

from __future__ import annotations

import ctypes
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from diagwizard.system.adapters import winapi
from diagwizard.system.adapters.base import ReaderDevice

READER_CLASS = "{50dd5230-ba8a-11d1-bf5d-0000f805f530}"  # GUID_DEVCLASS_SMARTCARDREADER
CCID_CLASS_ID = "USB\\CLASS_0B"  # compatible ID prefix of a USB smart-card interface

DN_DRIVER_LOADED = 0x00000002
DN_HAS_PROBLEM = 0x00000400
CM_PROB_PHANTOM = 45  # remembered but not plugged in
CM_PROBLEMS = {
    1: "CM_PROB_NOT_CONFIGURED",
    10: "CM_PROB_FAILED_START",
    18: "CM_PROB_REINSTALL",
    22: "CM_PROB_DISABLED",
    24: "CM_PROB_DEVICE_NOT_THERE",
    28: "CM_PROB_FAILED_INSTALL",
    31: "CM_PROB_FAILED_ADD",
    39: "CM_PROB_DRIVER_FAILED_LOAD",
    43: "CM_PROB_FAILED_POST_START",
    45: "CM_PROB_PHANTOM",
}


@dataclass(frozen=True)
class DeviceRecord:
    """One device as the Plug and Play manager describes it."""

    instance_id: str  # "USB\\VID_072F&PID_90CC\\5&1A2B3C&0&2"
    name: str  # friendly name, else the device description (localized)
    class_guid: str = ""  # "{50dd5230-...}" (lower case); "" without a class
    compatible_ids: tuple[str, ...] = field(default_factory=tuple)
    status: int | None = None  # DN_* flags; None when CM_Get_DevNode_Status failed
    problem: int = 0  # CM_PROB_* code, 0 for none


class DeviceQuery(Protocol):
    def devices(self) -> list[DeviceRecord]:
        """The readers and driverless CCID devices plugged in now; OSError if Windows
        could not be asked."""
        ...


def _problem(record: DeviceRecord) -> str:
    """Device Manager's problem code as text; "" when it works, or when its state could
    not be read (a problem is never claimed without Windows saying so)."""
    if record.problem or (record.status or 0) & DN_HAS_PROBLEM:
        return f"{record.problem} ({CM_PROBLEMS.get(record.problem, 'CM_PROB')})"
    if record.status is not None and not record.status & DN_DRIVER_LOADED:
        return "no driver loaded"
    return ""


def _usb_id(instance_id: str) -> str:
    usb = re.search(r"VID_([0-9A-F]{4})&PID_([0-9A-F]{4})", instance_id, re.I)
    return f"{usb.group(1)}:{usb.group(2)}".lower() if usb else ""


def reader_devices(records: Iterable[DeviceRecord]) -> list[ReaderDevice]:
    """Readers from device records: every device of the reader class (with its problem,
    if any), and CCID devices without a working driver. Devices only remembered, not
    plugged in, are left out; each device is listed once."""
    out: list[ReaderDevice] = []
    seen: set[str] = set()
    for record in records:
        key = record.instance_id.upper()
        if key in seen or record.problem == CM_PROB_PHANTOM:
            continue
        reader = record.class_guid.lower() == READER_CLASS
        ccid = any(cid.upper().startswith(CCID_CLASS_ID) for cid in record.compatible_ids)
        problem = _problem(record)
        if reader or (ccid and problem):
            seen.add(key)
            out.append(
                ReaderDevice(
                    record.name or record.instance_id, _usb_id(record.instance_id), problem
                )
            )
    return out


# -- asking Windows -------------------------------------------------------------------------


class Guid(ctypes.Structure):
    _fields_ = [
        ("Data1", winapi.DWORD),
        ("Data2", ctypes.c_uint16),
        ("Data3", ctypes.c_uint16),
        ("Data4", ctypes.c_ubyte * 8),
    ]

    @classmethod
    def parse(cls, text: str) -> Guid:
        return cls.from_buffer_copy(uuid.UUID(text).bytes_le)

    def __str__(self) -> str:
        return "{" + str(uuid.UUID(bytes_le=bytes(self))) + "}"


class SpDevinfoData(ctypes.Structure):
    """SP_DEVINFO_DATA (32 bytes on 64-bit Windows)."""

    _fields_ = [
        ("cbSize", winapi.DWORD),
        ("ClassGuid", Guid),
        ("DevInst", winapi.DWORD),
        ("Reserved", ctypes.c_size_t),
    ]


DIGCF_PRESENT = 0x00000002
DIGCF_ALLCLASSES = 0x00000004
SPDRP_DEVICEDESC = 0x00000000
SPDRP_COMPATIBLEIDS = 0x00000002
SPDRP_FRIENDLYNAME = 0x0000000C
ERROR_INSUFFICIENT_BUFFER = 122
ERROR_NO_MORE_ITEMS = 259
CR_SUCCESS = 0
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value
MAX_DEVICES = 4096  # a bound on each enumeration, far above any real machine


def multi_sz(raw: bytes) -> tuple[str, ...]:
    """A REG_MULTI_SZ value (UTF-16-LE strings, each NUL-ended, an empty one last)."""
    text = raw.decode("utf-16-le", "replace")
    return tuple(part for part in text.split("\0") if part)


class SetupApiDevices:
    """:class:`DeviceQuery` through setupapi.dll and cfgmgr32.dll (ctypes).

    ``setupapi``, ``cfgmgr32`` and ``last_error`` are seams for tests; by default the
    declared DLLs of :mod:`winapi` and ``GetLastError``.
    """

    def __init__(
        self,
        setupapi: Any = None,
        cfgmgr32: Any = None,
        last_error: Callable[[], int] | None = None,
    ) -> None:
        self._setupapi = setupapi
        self._cfgmgr32 = cfgmgr32
        self._last_error = last_error or winapi.last_error

    def devices(self) -> list[DeviceRecord]:
        if self._setupapi is None:
            self._setupapi = winapi.load("setupapi")
        if self._cfgmgr32 is None:
            self._cfgmgr32 = winapi.load("cfgmgr32")
        reader_class = Guid.parse(READER_CLASS)
        readers = self._enumerate(ctypes.byref(reader_class), None, DIGCF_PRESENT)
        usb = self._enumerate(None, "USB", DIGCF_ALLCLASSES | DIGCF_PRESENT)
        return readers + [
            r for r in usb if any(cid.upper().startswith(CCID_CLASS_ID) for cid in r.compatible_ids)
        ]

    def _enumerate(self, class_guid: Any, enumerator: str | None, flags: int) -> list[DeviceRecord]:
        api = self._setupapi
        handle = api.SetupDiGetClassDevsW(class_guid, enumerator, None, flags)
        if not handle or handle == INVALID_HANDLE_VALUE:
            raise winapi.windows_error(self._last_error(), "SetupDiGetClassDevsW")
        records: list[DeviceRecord] = []
        try:
            for index in range(MAX_DEVICES):
                data = SpDevinfoData()
                data.cbSize = ctypes.sizeof(SpDevinfoData)
                if not api.SetupDiEnumDeviceInfo(handle, index, ctypes.byref(data)):
                    code = self._last_error()
                    if code == ERROR_NO_MORE_ITEMS:
                        break
                    raise winapi.windows_error(code, "SetupDiEnumDeviceInfo")
                records.append(self._record(handle, data))
        finally:
            api.SetupDiDestroyDeviceInfoList(handle)
        return records

    def _record(self, handle: Any, data: SpDevinfoData) -> DeviceRecord:
        name = self._text(handle, data, SPDRP_FRIENDLYNAME) or self._text(
            handle, data, SPDRP_DEVICEDESC
        )
        status, problem = self._state(data.DevInst)
        guid = str(data.ClassGuid)
        return DeviceRecord(
            instance_id=self._instance_id(handle, data),
            name=name,
            class_guid="" if guid == "{00000000-0000-0000-0000-000000000000}" else guid,
            compatible_ids=multi_sz(self._property(handle, data, SPDRP_COMPATIBLEIDS)),
            status=status,
            problem=problem,
        )

    def _property(self, handle: Any, data: SpDevinfoData, prop: int) -> bytes:
        """A registry property's bytes; b"" when the device does not have it."""
        api = self._setupapi
        needed = ctypes.c_uint32(0)
        api.SetupDiGetDeviceRegistryPropertyW(
            handle, ctypes.byref(data), prop, None, None, 0, ctypes.byref(needed)
        )
        if not needed.value:
            return b""
        buf = ctypes.create_string_buffer(needed.value)
        if not api.SetupDiGetDeviceRegistryPropertyW(
            handle, ctypes.byref(data), prop, None, buf, needed.value, ctypes.byref(needed)
        ):
            return b""
        return buf.raw[: needed.value]

    def _text(self, handle: Any, data: SpDevinfoData, prop: int) -> str:
        return self._property(handle, data, prop).decode("utf-16-le", "replace").split("\0")[0]

    def _instance_id(self, handle: Any, data: SpDevinfoData) -> str:
        api = self._setupapi
        needed = ctypes.c_uint32(0)
        api.SetupDiGetDeviceInstanceIdW(handle, ctypes.byref(data), None, 0, ctypes.byref(needed))
        chars = max(needed.value, 1)
        buf = ctypes.create_string_buffer(2 * chars)
        if not api.SetupDiGetDeviceInstanceIdW(
            handle, ctypes.byref(data), buf, chars, ctypes.byref(needed)
        ):
            return ""
        return buf.raw.decode("utf-16-le", "replace").split("\0")[0]

    def _state(self, devinst: int) -> tuple[int | None, int]:
        status, problem = ctypes.c_uint32(0), ctypes.c_uint32(0)
        answer = self._cfgmgr32.CM_Get_DevNode_Status(
            ctypes.byref(status), ctypes.byref(problem), devinst, 0
        )
        if answer != CR_SUCCESS:
            return None, 0
        return status.value, problem.value
