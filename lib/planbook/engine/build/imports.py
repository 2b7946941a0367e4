"""The package modules a notebook imports, directly or through other modules, found statically.

A chapter's execution key covers the modules of ``lib/planbook`` its notebook imports
transitively, and no others. The set is read from the source with :mod:`ast`, never by
importing anything:

- ``import a.b`` loads ``a`` and ``a.b``; ``from a.b import c`` loads ``a``, ``a.b`` and,
  when ``c`` is a submodule, ``a.b.c``; relative imports are resolved against the
  importing module's package;
- every import statement counts wherever it stands: at the top, inside a function, a
  ``try`` or an ``if TYPE_CHECKING:`` block (an import that may not run is still
  covered: over-approximation costs a re-run, never a stale page);
- every parent package of a module (its ``__init__.py``) is part of the set, since
  importing the module runs it;
- a module or cell that does not parse counts as importing every module.

The functions are pure: :func:`module_files` lists the package, :func:`import_graph`
parses each module reachable from some roots once, :func:`closure` follows the graph
(cycles included). A build computes the graph once and passes it on.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from planbook.engine.build.files import SKIP_PARTS

PACKAGE = "planbook"
"""The package whose modules count (third-party packages are covered by the lock file)."""

_MAGIC = re.compile(r"^\s*[%!]")
"""An IPython line magic or shell escape: not Python, skipped when a cell is parsed."""


def module_files(lib: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package in ``lib`` (the package's folder): dotted name -> file.

    A package's file is its ``__init__.py``; caches are skipped.
    """
    out: dict[str, Path] = {}
    if not lib.is_dir():
        return out
    for path in sorted(lib.rglob("*.py")):
        rel = path.relative_to(lib)
        if SKIP_PARTS.intersection(rel.parts):
            continue
        parts = [package, *rel.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        if all(p.isidentifier() for p in parts):
            out[".".join(parts)] = path
    return out


def with_parents(name: str) -> list[str]:
    """``"a.b.c"`` -> ``["a", "a.b", "a.b.c"]``: what importing ``a.b.c`` runs."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _base_of(node: ast.ImportFrom, module: str | None, is_package: bool) -> str | None:
    """The absolute module a ``from ... import`` names, or None if it cannot be resolved."""
    if not node.level:
        return node.module
    if module is None:
        return None  # a relative import outside a package (a notebook cell)
    package = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 > len(package) - 1:
        return None  # beyond the top-level package
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module] if node.module else package)


def imported_names(tree: ast.AST, module: str | None = None, is_package: bool = False) -> set[str]:
    """Every dotted name an import statement anywhere in ``tree`` may load.

    ``module`` is the dotted name of the code's module (None for a notebook cell) and
    ``is_package`` whether it is a package's ``__init__``; they resolve relative imports.
    For ``from a import b`` both ``a`` and ``a.b`` are named (``b`` may be a submodule).
    """
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _base_of(node, module, is_package)
            if base:
                names.add(base)
                names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
    return names


def known_imports(names: Iterable[str], known: Collection[str]) -> frozenset[str]:
    """The modules of ``known`` that importing ``names`` runs (parent packages included)."""
    return frozenset(m for name in names for m in with_parents(name) if m in known)


def parse_cell(source: str) -> ast.AST | None:
    """A notebook code cell as an AST (IPython magics and shell lines skipped), or None."""
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    lines = ["pass" if _MAGIC.match(line) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def direct_imports(
    source: str, module: str | None, is_package: bool, known: Collection[str]
) -> frozenset[str]:
    """The modules of ``known`` that running ``source`` may import directly.

    ``source`` is a module's text (``module`` its dotted name) or a notebook cell
    (``module`` None). Code that does not parse may import anything: every module.
    """
    tree = parse_cell(source) if module is None else _parse(source)
    if tree is None:
        return frozenset(known)
    return known_imports(imported_names(tree, module, is_package), known) - {module}


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def code_cells(notebook: Mapping[str, Any]) -> list[str]:
    """The sources of a notebook's code cells (the JSON of a v4 notebook)."""
    out = []
    for cell in notebook.get("cells", []):
        if isinstance(cell, Mapping) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            out.append("".join(source) if isinstance(source, list) else str(source))
    return out


def notebook_imports(
    notebook: Mapping[str, Any],
    known: Collection[str],
    parsed: dict[str, list[str]] | None = None,
) -> frozenset[str]:
    """The modules of ``known`` that a notebook's code cells import directly
    (``parsed``: see :func:`import_graph`)."""
    parsed = {} if parsed is None else parsed
    digest = known_digest(known)
    found: set[str] = set()
    for source in code_cells(notebook):
        key = parse_key(source, "", False, digest)
        if key not in parsed:
            parsed[key] = sorted(direct_imports(source, None, False, known))
        found |= set(parsed[key])
    return frozenset(found)


def import_graph(
    modules: Mapping[str, Path],
    roots: Iterable[str],
    sources: Mapping[str, str] | None = None,
    parsed: dict[str, list[str]] | None = None,
) -> dict[str, frozenset[str]]:
    """Direct imports of every module reachable from ``roots``, each module parsed once.

    Parameters
    ----------
    modules
        Dotted name -> file, from :func:`module_files`.
    roots
        Where to start (the modules notebooks import); unknown names are ignored.
    sources
        Text of some modules by name, instead of reading their files (tests).
    parsed
        Earlier results by :func:`parse_key` (read and extended here): a module whose
        text, name and known modules are unchanged is not parsed again.
    """
    sources = sources or {}
    parsed = {} if parsed is None else parsed
    known = known_digest(modules)
    graph: dict[str, frozenset[str]] = {}
    todo = [m for m in roots if m in modules]
    while todo:
        name = todo.pop()
        if name in graph:
            continue
        path = modules[name]
        try:
            text = sources[name] if name in sources else path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = "\0"  # not Python: counts as importing every module
        is_package = path.name == "__init__.py"
        key = parse_key(text, name, is_package, known)
        if key not in parsed:
            parsed[key] = sorted(direct_imports(text, name, is_package, modules))
        graph[name] = frozenset(parsed[key])
        todo.extend(m for m in graph[name] if m not in graph)
    return graph


def known_digest(modules: Collection[str]) -> str:
    """sha256 of the sorted names of the package's modules."""
    return hashlib.sha256("\n".join(sorted(modules)).encode()).hexdigest()


def parse_key(text: str, module: str, is_package: bool, known: str) -> str:
    """What :func:`direct_imports` of one module depends on, as one sha256: its text, its
    name, whether it is a package and the modules known (:func:`known_digest`)."""
    payload = "\0".join((text, module, str(is_package), known))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def closure(roots: Iterable[str], graph: Mapping[str, Collection[str]]) -> frozenset[str]:
    """``roots`` and every module they import through ``graph``, however indirectly."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(graph.get(name, ()))
    return frozenset(seen)


__all__ = [
    "PACKAGE",
    "closure",
    "known_digest",
    "parse_key",
    "code_cells",
    "direct_imports",
    "import_graph",
    "imported_names",
    "known_imports",
    "module_files",
    "notebook_imports",
    "parse_cell",
    "with_parents",
]
