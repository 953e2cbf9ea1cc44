"""Every Windows API function diagwizard calls, declared once: its DLL, return type and
argument types.

ctypes assumes a C ``int`` for a function without ``restype``: a handle or pointer
returned that way loses its upper 32 bits on 64-bit Windows, and a pointer passed without
``argtypes`` may be cut the same way. So no module loads a system DLL itself; each asks
:func:`load` for it, which sets both attributes of every function this table lists, and
``tests/test_winapi.py`` checks the table (and that nothing calls a function it lacks)
on every platform.

The types are fixed-width (``DWORD`` is 32 bits everywhere, unlike ``ctypes.c_ulong``),
so structures laid out with them have Windows' sizes in tests on Linux too. Output
buffers are passed as ``c_void_p`` and decoded as UTF-16-LE by the caller.
"""

from __future__ import annotations

import ctypes
from typing import Any

# -- the Windows types, by their SDK names -----------------------------------------------------
BOOL = ctypes.c_int32
DWORD = ctypes.c_uint32
ULONG = ctypes.c_uint32
CONFIGRET = ctypes.c_uint32
UINT = ctypes.c_uint32
INT = ctypes.c_int32
HANDLE = ctypes.c_void_p  # also HCERTSTORE, HDEVINFO, HWND, HGLOBAL
PCCERT_CONTEXT = ctypes.c_void_p  # a CERT_CONTEXT owned by crypt32
PVOID = ctypes.c_void_p  # any pointer: a buffer, a structure passed byref
LPCWSTR = ctypes.c_wchar_p  # an input string
PDWORD = ctypes.c_void_p  # byref(DWORD)

LOAD_LIBRARY_SEARCH_SYSTEM32 = 0x00000800

# The types a pointer-sized value may have; the test checks handles and pointers use them.
POINTER_TYPES = (HANDLE,)

# dll -> function -> (restype, argtypes)
FUNCTIONS: dict[str, dict[str, tuple[Any, list[Any]]]] = {
    "crypt32": {
        # HCERTSTORE CertOpenStore(LPCSTR lpszStoreProvider, DWORD, HCRYPTPROV_LEGACY, DWORD, const void*)
        "CertOpenStore": (HANDLE, [PVOID, DWORD, PVOID, DWORD, LPCWSTR]),
        "CertCloseStore": (BOOL, [HANDLE, DWORD]),
        "CertEnumCertificatesInStore": (PCCERT_CONTEXT, [HANDLE, PCCERT_CONTEXT]),
        "CertGetCertificateContextProperty": (BOOL, [PCCERT_CONTEXT, DWORD, PVOID, PDWORD]),
        "CertSetCertificateContextProperty": (BOOL, [PCCERT_CONTEXT, DWORD, DWORD, PVOID]),
        "CertFreeCertificateContext": (BOOL, [PCCERT_CONTEXT]),
        "CertDuplicateCertificateContext": (PCCERT_CONTEXT, [PCCERT_CONTEXT]),
        "CertDeleteCertificateFromStore": (BOOL, [PCCERT_CONTEXT]),
        # BOOL (HCERTSTORE, DWORD encoding, const BYTE*, DWORD, DWORD disposition, PCCERT_CONTEXT*)
        "CertAddEncodedCertificateToStore": (BOOL, [HANDLE, DWORD, PVOID, DWORD, DWORD, PVOID]),
        # BOOL CertSerializeCertificateStoreElement(PCCERT_CONTEXT, DWORD dwFlags, BYTE*, DWORD*)
        "CertSerializeCertificateStoreElement": (BOOL, [PCCERT_CONTEXT, DWORD, PVOID, PDWORD]),
        # BOOL CertAddSerializedElementToStore(HCERTSTORE, const BYTE*, DWORD, DWORD
        #   dwAddDisposition, DWORD dwFlags, DWORD dwContextTypeFlags, DWORD*, const void**)
        "CertAddSerializedElementToStore": (
            BOOL,
            [HANDLE, PVOID, DWORD, DWORD, DWORD, DWORD, PDWORD, PVOID],
        ),
    },
    "kernel32": {
        "GetOEMCP": (UINT, []),
        "GetACP": (UINT, []),
        "GetSystemDirectoryW": (UINT, [PVOID, UINT]),
        "GetShortPathNameW": (DWORD, [LPCWSTR, PVOID, DWORD]),
        "GetStdHandle": (HANDLE, [DWORD]),
        "GetConsoleMode": (BOOL, [HANDLE, PDWORD]),
        "SetConsoleMode": (BOOL, [HANDLE, DWORD]),
        "GetConsoleWindow": (HANDLE, []),
        "CreateJobObjectW": (HANDLE, [PVOID, LPCWSTR]),
        "SetInformationJobObject": (BOOL, [HANDLE, INT, PVOID, DWORD]),
        "AssignProcessToJobObject": (BOOL, [HANDLE, HANDLE]),
        "TerminateJobObject": (BOOL, [HANDLE, UINT]),
        "CloseHandle": (BOOL, [HANDLE]),
        "WaitForSingleObject": (DWORD, [HANDLE, DWORD]),
        "GetExitCodeProcess": (BOOL, [HANDLE, PDWORD]),
        "GlobalFree": (HANDLE, [HANDLE]),
    },
    "ole32": {
        # HRESULT CoInitializeEx(LPVOID reserved, DWORD dwCoInit); void CoUninitialize()
        "CoInitializeEx": (INT, [PVOID, DWORD]),
        "CoUninitialize": (None, []),
    },
    "shell32": {
        "IsUserAnAdmin": (BOOL, []),
        "ShellExecuteExW": (BOOL, [PVOID]),  # byref(SHELLEXECUTEINFOW)
    },
    "setupapi": {
        # HDEVINFO SetupDiGetClassDevsW(const GUID*, PCWSTR Enumerator, HWND, DWORD Flags)
        "SetupDiGetClassDevsW": (HANDLE, [PVOID, LPCWSTR, HANDLE, DWORD]),
        "SetupDiEnumDeviceInfo": (BOOL, [HANDLE, DWORD, PVOID]),
        # BOOL (HDEVINFO, PSP_DEVINFO_DATA, DWORD Property, PDWORD RegDataType, PBYTE, DWORD, PDWORD)
        "SetupDiGetDeviceRegistryPropertyW": (
            BOOL,
            [HANDLE, PVOID, DWORD, PDWORD, PVOID, DWORD, PDWORD],
        ),
        "SetupDiGetDeviceInstanceIdW": (BOOL, [HANDLE, PVOID, PVOID, DWORD, PDWORD]),
        "SetupDiDestroyDeviceInfoList": (BOOL, [HANDLE]),
    },
    "cfgmgr32": {
        # CONFIGRET CM_Get_DevNode_Status(PULONG pulStatus, PULONG pulProblem, DEVINST, ULONG)
        "CM_Get_DevNode_Status": (CONFIGRET, [PVOID, PVOID, DWORD, ULONG]),
    },
    "user32": {
        # int GetClassNameW(HWND, LPWSTR, int nMaxCount): characters copied, 0 on failure
        "GetClassNameW": (INT, [HANDLE, PVOID, INT]),
    },
    "winhttp": {
        "WinHttpGetIEProxyConfigForCurrentUser": (BOOL, [PVOID]),
    },
}


def declare(lib: Any, dll: str) -> Any:
    """Give every function of ``dll`` in the table its ``restype`` and ``argtypes``."""
    for name, (restype, argtypes) in FUNCTIONS[dll].items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


def load(dll: str) -> Any:
    """``dll`` (a key of :data:`FUNCTIONS`) from System32, declared; Windows only.

    Only System32 is searched (``LOAD_LIBRARY_SEARCH_SYSTEM32``): the default order
    starts with the program's own folder, often Downloads, where a planted DLL of the
    same name would be loaded instead. Loaded with ``use_last_error``, so
    :func:`last_error` reads the error of the last call made through it."""
    windll = getattr(ctypes, "WinDLL")  # noqa: B009 (Windows only)
    lib = windll(f"{dll}.dll", use_last_error=True, winmode=LOAD_LIBRARY_SEARCH_SYSTEM32)
    return declare(lib, dll)


def last_error() -> int:
    """``GetLastError`` of the last call through a DLL from :func:`load` (0 elsewhere)."""
    get = getattr(ctypes, "get_last_error", None)
    return int(get()) if get is not None else 0


def windows_error(code: int, call: str) -> OSError:
    """An OSError naming the call and carrying Windows' own text for ``code``."""
    format_error = getattr(ctypes, "FormatError", None)
    text = format_error(code).strip() if format_error is not None else f"Windows error {code}"
    return OSError(code, f"{call} failed: {text}")
