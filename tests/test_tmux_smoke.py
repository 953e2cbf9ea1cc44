"""Smoke test: the real `diagwizard` in a real terminal (tmux), driven by keystrokes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import LOOPBACK_CONFIG

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is part of the test stack"
)
SESSION = "diagwizard-smoke"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(text: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen()
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; screen was:\n{screen()}")


def test_wizard_in_a_real_terminal(tmp_path: Path) -> None:
    tmux("kill-session", "-t", SESSION)
    command = f"cd {tmp_path} && DIAGWIZARD_CONFIG={LOOPBACK_CONFIG} LANG=C.UTF-8 {sys.executable} -m diagwizard"
    tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", command)
    try:
        wait_for("全面檢查")
        tmux("send-keys", "-t", SESSION, "l")
        wait_for("Check everything")
        tmux("send-keys", "-t", SESSION, "4")
        shown = wait_for("problem(s)")  # the verdict comes first, with the first fix
        assert shown.splitlines()[1].lstrip().startswith("✘ Found")
        assert "How to fix (Linux)" in shown
        tmux("send-keys", "-t", SESSION, "Escape")
        shown = wait_for("Reader and card")
        assert "Network" in shown or "Components" in shown
        assert "✘ problem" in shown  # status marks come with a word
        assert "esc Back" in shown and "q Quit" in shown  # the footer fits 80 columns
        tmux("send-keys", "-t", SESSION, "q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and SESSION in tmux("list-sessions"):
            time.sleep(0.2)
        assert SESSION not in tmux("list-sessions"), "q did not quit the wizard"
    finally:
        tmux("kill-session", "-t", SESSION)
