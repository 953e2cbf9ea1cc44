"""Every Windows API function diagwizard calls is declared, 64-bit safe, in one table
(``diagwizard/system/adapters/winapi.py``), and nothing calls a function it lacks or
loads a DLL around it. Runs on every platform: the table is data."""

from __future__ import annotations

import ast
import ctypes
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import ROOT

from diagwizard.system.adapters import winapi

# Functions whose documented return value is a handle or a pointer (Windows SDK headers):
# without a pointer-sized restype, ctypes would cut them to a 32-bit int.
RETURNS_POINTER = {
    "CertOpenStore",
    "CertEnumCertificatesInStore",
    "CertDuplicateCertificateContext",
    "GetStdHandle",
    "GetConsoleWindow",
    "CreateJobObjectW",
    "GlobalFree",
    "SetupDiGetClassDevsW",
}
# Functions declared void in the SDK headers: restype None, said explicitly.
RETURNS_NOTHING = {"CoUninitialize"}
# Parameters that are handles or pointers, by function: (function, argument index).
POINTER_ARGS = {
    ("CertCloseStore", 0),
    ("CertEnumCertificatesInStore", 0),
    ("CertEnumCertificatesInStore", 1),
    ("CertDuplicateCertificateContext", 0),
    ("CertDeleteCertificateFromStore", 0),
    ("CertSerializeCertificateStoreElement", 0),
    ("CertAddSerializedElementToStore", 0),
    ("AssignProcessToJobObject", 0),
    ("AssignProcessToJobObject", 1),
    ("SetInformationJobObject", 0),
    ("TerminateJobObject", 0),
    ("CloseHandle", 0),
    ("WaitForSingleObject", 0),
    ("GetExitCodeProcess", 0),
    ("SetConsoleMode", 0),
    ("GetConsoleMode", 0),
    ("SetupDiEnumDeviceInfo", 0),
    ("SetupDiGetDeviceRegistryPropertyW", 0),
    ("SetupDiGetDeviceInstanceIdW", 0),
    ("SetupDiDestroyDeviceInfoList", 0),
}
POINTER_SIZE = ctypes.sizeof(ctypes.c_void_p)
# The names a loaded DLL is bound to in the code (the call scan below relies on it).
LIBRARY_NAMES = {
    "crypt32": "crypt32",
    "kernel32": "kernel32",
    "shell32": "shell32",
    "setupapi": "setupapi",
    "cfgmgr32": "cfgmgr32",
    "winhttp": "winhttp",
    "user32": "user32",
    "ole32": "ole32",
    "api": "setupapi",  # SetupApiDevices._enumerate: api = self._setupapi
}


def declarations() -> list[tuple[str, str, object, list[object]]]:
    return [
        (dll, name, restype, argtypes)
        for dll, functions in winapi.FUNCTIONS.items()
        for name, (restype, argtypes) in functions.items()
    ]


@pytest.mark.parametrize(("dll", "name", "restype", "argtypes"), declarations())
def test_each_function_has_a_restype_and_argtypes_of_ctypes_types(
    dll: str, name: str, restype: object, argtypes: list[object]
) -> None:
    simple = (ctypes.c_int32, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_wchar_p)
    assert restype in simple or (restype is None and name in RETURNS_NOTHING), (
        f"{dll}.{name}: restype {restype}"
    )
    assert isinstance(argtypes, list), f"{dll}.{name}: argtypes must be a list"
    assert all(t in simple for t in argtypes), f"{dll}.{name}: {argtypes}"
    if name in RETURNS_POINTER:
        assert ctypes.sizeof(restype) == POINTER_SIZE, f"{dll}.{name} returns a handle"  # type: ignore[arg-type]
    for function, index in POINTER_ARGS:
        if function == name:
            assert ctypes.sizeof(argtypes[index]) == POINTER_SIZE, (name, index)  # type: ignore[arg-type]


def test_the_types_have_windows_sizes() -> None:
    assert ctypes.sizeof(winapi.DWORD) == 4 and ctypes.sizeof(winapi.BOOL) == 4
    assert ctypes.sizeof(winapi.HANDLE) == POINTER_SIZE
    assert set(RETURNS_POINTER) <= {name for _, name, _, _ in declarations()}
    assert {f for f, _ in POINTER_ARGS} <= {name for _, name, _, _ in declarations()}


def test_declare_sets_every_function_of_the_table() -> None:
    for dll, functions in winapi.FUNCTIONS.items():
        lib = SimpleNamespace(**{name: SimpleNamespace() for name in functions})
        winapi.declare(lib, dll)
        for name, (restype, argtypes) in functions.items():
            assert getattr(lib, name).restype is restype
            assert getattr(lib, name).argtypes == argtypes


def _sources() -> list[Path]:
    return sorted(p for p in (ROOT / "diagwizard").rglob("*.py") if "__pycache__" not in p.parts)


def windows_calls() -> list[tuple[str, str, str]]:
    """(where, dll, function) of every call on a loaded DLL: ``crypt32.CertXxx(...)``,
    ``self._setupapi.SetupDiXxx(...)``, ``winapi.load("kernel32").GetOEMCP()``."""
    calls = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner, lib = node.func.value, ""
            if isinstance(owner, ast.Name):
                lib = owner.id
            elif isinstance(owner, ast.Attribute):
                lib = owner.attr.lstrip("_")
            elif (
                isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Attribute)
                and owner.func.attr == "load"
                and owner.args
                and isinstance(owner.args[0], ast.Constant)
            ):
                lib = str(owner.args[0].value)
            dll = LIBRARY_NAMES.get(lib)
            if dll is not None and node.func.attr[:1].isupper():
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", dll, node.func.attr))
    return calls


def test_every_windows_call_in_the_code_is_in_the_table() -> None:
    """Each call names a function the table declares for that DLL, and each declared
    function is called (the table holds what the code uses, no more)."""
    calls = windows_calls()
    missing = [
        f"{where}: {dll}.{name}" for where, dll, name in calls if name not in winapi.FUNCTIONS[dll]
    ]
    assert not missing, missing
    used = {(dll, name) for _, dll, name in calls}
    unused = [(dll, name) for dll, name, _, _ in declarations() if (dll, name) not in used]
    assert not unused, unused


def test_no_module_loads_a_windows_dll_but_the_table() -> None:
    """``ctypes.windll``/``WinDLL`` elsewhere would bypass the declarations (and the
    System32-only search)."""
    loaders = []
    for path in _sources():
        if path.name == "winapi.py":
            continue
        text = path.read_text(encoding="utf-8")
        for word in ("windll", "WinDLL", "oledll", "OleDLL"):
            if word in text:
                loaders.append(f"{path.relative_to(ROOT)}: {word}")
    assert not loaders, loaders
