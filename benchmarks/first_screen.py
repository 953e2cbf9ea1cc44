"""The wizard's first screen as a person sees it: the real program in a terminal.

Measured from starting ``python -m diagwizard`` (interpreter start, CLI and Textual
included) in an 80×24 pseudo-terminal until the whole start screen has been written to
it: title, question, the four choices, both hint lines and the footer. What the wizard
does in the background after that (loading the engine and the other screens) is not part
of the first screen; a measurement that waits until the process is idle counts it.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time

from diagwizard.core.words import common, keylabels, wizard
from diagwizard.ui.tui.screens.start import CHOICES

LANG = "zh-TW"
COLUMNS, LINES = 80, 24
# Escape sequences (CSI, OSC, DCS, charset selection, two-byte) between the painted text.
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)")


def start_screen_text() -> list[str]:
    """What the whole start screen shows, in the wizard's own words."""
    shown = [wizard.APP_TITLE.get(LANG), wizard.START_PROMPT.get(LANG)]
    shown += [f"{i}. {label.get(LANG)}" for i, (_, label) in enumerate(CHOICES, 1)]
    shown += [wizard.START_HINT.get(LANG), common.HELPLINE.get(LANG)]
    shown.append(f"q {keylabels.QUIT.get(LANG)}")  # the footer
    return shown


def seconds(timeout: float = 30.0) -> float | None:
    """Seconds from process start to the complete first screen; None if it never came."""
    if os.name != "posix":
        return None
    import fcntl  # lazy: POSIX-only module (the bench also runs on Windows)
    import pty  # lazy: POSIX-only module
    import struct  # lazy: only with the POSIX modules above
    import termios  # lazy: POSIX-only module

    wanted = start_screen_text()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env.pop("DIAGWIZARD_CONFIG", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "diagwizard", "--lang", LANG],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    painted, took = b"", None
    try:
        while took is None and time.perf_counter() - started < timeout:
            if not select.select([master], [], [], 0.5)[0]:
                continue
            try:
                painted += os.read(master, 1 << 16)
            except OSError:  # the wizard ended before its screen was complete
                break
            text = ESCAPES.sub(b"", painted).decode("utf-8", "replace")
            if all(w in text for w in wanted):
                took = time.perf_counter() - started
        _quit(proc, master)
    finally:
        os.close(master)
    return took


def _quit(proc: subprocess.Popen[bytes], master: int) -> None:
    """Press q like the person would; end the wizard's session if it does not go."""
    with contextlib.suppress(OSError):
        os.write(master, b"q")
    deadline = time.monotonic() + 10
    while proc.poll() is None and time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            try:
                os.read(master, 1 << 16)  # keep the terminal drained while it exits
            except OSError:
                break
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


if __name__ == "__main__":
    print(seconds())
