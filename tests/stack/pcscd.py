"""Control the machine's real pcscd for tests: with the vpcd reader config, without
readers, or stopped. One pcscd serves the whole machine, so scenarios take turns."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import smartcard.scard as s

SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_CONF_DIR = Path("/etc/reader.conf.d")


def _pcscd_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Pcscd:
    def __init__(self, empty_conf_dir: Path) -> None:
        self.binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        self.empty_conf_dir = empty_conf_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.mode: str | None = None  # "vpcd", "empty" or None (stopped)

    def stop(self) -> None:
        for pid in _pcscd_pids():
            try:
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while _pcscd_pids() and time.monotonic() < deadline:
            time.sleep(0.02)
        for pid in _pcscd_pids():
            os.kill(pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=5)
            self.proc = None
        if SOCKET.exists():
            SOCKET.unlink()
        self.mode = None

    def start(self, vpcd: bool = True) -> None:
        mode = "vpcd" if vpcd else "empty"
        if self.mode == mode and self.proc is not None and self.proc.poll() is None:
            return
        self.stop()
        conf = VPCD_CONF_DIR if vpcd else self.empty_conf_dir
        self.proc = subprocess.Popen(
            [self.binary, "-f", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if SOCKET.exists() and (not vpcd or _port_open(35963)):
                break
            time.sleep(0.02)
        else:
            raise RuntimeError("pcscd did not come up")
        self.mode = mode

    def pause(self) -> None:
        for pid in _pcscd_pids():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in _pcscd_pids():
            os.kill(pid, signal.SIGCONT)

    def kill_now(self) -> None:
        """Stop pcscd abruptly (for "the service died during the check")."""
        for pid in _pcscd_pids():
            os.kill(pid, signal.SIGKILL)


def wait_for_card(present: bool, reader_index: int = 0, timeout: float = 5.0) -> None:
    """Wait until pcscd reports the card present (or absent) in the reader."""
    hr, ctx = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
    assert hr == 0
    try:
        hr, readers = s.SCardListReaders(ctx, [])
        reader = readers[reader_index]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hr, states = s.SCardGetStatusChange(ctx, 0, [(reader, s.SCARD_STATE_UNAWARE)])
            if hr == 0 and bool(states[0][1] & s.SCARD_STATE_PRESENT) == present:
                return
            time.sleep(0.05)
        raise TimeoutError(f"card {'insertion' if present else 'removal'} not seen")
    finally:
        s.SCardReleaseContext(ctx)
