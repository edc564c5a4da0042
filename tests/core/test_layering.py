"""The house's layering, read from the source: apps depend downwards only, and no module-level import cycle.

Module-level imports are what Python runs at import time (imports inside functions and ``TYPE_CHECKING``
blocks are not), so a cycle among them is one that can break start-up depending on which module is imported
first.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# lower apps first; an app may import only apps before it. salesforecast (settings, URLs, the main job) wires the
# site and may import any app; demo (the attic) may import anything, and nothing imports demo.
ORDER = ["core", "webhooks", "branches", "sales", "integrations", "forecasting", "planning", "quality", "shopfloor",
         "monitoring", "dashboard", "legacy", "workbench"]
TOP = "salesforecast"
ATTIC = "demo"


def _modules() -> dict[str, Path]:
    found = {}
    for app in [*ORDER, TOP, ATTIC]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _runtime_imports(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" in ast.unparse(node.test):
                    visit(node.orelse)
                    continue
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.Import):
                out.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - (node.level - 1)] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                out.add(target)
                out.update(f"{target}.{alias.name}" for alias in node.names)

    visit(tree.body)
    return {name for name in out if name in known}


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _runtime_imports(path, name, known) for name, path in known.items()}


def _upwards(a: str, b: str) -> bool:
    if a == b or a == ATTIC:
        return False
    if b == ATTIC:
        return True  # production code never imports the attic
    if a == TOP:
        return False
    return b == TOP or ORDER.index(b) > ORDER.index(a)


def test_apps_import_only_the_apps_below_them():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if _upwards(module.split(".")[0], target.split(".")[0])
    )
    assert not wrong, "imports that point upwards:\n" + "\n".join(wrong)


def test_no_module_level_import_cycle():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            connect(v)
    assert not cycles, f"module-level import cycles: {cycles}"
