"""Guards on the shape of the code: small files, no import cycle at import time, and every
import inside a function says why it is late.

Each guard has an allowlist of what is still in the way today; the coordinator empties the
lists as the branches that fix them land. A file that leaves the list by being fixed fails
the "stale allowlist" check, so the lists cannot silently outlive their reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from helpers import ROOT

MAX_LINES = 400
# Source folders and the package each one is installed as (checks/ and kb/ sit at the top of
# the repository but are imported as checks and kb).
PACKAGES = {"diagwizard": "diagwizard", "checks": "checks", "kb": "kb"}

# Files that are still 400 lines or more, with the issue that shrinks each.
LONG_FILES: dict[str, str] = {}

# Import cycles at import time that exist today, as the sorted tuple of their modules.
CYCLES: dict[tuple[str, ...], str] = {}

# Files whose imports inside functions do not yet carry a `# lazy: <reason>` comment; their
# owners convert them in issue 19 (point 5).
UNMARKED_LAZY: dict[str, str] = {}


def source_files() -> Iterator[tuple[Path, str]]:
    """Every project .py file with its dotted module name."""
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            yield path, ".".join([package, *parts])


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_files_are_under_the_line_limit() -> None:
    long = {rel(p): line_count(p) for p, _ in source_files() if line_count(p) >= MAX_LINES}
    unexpected = {f: n for f, n in long.items() if f not in LONG_FILES}
    assert not unexpected, f"files with {MAX_LINES} lines or more (split them): {unexpected}"
    stale = sorted(set(LONG_FILES) - set(long))
    assert not stale, f"now under {MAX_LINES} lines, remove from LONG_FILES: {stale}"


# -- import cycles ------------------------------------------------------------------------


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_time_nodes(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: module level, including inside
    try/if/with blocks, but not function or class-method bodies or TYPE_CHECKING blocks."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not is_type_checking(node):
                yield from import_time_nodes(node.body)
            yield from import_time_nodes(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from import_time_nodes(block)
            for handler in node.handlers:
                yield from import_time_nodes(handler.body)
        elif isinstance(node, ast.With):
            yield from import_time_nodes(node.body)
        elif isinstance(node, ast.ClassDef):
            yield from import_time_nodes(node.body)


def imported_modules(path: Path, module: str, known: set[str]) -> set[str]:
    """Project modules that ``module`` imports at import time."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in import_time_nodes(tree.body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        found.add(base)
        found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m in known and m != module}


def import_graph() -> dict[str, set[str]]:
    files = dict((m, p) for p, m in source_files())
    known = set(files)
    return {m: imported_modules(p, m, known) for m, p in files.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One chain per strongly connected group of modules (Tarjan), as a walk through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                top = stack.pop()
                group.add(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [chain_through(graph, group) for group in groups]


def chain_through(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest import chain from the group's first module back to itself."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & group):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no chain through {sorted(group)}")


def test_the_cycle_finder_reports_a_readable_chain() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_at_import_time() -> None:
    cycles = {tuple(sorted(set(c))): " -> ".join(c) for c in find_cycles(import_graph())}
    unexpected = [chain for key, chain in cycles.items() if key not in CYCLES]
    assert not unexpected, "import cycles at import time:\n" + "\n".join(unexpected)
    stale = [key for key in CYCLES if key not in cycles]
    assert not stale, f"these cycles are gone, remove them from CYCLES: {stale}"


# -- imports inside functions ---------------------------------------------------------------


def unmarked_function_imports(path: Path) -> list[str]:
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
                comment = last.partition("# lazy:")[2].strip()
                if not comment:
                    bad.append(f"{rel(path)}:{sub.lineno}: {lines[sub.lineno - 1].strip()}")
    return sorted(set(bad))


def test_imports_inside_functions_say_why() -> None:
    bad = [
        line
        for path, _ in source_files()
        if rel(path) not in UNMARKED_LAZY
        for line in unmarked_function_imports(path)
    ]
    assert not bad, (
        "import at the top of the module, or end the line with `# lazy: <reason>` "
        "(start-up time, optional/platform-only module, heavy library only some probes use):\n"
        + "\n".join(bad)
    )
    stale = [f for f in UNMARKED_LAZY if not unmarked_function_imports(ROOT / f)]
    assert not stale, f"these files are converted, remove them from UNMARKED_LAZY: {stale}"
