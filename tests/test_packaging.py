"""The parts of packaging that run without a build: built-in probes and KB found without
package metadata (as in the frozen program), the hidden child mode, the double-click wait."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers import ROOT

from diagwizard.core import frozen
from diagwizard.engine import knowledge, registry


def test_builtin_probes_and_kb_load_without_package_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A frozen program has no dist-info: entry_points() finds nothing at all.
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    monkeypatch.setattr(knowledge, "entry_points", lambda group: [])
    reg = registry.load(plugins=True)
    assert not reg.problems
    ids = set(reg.probes)
    assert {"sys.os", "pcsc.service", "pkcs11.token", "net.tls", "store.registered"} <= ids
    assert all(o.builtin and o.target.startswith("checks.") for o in reg.origins.values())
    assert knowledge.data_dirs()[0].joinpath("entries").is_dir()
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    assert {"pcsc.start_service", "sys.time_sync", "store.names"} <= set(registry.load_fixes())


def test_child_process_reloads_an_isolated_probe_from_its_target() -> None:
    reg = registry.load(plugins=False)
    target = reg.origins["pkcs11.token"].target
    assert "pkcs11.token" in registry.load_target(target).probes


def test_cli_marker_runs_the_isolated_child_exchange() -> None:
    request = {"kind": "call", "target": "platform:python_version", "args": {}}
    proc = subprocess.run(
        [sys.executable, "-m", "diagwizard", frozen.CHILD_MARKER],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"value": sys.version.split()[0]}


def _frozen_windows_main(args: list[str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; sys.frozen = True; sys.platform = 'win32'\n"
        "from diagwizard.ui.cli import main\n"
        f"raise SystemExit(main({args!r}))\n"
    )
    env = dict(os.environ, DIAGWIZARD_CONFIG="/nonexistent/dw-config.toml", LANG="en_US.UTF-8")
    return subprocess.run(
        [sys.executable, "-c", code],
        input="\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )


def test_double_clicked_program_waits_for_enter_after_an_error() -> None:
    proc = _frozen_windows_main([])
    assert proc.returncode == 2
    assert "Press Enter to close this window" in proc.stdout
    assert "dw-config.toml" in proc.stderr


def test_program_run_with_arguments_does_not_wait() -> None:
    proc = _frozen_windows_main(["check"])
    assert proc.returncode == 2
    assert "Press Enter" not in proc.stdout
