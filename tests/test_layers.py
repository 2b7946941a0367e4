"""The package's layer contract, module sizes and thin notebooks.

Imports go down only (see CONTRIBUTING.md): the foundation (``errors``, ``paths``,
``reads``, ``memo``) imports nothing of the package; ``data`` only the foundation; ``methods`` and
``engine`` only ``data`` and the foundation; ``chapters`` and ``page`` use ``methods``,
``data``, the engine's parameter schemas and the foundation, never each other; ``cli``
sits on top.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "lib" / "planbook"

ALLOWED: dict[str, set[str]] = {
    "foundation": set(),
    "data": {"foundation"},
    "methods": {"data", "foundation"},
    "engine": {"data", "foundation"},
    "chapters": {"methods", "data", "engine", "foundation"},
    "page": {"methods", "data", "engine", "foundation"},
    "cli": {"page", "chapters", "methods", "data", "engine", "foundation"},
}
MAX_LINES = 600
MAX_NOTEBOOK_CODE_LINES = 1800
MAX_CELL_LINES = 25
POSITIONAL = re.compile(r"\.(?:loc|iloc)\[\s*-?\d")


def layer_of(module: str) -> str:
    """The layer of a dotted module name under ``planbook``."""
    parts = module.split(".")
    if len(parts) == 1:
        return "foundation"  # the package itself
    head = parts[1]
    if head in {"errors", "paths", "reads", "memo"}:
        return "foundation"
    if head == "cli" or head.startswith("cli_"):  # cli_sweep: a command of the CLI
        return "cli"
    return head


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports_of(path: Path, module: str) -> set[str]:
    """Every ``planbook`` module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    typing_only = {  # imports under ``if TYPE_CHECKING:`` never run
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for stmt in block.body
        for n in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("planbook")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name.startswith("planbook"):
                found.add(name)
                found |= {f"{name}.{a.name}" for a in node.names}
    known = modules()
    return {m for m in found if m in known}


MODULES = modules()


def test_every_module_has_a_known_layer() -> None:
    unknown = {m for m in MODULES if layer_of(m) not in ALLOWED}
    assert not unknown, f"modules outside the layers: {sorted(unknown)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_only(module: str) -> None:
    mine = layer_of(module)
    wrong = sorted(
        f"{module} -> {target}"
        for target in imports_of(MODULES[module], module)
        if layer_of(target) != mine and layer_of(target) not in ALLOWED[mine]
    )
    assert not wrong, "imports against the layers: " + "; ".join(wrong)


def test_engine_imports_only_parameter_schemas_from_chapters_and_page() -> None:
    """Chapters and page may use the engine's parameter schemas, nothing else of it."""
    wrong = []
    for module, path in MODULES.items():
        if layer_of(module) in {"chapters", "page"}:
            for target in imports_of(path, module):
                if layer_of(target) == "engine" and not target.startswith(
                    ("planbook.engine.params", "planbook.engine.registry")
                ):
                    wrong.append(f"{module} -> {target}")
    assert not wrong, "; ".join(wrong)


def test_no_import_cycles() -> None:
    graph = {m: {t for t in imports_of(p, m) if t != m} for m, p in MODULES.items()}
    # a package's __init__ re-exporting its modules is not a cycle of meaning
    for m in graph:
        graph[m] = {t for t in graph[m] if not t.startswith(m + ".")}
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if seen.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module} has {n} lines; a module over {MAX_LINES} has two jobs"


def _code_cells(path: Path, *, parameters: bool = True) -> list[str]:
    """The source of a notebook's code cells (without the ``parameters`` cell if asked)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
        and (parameters or "parameters" not in c.get("metadata", {}).get("tags", []))
    ]


NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_notebooks_are_thin() -> None:
    total = sum(len(c.splitlines()) for nb in NOTEBOOKS for c in _code_cells(nb))
    assert total <= MAX_NOTEBOOK_CODE_LINES, f"notebooks hold {total} code lines"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_cells_are_short_and_look_up_by_name(notebook: Path) -> None:
    """Every cell but the ``parameters`` cell, which is generated from the schema (one line
    per parameter; chapter 5 has two per risk) and tested equal to it elsewhere."""
    for cell in _code_cells(notebook, parameters=False):
        n = len(cell.splitlines())
        assert n <= MAX_CELL_LINES, f"a code cell of {n} lines:\n{cell[:300]}"
        assert not POSITIONAL.search(cell), f"a positional look-up:\n{cell[:300]}"
