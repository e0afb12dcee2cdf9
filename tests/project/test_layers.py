"""The package's imports flow one way, as docs/architecture.md lays the layers out: no module
imports another that imports it back (no cycle, at import time), each layer imports only the
layers below it, and the rules, the command layer and scenario files never import aiohttp.
Imports are read from the source (``ast``), at module level; those under ``if TYPE_CHECKING:``
are for the type checker only and never run, so they are left out. The checker itself is
tried on a small package of its own with a cycle and a layer crossed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "fake_meetings"

# Each layer (a subpackage, or a module at the package's top) and what it may import besides
# itself: the one-way flow of docs/architecture.md.
MAY_IMPORT = {
    "errors": set(),
    "progress": set(),
    "domain": {"errors"},
    "webhooks": {"domain", "errors"},
    "scenario": {"domain", "errors", "progress"},
    "config": {"domain", "webhooks"},
    "state": {"config", "domain", "errors", "webhooks"},
}
NO_AIOHTTP = ("domain", "state", "scenario")  # webhooks/ delivers with aiohttp's client


def modules(root: Path) -> dict[str, Path]:
    """Each module of the package at ``root`` by its dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _run_at_import(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of ``body`` that run when the module is imported (into ``if``/``try``
    blocks, except those under ``if TYPE_CHECKING:``); not into functions or classes."""
    for node in body:
        if isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from _run_at_import(node.body)
            yield from _run_at_import(node.orelse)
        elif isinstance(node, ast.Try):
            for part in (node.body, node.orelse, node.finalbody):
                yield from _run_at_import(part)
            for handler in node.handlers:
                yield from _run_at_import(handler.body)
        else:
            yield node


def imports(root: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per module: the package's modules it imports at import time, and the other top-level
    packages it imports."""
    known = modules(root)
    inside: dict[str, set[str]] = {name: set() for name in known}
    outside: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _run_at_import(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = alias.name
                    (inside if target.split(".")[0] == root.name else outside)[name].add(target)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                elif (node.module or "").split(".")[0] == root.name:
                    target = node.module or ""
                else:
                    outside[name].add((node.module or "").split(".")[0])
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    inside[name].add(sub if sub in known else target)
    return {k: {t for t in v if t in known} for k, v in inside.items()}, outside


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The cycles of ``graph``: each strongly connected set of more than one module, or a
    module importing itself (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1 or node in graph[node]:
                    found.append(sorted(part))
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "top"


def crossings(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a layer named in MAY_IMPORT that is not among what it may import."""
    wrong = []
    for module, targets in sorted(graph.items()):
        allowed = MAY_IMPORT.get(layer(module))
        if allowed is None:
            continue
        for target in sorted(targets):
            if layer(target) not in allowed | {layer(module)}:
                wrong.append(f"{module} imports {target}")
    return wrong


def test_the_package_has_no_import_cycle() -> None:
    graph, _ = imports(PACKAGE)
    assert len(graph) > 100  # the package was read, not an empty folder
    assert cycles(graph) == []


def test_each_layer_imports_only_the_layers_below_it() -> None:
    graph, _ = imports(PACKAGE)
    assert crossings(graph) == []


def test_the_rules_and_the_commands_never_import_aiohttp() -> None:
    _, outside = imports(PACKAGE)
    users = [
        m for m, used in sorted(outside.items()) if layer(m) in NO_AIOHTTP and "aiohttp" in used
    ]
    assert users == []
    assert "aiohttp" in outside["fake_meetings.api.app"]  # what the check reads is there


def test_the_checker_finds_a_cycle_and_a_layer_crossed(tmp_path: Path) -> None:
    """A package of its own: ``domain.a`` imports ``domain.b`` at import time, which imports
    it back (a cycle) and imports ``state.c`` (above it); an import under ``if TYPE_CHECKING:``
    and one inside a function count for neither."""
    root = tmp_path / "fake_meetings"
    files = {
        "__init__.py": "",
        "domain/__init__.py": "",
        "domain/a.py": "from . import b\n",
        "domain/b.py": "from .a import x\nfrom ..state import c\n",
        "domain/d.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..state import c\n"
            "def f():\n    from ..state import c\n"
        ),
        "state/__init__.py": "",
        "state/c.py": "import aiohttp\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    graph, outside = imports(root)
    assert cycles(graph) == [["fake_meetings.domain.a", "fake_meetings.domain.b"]]
    assert crossings(graph) == ["fake_meetings.domain.b imports fake_meetings.state.c"]
    assert graph["fake_meetings.domain.d"] == set()
    assert outside["fake_meetings.state.c"] == {"aiohttp"}
