"""The static probe index: it matches what the modules declare, and ``--only`` loads just
the probe modules a run needs (plus what their probes, or a plugin's, need or read)."""

from __future__ import annotations

from pathlib import Path

from helpers import fake_plugin_site, fresh_python, plugin_env, run_cli

from diagwizard.engine import probe_index, registry


def test_index_matches_the_probes_the_modules_declare() -> None:
    full = registry.load(plugins=False)
    declared = {
        name: {p.id: (*p.needs, *p.wants) for p in full if full.origins[p.id].entry_point == name}
        for name in registry.BUILTIN
    }
    assert declared == probe_index.BUILTIN_PROBES
    assert {p.id for p in full if p.isolated or p.isolates_calls} == probe_index.ISOLATED


def test_only_loads_the_selected_modules_and_what_they_read() -> None:
    reg = registry.load(plugins=False, only=["PCSC"])
    assert {reg.origins[p.id].entry_point for p in reg} == {"pcsc", "card_type"}
    # pkcs11.pin reads middleware.hipki: the middleware module comes along.
    reg = registry.load(plugins=False, only=["pkcs11.pin"])
    assert [p.id for p in reg.select(["pkcs11.pin"])] == [
        "middleware.hipki",
        "pkcs11.token",
        "pkcs11.pin",
    ]


def test_a_partial_load_keeps_the_order_of_a_full_load() -> None:
    wanted = ["sys", "net.dns", "pcsc.card_type"]
    full = registry.load(plugins=False).select(wanted)
    part = registry.load(plugins=False, only=wanted).select(wanted)
    assert [p.id for p in part] == [p.id for p in full]


def test_only_does_not_import_other_probe_modules() -> None:
    code = (
        "import sys\n"
        "from diagwizard.core import config\n"
        "from diagwizard.engine.engine import Engine\n"
        "e = Engine.create(config.Config(), plugins=False, only=['sys.os'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('checks')))\n"
    )
    out = fresh_python(code)
    assert "checks.system" in out
    assert "checks.network" not in out and "checks.pkcs11" not in out


def test_may_isolate_follows_what_the_selection_reads() -> None:
    assert probe_index.may_isolate([])
    assert probe_index.may_isolate(["PKCS11"])
    assert probe_index.may_isolate(["store"])  # store.registered reads pkcs11.token
    assert not probe_index.may_isolate(["pcsc", "net"])


PLUGIN = """
from diagwizard.core.model import Text, ok, probe


@probe("needy.card", "需要卡片", "Needs the card", needs=("sys.os",))
def needy(ctx):
    return ok(Text("好", "fine"))


PROBES = [needy]
"""


def test_a_plugin_probe_gets_the_builtin_probe_it_needs(tmp_path: Path) -> None:
    site = fake_plugin_site(tmp_path / "site", "needy", {"needy": "needy_plugin:PROBES"})
    (site / "needy_plugin.py").write_text(PLUGIN)
    r = run_cli("check", "--json", "--only", "needy", env=plugin_env(site))
    ids = [x["id"] for x in r.json()["results"]]
    assert ids == ["sys.os", "needy.card"]
