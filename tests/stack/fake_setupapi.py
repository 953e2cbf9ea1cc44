"""SetupAPI and CfgMgr32 as documented, as Python objects with the same calls: the
recorded devices of tests/data/windows/setupapi-*.json served through the ctypes
structures the real adapter passes (SP_DEVINFO_DATA, REG_MULTI_SZ buffers, the
two-call size protocol, ERROR_NO_MORE_ITEMS at the end of an enumeration)."""

from __future__ import annotations

import ctypes
import json
from pathlib import Path

from diagwizard.system.adapters.windevices import DeviceRecord, Guid

ERROR_INVALID_DATA = 13
ERROR_INSUFFICIENT_BUFFER = 122
ERROR_NO_MORE_ITEMS = 259
DATA = Path(__file__).resolve().parent.parent / "data" / "windows"


def recorded(name: str) -> list[DeviceRecord]:
    rows = json.loads((DATA / name).read_text(encoding="utf-8"))
    return [DeviceRecord(**{**r, "compatible_ids": tuple(r["compatible_ids"])}) for r in rows]


class FakeSetupApi:
    """setupapi.dll and cfgmgr32.dll in one object (both seams of SetupApiDevices)."""

    def __init__(self, devices: list[DeviceRecord], fail_open: int = 0) -> None:
        self.devices = devices
        self.fail_open = fail_open  # GetLastError of a SetupDiGetClassDevsW that fails
        self.error = 0
        self.sets: dict[int, list[DeviceRecord]] = {}
        self.destroyed: list[int] = []

    def last_error(self) -> int:
        return self.error

    def SetupDiGetClassDevsW(self, guid, enumerator, hwnd, flags):
        if self.fail_open:
            self.error = self.fail_open
            return ctypes.c_void_p(-1).value  # INVALID_HANDLE_VALUE
        if guid is not None:
            wanted = str(guid._obj)
            chosen = [d for d in self.devices if d.class_guid == wanted]
        else:
            chosen = [
                d for d in self.devices if d.instance_id.upper().startswith(f"{enumerator}\\")
            ]
        handle = 0x7000 + len(self.sets)
        self.sets[handle] = chosen
        return handle

    def SetupDiDestroyDeviceInfoList(self, handle):
        self.destroyed.append(handle)
        return 1

    def SetupDiEnumDeviceInfo(self, handle, index, pdata):
        devices = self.sets[handle]
        if index >= len(devices):
            self.error = ERROR_NO_MORE_ITEMS
            return 0
        data = pdata._obj
        assert data.cbSize == ctypes.sizeof(data)
        device = devices[index]
        guid = device.class_guid or "{00000000-0000-0000-0000-000000000000}"
        data.ClassGuid = Guid.parse(guid)
        data.DevInst = self.devices.index(device) + 1
        return 1

    def _device(self, handle, pdata) -> DeviceRecord:
        return self.devices[pdata._obj.DevInst - 1]

    def _answer(self, value: bytes, buf, size: int, pneeded, unit: int = 1) -> int:
        pneeded._obj.value = len(value) // unit
        if buf is None or size * unit < len(value):
            self.error = ERROR_INSUFFICIENT_BUFFER
            return 0
        ctypes.memmove(buf, value, len(value))
        return 1

    def SetupDiGetDeviceRegistryPropertyW(self, handle, pdata, prop, ptype, buf, size, pneeded):
        device = self._device(handle, pdata)
        if prop == 0x0C:  # SPDRP_FRIENDLYNAME: present on working devices only
            if device.problem:
                self.error, pneeded._obj.value = ERROR_INVALID_DATA, 0
                return 0
            value = (device.name + "\0").encode("utf-16-le")
        elif prop == 0x00:  # SPDRP_DEVICEDESC
            value = (device.name + "\0").encode("utf-16-le")
        elif prop == 0x02:  # SPDRP_COMPATIBLEIDS, REG_MULTI_SZ
            value = "".join(c + "\0" for c in device.compatible_ids).encode("utf-16-le") + b"\0\0"
        else:
            self.error, pneeded._obj.value = ERROR_INVALID_DATA, 0
            return 0
        return self._answer(value, buf, size, pneeded)

    def SetupDiGetDeviceInstanceIdW(self, handle, pdata, buf, size, pneeded):
        value = (self._device(handle, pdata).instance_id + "\0").encode("utf-16-le")
        return self._answer(value, buf, size, pneeded, unit=2)

    def CM_Get_DevNode_Status(self, pstatus, pproblem, devinst, flags):
        device = self.devices[devinst - 1]
        if device.status is None:
            return 0x0D  # CR_NO_SUCH_DEVNODE
        pstatus._obj.value = device.status
        pproblem._obj.value = device.problem
        return 0
