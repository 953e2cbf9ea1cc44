"""Third-party plugins: installed example, broken imports, duplicates, and misbehaviour."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, fake_plugin_site, fresh_python, plugin_env, run_cli


def _config(tmp_path: Path, overall: float = 10.0) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[timeouts]\noverall = {overall}\n")
    return cfg


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the example plugin package for real (wheel build and all) into a target dir."""
    target = tmp_path_factory.mktemp("example-site")
    subprocess.run(
        [
            "uv",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            "--python",
            sys.executable,
            str(ROOT / "examples" / "diagwizard-example-plugin"),
        ],
        check=True,
        capture_output=True,
    )
    return target


def test_example_plugin_is_installed_and_runs(example_site: Path, tmp_path: Path) -> None:
    r = run_cli("check", "--json", "--only", "example", env=plugin_env(example_site))
    doc = r.json()
    (res,) = doc["results"]
    assert res["id"] == "example.home" and res["status"] == "ok"
    assert res["personal"] == ["path"]
    probes = run_cli("probes", "--json", env=plugin_env(example_site)).json()["probes"]
    assert {p["id"]: p["builtin"] for p in probes}["example.home"] is False


def test_no_plugins_turns_plugins_off(example_site: Path) -> None:
    r = run_cli("check", "--json", "--no-plugins", env=plugin_env(example_site))
    ids = [x["id"] for x in r.json()["results"]]
    assert "example.home" not in ids and "sys.os" in ids


def test_plugin_that_fails_to_import_is_reported(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "broken", {"broken": "broken_import:PROBES"})
    r = run_cli("check", "--json", "--lang", "en", env=plugin_env(site, config=_config(tmp_path)))
    assert r.code == 1
    by_id = {x["id"]: x for x in r.json()["results"]}
    res = by_id["plugin.broken"]
    assert res["status"] == "error"
    assert res["findings"][0]["code"] == "registry.E001"
    assert "this_module_does_not_exist" in res["findings"][0]["message"]
    assert by_id["sys.os"]["status"] == "ok"  # the rest still ran


def test_plugin_with_non_probe_value_is_reported(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "odd", {"odd": "misbehaving:NOT_PROBES"})
    r = run_cli("check", "--json", env=plugin_env(site, config=_config(tmp_path)))
    codes = [f["code"] for x in r.json()["results"] for f in x["findings"]]
    assert "registry.E003" in codes


def test_duplicate_probe_id_is_reported(tmp_path: Path) -> None:
    site = fake_plugin_site(
        tmp_path / "site",
        "dups",
        {"a_fails": "misbehaving:FAILS", "b_dup": "misbehaving:DUPLICATE"},
    )
    r = run_cli("check", "--json", "--lang", "en", env=plugin_env(site, config=_config(tmp_path)))
    results = r.json()["results"]
    assert [x["id"] for x in results].count("bad.fails") == 1
    dup = next(x for x in results if x["id"] == "plugin.b_dup")
    assert dup["findings"][0]["code"] == "registry.E002"


def test_failing_probe_exit_code_1_and_readable_finding(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "f", {"f": "misbehaving:FAILS"})
    r = run_cli("check", "--lang", "en", env=plugin_env(site, config=_config(tmp_path)))
    assert r.code == 1
    assert "✘ FAIL" in r.out and "bad.E001" in r.out


def test_sleeping_probe_times_out_and_run_ends_within_deadline(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "sleepy", {"sleepy": "misbehaving:SLEEPER"})
    env = plugin_env(site, config=_config(tmp_path, overall=4.0))
    started = time.monotonic()
    r = run_cli("check", "--json", env=env, timeout=30)
    elapsed = time.monotonic() - started
    assert r.code == 1
    res = {x["id"]: x for x in r.json()["results"]}["bad.sleeper"]
    assert res["status"] == "timeout"
    assert res["findings"][0]["code"] == "runner.E001"
    assert res["findings"][0]["kb"] == ["tool-problem"]
    assert 900 <= res["duration_ms"] < 2500  # cut off at its own 1 s limit
    assert elapsed < 4.0 + 3.0  # the whole run (incl. interpreter start) stayed bounded


def test_overall_deadline_cuts_long_probe(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "sleepy", {"sleepy": "misbehaving:SLEEPER"})
    cfg = tmp_path / "c.toml"
    cfg.write_text('[timeouts]\noverall = 1.5\nprobes = { "bad.sleeper" = 30.0 }\n')
    started = time.monotonic()
    r = run_cli("check", "--json", env=plugin_env(site, config=cfg), timeout=30)
    assert time.monotonic() - started < 1.5 + 3.0
    res = {x["id"]: x for x in r.json()["results"]}["bad.sleeper"]
    assert res["status"] == "timeout"
    assert res["findings"][0]["code"] == "runner.E004"


def test_isolated_segfault_and_hang_become_results(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "crashy", {"crashy": "misbehaving:SEGFAULT"})
    started = time.monotonic()
    r = run_cli(
        "check",
        "--json",
        "--lang",
        "en",
        env=plugin_env(site, config=_config(tmp_path)),
        timeout=30,
    )
    assert time.monotonic() - started < 8
    by_id = {x["id"]: x for x in r.json()["results"]}
    seg = by_id["bad.segfault"]
    assert seg["status"] == "error"
    assert seg["findings"][0]["code"] == "runner.E003"
    assert "SIGSEGV" in seg["findings"][0]["message"]
    hang = by_id["bad.hang_isolated"]
    assert hang["status"] == "timeout"
    assert r.code == 1


def test_isolated_probe_really_runs_in_another_process(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "iso", {"iso": "misbehaving:ISOLATED_OK"})
    r = run_cli("check", "--json", "--only", "bad", env=plugin_env(site, config=_config(tmp_path)))
    (res,) = r.json()["results"]
    assert res["status"] == "ok"
    assert res["facts"]["pid"] != os.getpid()


def test_exception_in_probe_becomes_error(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "r", {"r": "misbehaving:RAISES"})
    r = run_cli("check", "--json", "--lang", "en", env=plugin_env(site, config=_config(tmp_path)))
    res = {x["id"]: x for x in r.json()["results"]}["bad.raises"]
    assert res["status"] == "error"
    assert "boom from the probe" in res["findings"][0]["message"]


_SHOW_ENTRY_POINTS = (
    "import json\n"
    "from diagwizard.engine import plugins\n"
    "print(json.dumps([[e.name, e.value, e.dist] for e in\n"
    "                  plugins.entry_points('diagwizard.checks')]))\n"
)


def _entry_points(site: Path) -> list[list[str]]:
    return json.loads(fresh_python(_SHOW_ENTRY_POINTS, {"PYTHONPATH": str(site)}))


def test_a_plugin_installed_or_rewritten_later_is_found(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert _entry_points(site) == []
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes:PROBES"})
    assert _entry_points(site) == [["acme", "acme_probes:PROBES", "acme_probes"]]
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes.v2:ALL"})  # editable install
    assert _entry_points(site) == [["acme", "acme_probes.v2:ALL", "acme_probes"]]


def test_diagwizards_own_entry_points_are_not_plugins_and_plugins_come_by_name(
    tmp_path: Path,
) -> None:
    """An older install's metadata may declare the built-in modules as entry points; the
    static lists name those, so they are left out. Plugins come in name order."""
    site = tmp_path / "site"
    fake_plugin_site(site, "diagwizard", {"pcsc": "checks.pcsc:PROBES"})
    fake_plugin_site(site, "zeta_probes", {"zeta": "zeta_probes:PROBES"})
    fake_plugin_site(site, "alpha_probes", {"alpha": "alpha_probes:PROBES"})
    assert [e[0] for e in _entry_points(site)] == ["alpha", "zeta"]
