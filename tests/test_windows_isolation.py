"""Windows isolation, through the job-object seam and the recorded behaviour of kernel32:
the child joins its job object before it runs, a job that cannot be set up is a finding
(the vendor module is never loaded uncontained), and a module under a path the ANSI
loader cannot take is loaded by its 8.3 short name or said plainly."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest
from helpers import codes, run_probes
from stack.pkcs11_fixtures import SOFTHSM_MODULE

from diagwizard.core.config import Config, Pkcs11
from diagwizard.engine import isolated
from diagwizard.isolation import calls as isolation
from diagwizard.isolation import spare, winjob
from diagwizard.system.adapters.windows import WindowsAdapter

ACCESS_DENIED = 5


class FakeKernel32:
    """CreateJobObjectW, SetInformationJobObject, AssignProcessToJobObject as kernel32
    answers them; ``fail`` names the call that fails with ERROR_ACCESS_DENIED."""

    def __init__(self, fail: str = "") -> None:
        self.fail = fail
        self.calls: list[str] = []
        self.limits = 0

    def _call(self, name: str, ok: object) -> object:
        self.calls.append(name)
        return 0 if self.fail == name else ok

    def CreateJobObjectW(self, attributes, name):
        return self._call("CreateJobObjectW", 0x4242)

    def SetInformationJobObject(self, job, info_class, pinfo, size):
        assert info_class == winjob.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION
        assert size == ctypes.sizeof(winjob.ExtendedLimits)
        self.limits = pinfo._obj.BasicLimitInformation.LimitFlags
        return self._call("SetInformationJobObject", 1)

    def AssignProcessToJobObject(self, job, process):
        assert process == 0x777
        return self._call("AssignProcessToJobObject", 1)

    def CloseHandle(self, handle):
        self.calls.append("CloseHandle")
        return 1


class SuspendedChild:
    """What ``childproc.spawn`` holds right after CreateProcess with CREATE_SUSPENDED."""

    pid = 4321
    _handle = 0x777

    def __init__(self) -> None:
        self.killed = False

    def kill(self) -> None:
        self.killed = True


def test_job_object_limits_have_windows_layout() -> None:
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(winjob.BasicLimits) == 64
        assert ctypes.sizeof(winjob.ExtendedLimits) == 144


def test_the_child_is_in_its_job_before_it_runs() -> None:
    kernel32, child, resumed = FakeKernel32(), SuspendedChild(), []

    def resume(pid: int) -> None:
        kernel32.calls.append("resume")
        resumed.append(pid)

    job = winjob.contain(child, kernel32, resume)  # type: ignore[arg-type]
    assert job == 0x4242 and resumed == [4321] and not child.killed
    assert kernel32.calls == [
        "CreateJobObjectW",
        "SetInformationJobObject",
        "AssignProcessToJobObject",
        "resume",  # only now does the child run its first instruction
    ]
    assert kernel32.limits & winjob.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE


@pytest.mark.parametrize(
    "fail", ["CreateJobObjectW", "SetInformationJobObject", "AssignProcessToJobObject", "resume"]
)
def test_a_job_that_cannot_be_set_up_ends_the_child_unrun(fail: str) -> None:
    kernel32, child, resumed = FakeKernel32(fail), SuspendedChild(), []

    def resume(pid: int) -> None:
        if fail == "resume":
            raise OSError("resuming the child failed: access denied")
        resumed.append(pid)

    with pytest.raises(winjob.JobSetupFailed) as failed:
        winjob.contain(child, kernel32, resume, last_error=lambda: ACCESS_DENIED)  # type: ignore[arg-type]
    assert child.killed and resumed == []
    assert (fail if fail != "resume" else "resuming the child") in str(failed.value)
    if fail != "CreateJobObjectW":
        assert kernel32.calls[-1] == "CloseHandle"  # the job is not left open


def refuse_job(*args: object, **kwargs: object) -> None:
    raise winjob.JobSetupFailed("AssignProcessToJobObject failed: Access is denied.")


def test_a_module_that_cannot_be_contained_is_a_finding_not_a_crash(
    soft_tokens, monkeypatch
) -> None:
    monkeypatch.setattr(isolation, "run_child", refuse_job)
    monkeypatch.setenv("SOFTHSM2_CONF", str(soft_tokens["healthy"].conf))
    config = Config(pkcs11=Pkcs11(modules=[SOFTHSM_MODULE]))
    res = run_probes(None, "pkcs11.token", config)["pkcs11.token"]
    assert codes(res) == ["pkcs11.E048"] and res.status == "error"
    text = res.findings[0].render("zh-TW")
    assert "為了安全沒有載入" in text and "AssignProcessToJobObject" in text
    assert "crashed" not in res.findings[0].render("en")


def test_an_isolated_probe_that_cannot_be_contained_is_not_run(monkeypatch) -> None:
    monkeypatch.setattr(isolation, "run_child", refuse_job)
    res = isolated.run_isolated("checks.system:os_info", "sys.os", Config(), {}, 5.0)
    assert codes(res) == ["runner.E005"] and res.status == "error"
    assert "Not run, for safety" in res.summary.en


def test_a_spare_that_cannot_be_contained_is_simply_not_there(monkeypatch) -> None:
    monkeypatch.setattr(spare, "spawn", refuse_job)
    spare.start()
    assert not spare.waiting() and spare.take() is None


# -- the ANSI loader and non-ASCII module paths ----------------------------------------------


def module_under_chinese_path(tmp_path: Path) -> tuple[Path, Path]:
    """The SoftHSM module at C:\\Users\\林安\\下載\\… as recorded, and an ASCII alias
    standing for its 8.3 short name (C:\\Users\\8C5E~1\\DOWNLO~1\\…)."""
    folder = tmp_path / "林安" / "下載"
    folder.mkdir(parents=True)
    module = folder / "libsofthsm2.so"
    module.symlink_to(SOFTHSM_MODULE)
    short = tmp_path / "LINAN~1.SO"
    short.symlink_to(SOFTHSM_MODULE)
    return module, short


def windows_loader(code_page: int, short: str) -> WindowsAdapter:
    return WindowsAdapter(
        service_status=lambda n: "running",
        uninstall=lambda: [],
        windir=Path("/nonexistent/Windows"),
        ansi_code_page=lambda: code_page,
        short_path=lambda path: short,
    )


def test_module_path_the_ansi_loader_cannot_take_is_loaded_by_its_short_name(
    soft_tokens, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", str(soft_tokens["healthy"].conf))
    module, short = module_under_chinese_path(tmp_path)
    config = Config(pkcs11=Pkcs11(modules=[str(module)]))
    res = run_probes(windows_loader(950, str(short)), "pkcs11.token", config)["pkcs11.token"]
    assert res.status == "ok", res
    assert res.fact("modules")[0]["path"] == str(module)  # said as configured


def test_module_path_without_a_short_name_is_said_plainly(
    soft_tokens, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", str(soft_tokens["healthy"].conf))
    module, _short = module_under_chinese_path(tmp_path)
    config = Config(pkcs11=Pkcs11(modules=[str(module)]))
    res = run_probes(windows_loader(950, ""), "pkcs11.token", config)["pkcs11.token"]
    assert codes(res) == ["pkcs11.W049"]
    assert str(module) in res.findings[0].render("zh-TW")
    assert "8.3" in res.findings[0].render("en")
    # Where the ANSI code page is UTF-8 ("Beta: Use Unicode UTF-8"), the path passes as is.
    res = run_probes(windows_loader(65001, ""), "pkcs11.token", config)["pkcs11.token"]
    assert res.status == "ok"


def test_ansi_loader_rule() -> None:
    adapter = windows_loader(950, r"C:\Users\8C5E~1\DOWNLO~1\HICOSP~1.DLL")
    assert adapter.module_load_name(r"C:\Windows\System32\HiCOSPKCS11.dll") == (
        r"C:\Windows\System32\HiCOSPKCS11.dll"
    )
    assert adapter.module_load_name(r"C:\Users\林安\Downloads\HiCOSPKCS11.dll") == (
        r"C:\Users\8C5E~1\DOWNLO~1\HICOSP~1.DLL"
    )
    # A short name kept in the OEM code page can hold Chinese too: of no use.
    assert (
        windows_loader(950, r"C:\Users\林安~1\X.DLL").module_load_name(r"C:\Users\林安\x.dll")
        is None
    )
