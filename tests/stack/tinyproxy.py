"""A real tinyproxy on 127.0.0.1, optionally demanding Basic authentication (407)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path


class Tinyproxy:
    def __init__(
        self, folder: Path, auth: tuple[str, str] | None = None, deny_connect: bool = False
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        lines = [
            "User nobody",
            "Group nogroup",
            f"Port {self.port}",
            "Listen 127.0.0.1",
            "Timeout 10",
            "MaxClients 20",
            "Allow 127.0.0.1",
            f'LogFile "{folder / "tinyproxy.log"}"',
            "LogLevel Info",
        ]
        if deny_connect:
            lines.append("ConnectPort 1")  # CONNECT only to port 1: every real target is refused
        if auth:
            lines.append(f"BasicAuth {auth[0]} {auth[1]}")
        self.conf = folder / "tinyproxy.conf"
        self.conf.write_text("\n".join(lines) + "\n")
        self.log = folder / "tinyproxy.log"
        self.log.touch()
        shutil.chown(self.log, "nobody", "nogroup")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Tinyproxy:
        binary = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
        self.proc = subprocess.Popen(
            [binary, "-d", "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError("tinyproxy did not start")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
