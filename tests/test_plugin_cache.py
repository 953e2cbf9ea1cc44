"""The remembered plugin list (diagwizard/plugins.py): never stale, never an error, and
a run with nothing changed does not read package metadata at all."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import fake_plugin_site, fresh_python

SHOW = (
    "import json, sys\n"
    "from diagwizard.engine import plugins\n"
    "eps = plugins.entry_points('diagwizard.checks')\n"
    "print(json.dumps({'eps': [[e.name, e.value, e.dist] for e in eps],\n"
    "                  'metadata_read': 'importlib.metadata' in sys.modules}))\n"
)


def show(site: Path, cache: Path) -> dict:
    env = {"PYTHONPATH": str(site), "DIAGWIZARD_CACHE_DIR": str(cache)}
    return json.loads(fresh_python(SHOW, env))


def test_second_run_with_nothing_changed_reads_no_package_metadata(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes:PROBES"})
    first, second = show(site, cache), show(site, cache)
    assert first["metadata_read"] and not second["metadata_read"]
    assert first["eps"] == second["eps"] == [["acme", "acme_probes:PROBES", "acme_probes"]]


def test_a_plugin_installed_later_is_found(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    assert show(site, cache)["eps"] == []
    fake_plugin_site(site, "late_probes", {"late": "late_probes:PROBES"})
    assert show(site, cache)["eps"] == [["late", "late_probes:PROBES", "late_probes"]]


def test_an_entry_point_rewritten_in_place_is_seen(tmp_path: Path) -> None:
    """An editable install rewrites its own entry_points.txt; the folder stays."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes:PROBES"})
    show(site, cache)
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes.v2:ALL"})
    assert show(site, cache)["eps"] == [["acme", "acme_probes.v2:ALL", "acme_probes"]]


def test_a_garbled_cache_is_read_past_and_replaced(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes:PROBES"})
    show(site, cache)
    (cache / "plugins.json").write_bytes(b'{"key": 12, "groups": [\x00')
    assert show(site, cache)["eps"] == [["acme", "acme_probes:PROBES", "acme_probes"]]
    assert json.loads((cache / "plugins.json").read_text())["groups"]["diagwizard.checks"]


def test_an_unwritable_cache_folder_costs_nothing_but_the_read(tmp_path: Path) -> None:
    site, blocker = tmp_path / "site", tmp_path / "not-a-folder"
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes:PROBES"})
    blocker.write_text("a file where the cache folder should be")
    for _ in range(2):
        got = show(site, blocker / "cache")
        assert got["metadata_read"]
        assert got["eps"] == [["acme", "acme_probes:PROBES", "acme_probes"]]


def test_the_cache_names_no_folder_of_the_user(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    fake_plugin_site(site, "acme_probes", {"acme": "acme_probes:PROBES"})
    show(site, cache)
    text = (cache / "plugins.json").read_text()
    assert str(tmp_path) not in text and str(Path.home()) not in text


def test_diagwizards_own_entry_points_are_not_plugins_and_plugins_come_by_name(
    tmp_path: Path,
) -> None:
    """An older install's metadata may declare the built-in modules as entry points; the
    static lists name those, so they are left out. Plugins come in name order."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    fake_plugin_site(site, "diagwizard", {"pcsc": "checks.pcsc:PROBES"})
    fake_plugin_site(site, "zeta_probes", {"zeta": "zeta_probes:PROBES"})
    fake_plugin_site(site, "alpha_probes", {"alpha": "alpha_probes:PROBES"})
    assert [e[0] for e in show(site, cache)["eps"]] == ["alpha", "zeta"]
