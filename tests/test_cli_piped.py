"""`check` piped to a file or another program (a helpdesk pasting it into a ticket): no
line padded with spaces to the terminal width, and a path never broken across lines."""

from __future__ import annotations

import socket

import pytest
from helpers import run_cli


def _closed_port() -> int:
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("columns", ["80", "64"])
def test_piped_check_has_no_trailing_spaces_and_whole_paths(write_config, columns: str) -> None:
    cfg = write_config([], hipki_url=f"http://127.0.0.1:{_closed_port()}")
    r = run_cli(
        "check",
        "--only",
        "middleware.hipki",
        "--lang",
        "zh-TW",
        env={"DIAGWIZARD_CONFIG": str(cfg), "COLUMNS": columns},
    )
    assert r.code == 1, r.out + r.err
    lines = r.out.splitlines()
    assert "跨平台網頁元件沒有回應" in r.out
    padded = [line for line in lines if line != line.rstrip()]
    assert padded == [], padded
    assert any("/tmp/HiPKILocalSignServerApp.log" in line for line in lines), r.out
