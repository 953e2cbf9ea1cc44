"""The Linux adapter reads process states from /proc itself (no psutil at start-up)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from diagwizard.adapters.linux import process_states


def test_states_of_processes_by_kernel_name(tmp_path: Path) -> None:
    stats = {
        "1": "1 (pcscd) S 0 1",
        "22": "22 (pcscd) T 1 22",
        "33": "33 (not pcscd) S 1 33",  # a name with a space is another name
        "44": "44 (x) (pcscd) R 1 44",  # the name ends at the last parenthesis
        "self": "55 (pcscd) R 1 55",  # not a process id
    }
    for pid, text in stats.items():
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "stat").write_text(text)
    (tmp_path / "66").mkdir()  # a process that ended while being read: no stat file
    assert sorted(process_states("pcscd", str(tmp_path))) == ["sleeping", "stopped"]
    assert process_states("x) (pcscd", str(tmp_path)) == ["running"]


def test_a_real_stopped_process_reads_as_stopped() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        os.kill(child.pid, signal.SIGSTOP)
        os.waitpid(child.pid, os.WUNTRACED)  # returns once it has stopped
        name = Path(f"/proc/{child.pid}/stat").read_text().split("(")[1].split(")")[0]
        assert "stopped" in process_states(name)
    finally:
        child.kill()
        child.wait()
