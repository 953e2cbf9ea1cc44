"""Shared test helpers: run the real CLI or the engine, read findings, and fake third-party
plugin installs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diagwizard.core.config import Config
from diagwizard.core.model import Result
from diagwizard.engine.engine import Engine
from diagwizard.system import adapters

ROOT = Path(__file__).resolve().parent.parent
# Every CLI run in the tests uses this config unless a test gives its own: all targets on
# 127.0.0.1, so no test can reach the real GCIS/MOICA hosts or the machine's DNS server.
LOOPBACK_CONFIG = Path(__file__).resolve().parent / "loopback.toml"
FIXTURES = Path(__file__).resolve().parent / "plugin_fixtures"
SCHEMA = ROOT / "diagwizard" / "schema" / "check.schema.json"
# DIAGWIZARD_FUZZ_EXPLORE=<n>: property tests draw n fresh random examples (see conftest).
FUZZ_EXPLORE = int(os.environ.get("DIAGWIZARD_FUZZ_EXPLORE", "0") or 0)


def examples(n: int) -> int:
    """How many examples a property test draws: its fixed ``n`` in CI (the same ones on
    every run), or as many fresh ones as DIAGWIZARD_FUZZ_EXPLORE asks for."""
    return FUZZ_EXPLORE or n


def fresh_python(code: str, env: Mapping[str, str] | None = None, timeout: float = 120) -> str:
    """Run ``code`` in a new interpreter, for what only a fresh start shows (which
    modules load, what a new process sees); fail with its stderr unless it exits 0.
    ``env`` is added to this process's environment. Returns what it printed."""
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> CliResult:
    full_env = dict(os.environ)
    full_env["DIAGWIZARD_CONFIG"] = str(LOOPBACK_CONFIG)
    full_env.setdefault("LANG", "C.UTF-8")
    full_env["COLUMNS"] = "100"
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "diagwizard", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def fake_plugin_site(
    site: Path, dist: str, entry_points: dict[str, str], group: str = "diagwizard.checks"
) -> Path:
    """Make ``site`` look like an installed distribution with these entry points."""
    info = site / f"{dist}-0.0.1.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.0.1\n")
    lines = [f"[{group}]"] + [f"{k} = {v}" for k, v in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    return site


def plugin_env(*sites: Path, config: Path | None = None) -> dict[str, str]:
    paths = [str(FIXTURES), *(str(s) for s in sites)]
    env = {"PYTHONPATH": os.pathsep.join(paths)}
    if config is not None:
        env["DIAGWIZARD_CONFIG"] = str(config)
    return env


def run_probes(
    adapter: object | None, only: str | list[str], config: object | None = None
) -> dict[str, Result]:
    """Run probes in-process through the real engine, with a given OS adapter (recorded
    Windows/macOS state, or a Linux adapter pointed at test folders; None: this machine's)."""
    adapter = adapter or adapters.current()
    selected = [only] if isinstance(only, str) else only
    engine = Engine.create(config or Config(), plugins=False, os_adapter=adapter)  # type: ignore[arg-type]
    engine.platform = getattr(adapter, "system", engine.platform)
    return engine.run(selected).results


def check(
    config: Path | None,
    *only: str,
    env: dict[str, str] | None = None,
    extra: Sequence[str] = (),
    timeout: float = 60,
) -> tuple[CliResult, dict[str, dict[str, Any]]]:
    """`diagwizard check --json --lang en` on these probes (all when none are named), with
    this config file (the loopback one when None); the results by probe id."""
    args = ["check", "--json", "--lang", "en"]
    if config is not None:
        args += ["--config", str(config)]
    for o in only:
        args += ["--only", o]
    r = run_cli(*args, *extra, env=env, timeout=timeout)
    return r, {x["id"]: x for x in r.json()["results"]}


def codes(res: Result | Mapping[str, Any]) -> list[str]:
    """The finding codes of one result, from the engine or from the JSON document."""
    if isinstance(res, Mapping):
        return [f["code"] for f in res["findings"]]
    return [f.code for f in res.findings]


def facts_and_codes(res: Result) -> dict[str, Any]:
    """A result's fact values by name, plus its finding codes under "codes"."""
    return {k: v.value for k, v in res.facts.items()} | {"codes": codes(res)}
