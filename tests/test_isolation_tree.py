"""Issue 30, isolated children end with all their descendants: a real PKCS#11 module
(built with gcc) whose C_Initialize starts a helper that calls setsid(), or that
double-forks into a session and a parent of its own, leaves nothing behind, whether the
child's tree is walked, its cgroup is killed, or (the child crashed first) the marker in
the environment finds the helper."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli
from stack.modules import build_broken

from diagwizard.isolation import reaper
from diagwizard.isolation.calls import ChildFailed, call_isolated
from diagwizard.isolation.pkcs11 import ModuleFailed, scan_one

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def helper_modules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("helpers")
    return {mode: build_broken(out, mode) for mode in ("SETSID", "DAEMON")}


def gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # killed; only init has yet to reap it


def wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + 5  # SIGKILL went out; the kernel takes a moment
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    return gone(pid)


def helper_pid(pidfile: Path) -> int:
    pid = int(pidfile.read_text())
    assert pid > 1
    return pid


@pytest.fixture
def pidfile(tmp_path: Path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "helper.pid"
    monkeypatch.setenv("DW_TEST_PIDFILE", str(path))
    yield path
    if path.exists():  # never leave a helper behind, even when the test fails
        try:
            os.kill(int(path.read_text()), 9)
        except (ProcessLookupError, ValueError):
            pass


@pytest.mark.parametrize("mode", ["SETSID", "DAEMON"])
def test_a_check_leaves_no_helper_of_a_module_behind(
    helper_modules, pidfile: Path, write_config, mode: str
) -> None:
    config = write_config(modules=[str(helper_modules[mode])])
    r = run_cli("check", "--only", "pkcs11.token", "--config", str(config), "--lang", "en")
    assert r.code in (0, 1), r.err
    pid = helper_pid(pidfile)
    assert wait_gone(pid), f"the module's helper ({mode}) outlived the check"


@pytest.fixture
def test_cgroup() -> Iterator[Path]:
    """A cgroup v2 folder standing for a user's delegated one (the tests run as root,
    and the code never assumes delegation for root)."""
    for mount in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")):
        if (mount / "cgroup.controllers").exists():
            folder = mount / f"dw-test-{os.getpid()}"
            try:
                folder.mkdir()
            except OSError:
                continue
            if not (folder / "cgroup.kill").exists():
                folder.rmdir()
                continue
            yield folder
            for sub in folder.iterdir():
                if sub.is_dir():
                    sub.rmdir()
            folder.rmdir()
            return
    pytest.skip("no writable cgroup v2 with cgroup.kill here")


def test_a_cgroup_of_its_own_ends_everything(
    helper_modules, pidfile: Path, test_cgroup: Path, monkeypatch
) -> None:
    monkeypatch.setattr(reaper, "cgroup_base", lambda: test_cgroup)
    report = scan_one(str(helper_modules["DAEMON"]), 20)
    assert not isinstance(report, ModuleFailed), report
    assert wait_gone(helper_pid(pidfile))
    assert [p for p in test_cgroup.iterdir() if p.is_dir()] == []  # removed after


@pytest.fixture
def targets_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])
    )


def test_a_helper_of_a_crashed_child_is_found_by_its_marker(
    targets_importable, pidfile: Path, monkeypatch
) -> None:
    monkeypatch.setattr(reaper, "cgroup_base", lambda: None)
    with pytest.raises(ChildFailed) as info:
        call_isolated("isolation_targets:daemon_then_crash", {"pidfile": str(pidfile)}, 20)
    assert "SIGABRT" in info.value.how
    pid = helper_pid(pidfile)
    assert wait_gone(pid), "the helper of a crashed child outlived it"


def test_a_marker_names_only_its_own_tree(monkeypatch) -> None:
    """The sweep kills what carries this child's marker, nothing else of the user's."""
    import subprocess
    import sys

    mine = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    marker = reaper.new_marker()
    other = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        env={**os.environ, reaper.MARKER: marker},
    )
    try:
        reaper.sweep_marker(marker)
        assert other.wait(5) == -9
        assert mine.poll() is None
    finally:
        mine.kill()
        mine.wait()
