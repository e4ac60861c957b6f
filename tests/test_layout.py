"""The layout of the code: imports go down the layers of the data path, and never in a loop.

Layers, top to bottom: `newsflow` (the CLI) → `flows` (Prefect) → `runtime` (settings, server,
workers, parse-ahead) → `expectations` → `warehouse` → `transforms` (pure DataFrame logic). A
module may import its own package and any layer below; imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["newsflow", "flows", "runtime", "expectations", "warehouse", "transforms"]


def _modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports (`from package import module` counts as the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {target for target in out if target in MODULES and target != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in GRAPH:
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_project():
    assert {"flows.ingest", "runtime.settings", "transforms.temporal.resolve"} <= set(MODULES)
    assert "transforms.temporal.vocab" in GRAPH["transforms.temporal.dates"]


def test_no_import_loop():
    assert _cycles() == []


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_go_down_the_layers(layer):
    allowed = set(LAYERS[LAYERS.index(layer) :])
    upward = sorted(
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if name.split(".")[0] == layer
        for target in targets
        if target.split(".")[0] not in allowed
    )
    assert upward == []


def test_transform_columns_are_the_table_contract():
    """Transforms name the columns they produce; the warehouse schemas hold the same names."""
    from transforms.discrepancies import DISCREPANCY_COLUMNS
    from transforms.temporal import COLUMNS as TIMEX_COLUMNS
    from warehouse import schemas

    assert schemas.DISCREPANCIES.names == DISCREPANCY_COLUMNS
    assert schemas.TIMEXES.names == TIMEX_COLUMNS
