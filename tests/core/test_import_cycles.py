"""No import cycles (issue 23, "layering").

The import graph is read from the source with :mod:`ast` (nothing is imported), with
every ``import`` of a ``saferboard`` module as an edge: at module level and inside
functions alike, because an import put inside a function to dodge a cycle still leaves
the cycle in the design (the youth justice importers ↔ observations ↔ comparators one
was hidden that way). Imports under ``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import saferboard

SOURCE = Path(saferboard.__file__).resolve().parent
PACKAGE = "saferboard"


def module_files() -> dict[str, Path]:
    """Every module of the package (migrations aside), by dotted name."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = [PACKAGE, *path.relative_to(SOURCE).with_suffix("").parts]
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(name: str, path: Path, modules: Iterable[str], *, in_functions: bool) -> set[str]:
    """The package's modules that module ``name`` imports (``from a import b`` names
    module ``a.b`` when it is one, else ``a``)."""
    known = set(modules)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if in_functions:
                    visit(node.body)
                continue
            if isinstance(node, ast.If) and _type_checking(node):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, *([base] if base else [])])
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in known else base)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit([n for n in inner if isinstance(n, ast.stmt | ast.excepthandler)])

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {m for m in found if m in known and m != name}


def import_graph(*, in_functions: bool = True) -> dict[str, set[str]]:
    files = module_files()
    return {
        name: imported(name, path, files, in_functions=in_functions) for name, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one module (Tarjan's
    algorithm, iterative): each is one or more cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _within(graph: dict[str, set[str]], prefix: str) -> dict[str, set[str]]:
    return {
        name: {m for m in targets if m.startswith(prefix)}
        for name, targets in graph.items()
        if name.startswith(prefix)
    }


def test_cycle_finder_by_hand() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": set()}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["d", "e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_import_reader_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "from saferboard.x import y, helper\n"
        "from . import z\n"
        "if TYPE_CHECKING:\n    from saferboard.w import T\n"
        "def f():\n    import saferboard.v\n",
        encoding="utf-8",
    )
    modules = ["saferboard.x", "saferboard.x.y", "saferboard.p.z", "saferboard.w", "saferboard.v"]
    top = imported("saferboard.p.m", path, modules, in_functions=False)
    assert top == {"saferboard.x", "saferboard.x.y", "saferboard.p.z"}
    every = imported("saferboard.p.m", path, modules, in_functions=True)
    assert every == top | {"saferboard.v"}


def test_no_import_cycle_among_youth_justice_modules() -> None:
    """Importers → refresh → observations → comparators, nothing importing back up."""
    graph = import_graph()
    assert "saferboard.youthjustice.comparators" in graph
    assert cycles(_within(graph, "saferboard.youthjustice.")) == []


def test_no_module_level_import_cycle_anywhere() -> None:
    assert cycles(import_graph(in_functions=False)) == []


def test_no_import_cycle_anywhere() -> None:
    """Not even through imports inside functions (the eleventh session cut the last
    five: core's RAG values, measures' rule configuration, crime's signed categories,
    the clerk's pages, and the pack's providers, now registered when the reports app
    is ready)."""
    assert cycles(import_graph()) == []
