"""The chapter notebooks under ``notebooks/``, checked before any kernel starts.

A notebook that is missing, unreadable, not UTF-8, not JSON, or JSON but not a notebook
is refused with one line naming the file and the fix: :class:`~planbook.errors.InputError`
(exit code 2) for a bad file, :class:`~planbook.errors.FileSystemError` (exit code 4)
for one that cannot be read. Every build checks the JSON shape (cheap); the notebooks
about to run are also checked against the notebook format's schema (nbformat).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planbook.engine.build.execute import skip_slow_imports
from planbook.errors import FileSystemError, InputError, quoted
from planbook.paths import display_path


def _restore(path: Path, root: Path) -> str:
    rel = display_path(path, root)
    return f"fix the file or restore it (git checkout -- {rel})"


def read_notebook(path: Path, root: Path) -> dict[str, Any]:
    """The JSON of the notebook at ``path``, with the shape of a notebook (v4).

    Raises :class:`InputError` (missing, not UTF-8, not JSON, not a notebook) or
    :class:`FileSystemError` (cannot be read), each naming the file and the fix.
    """
    name = display_path(path, root)
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "is missing"
        raise InputError(f"notebook {name} {what}; {_restore(path, root)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileSystemError.from_os_error(
            exc, "cannot read the notebook", root=root, after="nothing was run or changed"
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"notebook {name} is not UTF-8 text (byte {exc.start}); {_restore(path, root)}"
        ) from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise InputError(
            f"notebook {name} is not valid JSON ({exc}); {_restore(path, root)}"
        ) from None
    problem = _shape_problem(doc)
    if problem:
        raise InputError(
            f"notebook {name} is not a Jupyter notebook ({problem}); {_restore(path, root)}"
        )
    return doc


def _shape_problem(doc: Any) -> str:
    """What keeps ``doc`` from being a version 4 notebook, or ''."""
    if not isinstance(doc, dict):
        return f"its JSON is {type(doc).__name__ if doc is not None else 'null'}, not an object"
    if doc.get("nbformat") != 4:
        return f"nbformat is {quoted(doc.get('nbformat'), 20)}, expected 4"
    cells = doc.get("cells")
    if not isinstance(cells, list):
        return "it has no list of cells"
    if not isinstance(doc.get("metadata", {}), dict):
        return "its metadata is not an object"
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in {"code", "markdown", "raw"}:
            return f"cell {number} is not a code, markdown or raw cell"
        if not isinstance(cell.get("source", ""), (str, list)):
            return f"cell {number} has no text source"
        if not isinstance(cell.get("metadata", {}), dict):
            return f"the metadata of cell {number} is not an object"
    return ""


def _where(parts: list[Any]) -> str:
    """A place in a notebook as its author counts: ``cells/2/outputs`` is cell 3, outputs."""
    if len(parts) >= 2 and parts[0] == "cells" and isinstance(parts[1], int):
        rest = "/".join(str(p) for p in parts[2:])
        return f"cell {parts[1] + 1}" + (f", {rest}" if rest else "")
    return "/".join(str(p) for p in parts) or "the top level"


def validate_notebooks(paths: Iterable[Path], root: Path) -> None:
    """Check each notebook against the notebook format's schema (before it runs).

    Raises :class:`InputError` naming the first notebook that breaks it, where, and the fix.
    """
    paths = sorted(paths)
    if not paths:
        return
    skip_slow_imports()
    import nbformat

    for path in paths:
        doc = read_notebook(path, root)
        try:
            nb = nbformat.from_dict(doc)
            nbformat.validate(nb, version=4)
        except nbformat.ValidationError as exc:
            where = _where(list(exc.absolute_path))
            message = " ".join(str(exc.message).split())[:160]
            raise InputError(
                f"notebook {display_path(path, root)} is not a valid Jupyter notebook "
                f"(at {where}: {message}); {_restore(path, root)}"
            ) from None


__all__ = ["read_notebook", "validate_notebooks"]
