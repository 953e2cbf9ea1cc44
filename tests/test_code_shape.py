"""A guard on the shape of the code that no tool checks for us: an import inside a
function says why it is late (``# lazy: <reason>``). Layers and import cycles are
import-linter's job (``[tool.importlinter]`` in pyproject.toml, ``lint-imports`` in
scripts/test)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from helpers import ROOT

PACKAGES = ("diagwizard", "checks", "kb")


def source_files() -> Iterator[Path]:
    for folder in PACKAGES:
        yield from sorted((ROOT / folder).rglob("*.py"))


def unmarked_function_imports(path: Path, root: Path = ROOT) -> list[str]:
    """Imports inside a function whose last line has no `# lazy: <reason>` comment."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    bad = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import | ast.ImportFrom):
                last = lines[(sub.end_lineno or sub.lineno) - 1]
                if not last.partition("# lazy:")[2].strip():
                    where = path.relative_to(root).as_posix()
                    bad.append(f"{where}:{sub.lineno}: {lines[sub.lineno - 1].strip()}")
    return sorted(set(bad))


def test_the_guard_sees_an_unmarked_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import json\n\ndef g():\n    import csv  # lazy: rare\n")
    assert unmarked_function_imports(sample, tmp_path) == ["sample.py:2: import json"]


def test_imports_inside_functions_say_why() -> None:
    bad = [line for path in source_files() for line in unmarked_function_imports(path)]
    assert not bad, (
        "import at the top of the module, or end the line with `# lazy: <reason>` "
        "(start-up time, optional/platform-only module, heavy library only some probes use):\n"
        + "\n".join(bad)
    )
