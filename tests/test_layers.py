"""The package's imports point one way: no cycle, and no lower layer importing a higher one.

Layers, lowest first (issue 11): the core values (spans, the model, findings) -> loaders ->
the rule language -> engine -> suppressions, grading and configuration -> reporters and
writers -> api -> cli and service. Imports inside functions and under ``TYPE_CHECKING``
count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kinerjalint"

# First matching prefix wins; a module's layer may import only its own layer and lower ones.
LAYERS: list[tuple[int, tuple[str, ...]]] = [
    # writers.atomic is a leaf (it imports only errors): fixing and the baseline write through it too
    (0, ("version", "bilingual", "messages", "span", "model", "levels", "errors", "resources", "findings", "tree", "government",
         "writers.atomic")),
    (1, ("loaders",)),
    (2, ("dsl", "rulebook", "ruledocs")),
    (3, ("engine", "examples")),
    (4, ("suppress", "grading", "config", "configmodel", "fixing", "diffing", "results")),
    (5, ("reporters", "reporting", "writers")),
    (6, ("api",)),
    (7, ("cli", "service", "__main__", "")),
]


@cache
def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                mod = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "kinerjalint" or node.module.startswith("kinerjalint.")):
                mod = node.module.removeprefix("kinerjalint").lstrip(".")
            else:
                continue
            targets = [f"{mod}.{a.name}".lstrip(".") for a in node.names]
            targets = [t if t in modules else mod for t in targets]
        elif isinstance(node, ast.Import):
            targets = [a.name.removeprefix("kinerjalint").lstrip(".") for a in node.names
                       if a.name == "kinerjalint" or a.name.startswith("kinerjalint.")]
        found.update(t for t in targets if t != name and t in modules)
    return found


def _layer(name: str) -> int:
    for rank, prefixes in LAYERS:
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + ".") or prefix == "":
                return rank
    raise AssertionError(name)


@cache
def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    colour: dict[str, int] = defaultdict(int)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if colour[nxt] == 1:
                return stack[stack.index(nxt):] + [nxt]
            if colour[nxt] == 0 and (found := visit(nxt)):
                return found
        stack.pop()
        colour[node] = 2
        return None

    for node in sorted(graph):
        if colour[node] == 0 and (found := visit(node)):
            return found
    return None


def test_graph_sees_imports() -> None:
    graph = _graph()
    assert "dsl.registry" in graph["dsl.functions.names"]
    assert "api" in graph["cli"]  # a lazy, function-level import


def test_no_import_cycle() -> None:
    graph = _graph()
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("name", sorted(_modules()))
def test_layers_point_down(name: str) -> None:
    graph = _graph()
    upward = sorted(dep for dep in graph[name] if _layer(dep) > _layer(name))
    assert not upward, f"{name} (layer {_layer(name)}) imports a higher layer: {upward}"
