"""The catalogue of interface words (diagwizard.core.words): both languages for every entry,
the same placeholders in both, footer labels the footer can find, and no words left as
literals in the views nor private Textual API in the wizard."""

from __future__ import annotations

import ast
import pkgutil
import string
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from helpers import ROOT
from rich.cells import cell_len
from textual.app import App
from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from diagwizard.core import words
from diagwizard.core.text import Text
from diagwizard.core.words import keylabels
from diagwizard.ui.tui.keys import LABELS, in_language, key

MODULES = [m.name for m in pkgutil.iter_modules(words.__path__)]


def entries() -> Iterator[tuple[str, Text]]:
    """Every catalogue entry, named ``module.CONSTANT`` (``module.TABLE[key]`` in tables)."""
    for module in MODULES:
        for name, value in vars(import_module(f"diagwizard.core.words.{module}")).items():
            if isinstance(value, Text):
                yield f"{module}.{name}", value
            elif isinstance(value, dict):
                for k, v in value.items():
                    inner = v.items() if isinstance(v, dict) else [("", v)]
                    for k2, text in inner:
                        if isinstance(text, Text):
                            yield f"{module}.{name}[{k}]{f'[{k2}]' if k2 else ''}", text


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_the_catalogue_has_its_modules() -> None:
    assert set(MODULES) >= {"common", "keylabels", "wizard", "terminal", "fixes", "reports"}
    assert len(list(entries())) > 150


def test_every_entry_in_both_languages_with_the_same_placeholders() -> None:
    empty = [name for name, text in entries() if not (text.zh.strip() and text.en.strip())]
    assert not empty, f"a language is missing: {empty}"
    differ = [n for n, t in entries() if placeholders(t.zh) != placeholders(t.en)]
    assert not differ, f"the languages take different {{placeholders}}: {differ}"


def test_footer_labels_are_short_unique_and_found_by_the_footer() -> None:
    labels = [v for v in vars(keylabels).values() if isinstance(v, Text)]
    assert len({t.zh for t in labels}) == len(labels)  # the footer finds a label by its zh-TW
    assert set(LABELS.values()) == set(labels)
    for t in labels:
        assert cell_len(t.zh) <= 12 and cell_len(t.en) <= 12, t  # cells, as the footer counts
    with pytest.raises(ValueError):
        key("x", "back", Text("返回", "Go back"))  # not the catalogue's label


def test_a_label_shows_in_the_screen_language() -> None:
    binding = key("escape", "back", keylabels.BACK)
    active = {"escape": ActiveBinding(None, binding, True)}  # type: ignore[arg-type]
    assert in_language(active, "en")["escape"].binding.description == "Back"
    assert in_language(active, "zh-TW")["escape"].binding.description == "返回"


def _literal_texts(path: Path) -> list[str]:
    """``Text("…", "…")`` built from literals: words that belong in the catalogue. A
    finding's message (``FindingDef(code, Text(...))``) belongs to its declaration."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "FindingDef"
        for arg in node.args
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Text"
            and node.args
            and all(isinstance(a, ast.Constant) for a in node.args)
            and id(node) not in declared
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _program_files() -> list[Path]:
    """Everything but the probes (whose words are their findings) and the catalogue."""
    words_dir = ROOT / "diagwizard" / "core" / "words"
    files = [*(ROOT / "diagwizard").rglob("*.py"), *(ROOT / "kb").rglob("*.py")]
    return sorted(p for p in files if words_dir not in p.parents)


def test_the_program_takes_its_words_from_the_catalogue() -> None:
    literal = [hit for p in _program_files() for hit in _literal_texts(p)]
    assert not literal, f"move these words into diagwizard/core/words: {literal}"
    pipes = [
        f"{p.relative_to(ROOT)}"
        for p in (ROOT / "diagwizard" / "ui").rglob("*.py")
        if "Binding(" in p.read_text(encoding="utf-8") and p.name != "keys.py"
    ]
    assert not pipes, f"declare bindings with keys.key() and a catalogue label: {pipes}"


def test_the_wizard_uses_no_private_textual_api() -> None:
    """No underscore attribute of Textual's App, Screen or widgets (``_bindings``,
    ``_merged_bindings``…): they change between Textual releases without notice."""
    private = {
        name
        for cls in (App, Screen, ModalScreen, Static)
        for name in dir(cls)
        if name.startswith("_") and not name.startswith("__")
    }
    used = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.attr}"
        for path in sorted((ROOT / "diagwizard" / "ui" / "tui").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in private
    ]
    assert not used, used
