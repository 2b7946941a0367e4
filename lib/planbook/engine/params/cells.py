"""The notebooks' ``parameters`` cells, written from the schemas.

A chapter notebook's cell tagged ``parameters`` assigns every parameter its default (the
runner injects other values after it). :func:`parameters_cell` gives that cell's source
from the chapter's schema and :func:`write_parameters_cell` puts it into the notebook, so
nobody writes one by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planbook.engine.params.describe import defaults
from planbook.engine.registry import Chapter, get_chapter
from planbook.errors import InputError
from planbook.paths import display_path

LINE_LENGTH = 100
"""Longest line of a generated cell (the project's line length)."""

TAG = "parameters"


def literal(value: Any) -> str:
    """Python source for a default (text in double quotes, lists as lists)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(value)


def _assignment(name: str, value: Any) -> str:
    line = f"{name} = {literal(value)}"
    if len(line) <= LINE_LENGTH or not isinstance(value, list | tuple):
        return line
    items = "".join(f"    {literal(v)},\n" for v in value)
    return f"{name} = [\n{items}]"


def parameters_cell(chapter: Chapter | str) -> str:
    """The source of a chapter notebook's ``parameters`` cell, from its schema.

    A comment line, then ``name = default`` for every field in the schema's order
    (values as in :func:`~planbook.engine.params.describe.defaults`).
    """
    ch = chapter if isinstance(chapter, Chapter) else get_chapter(chapter)
    lines = [
        f"# Parameters: defaults here; `planbook run {ch.slug} --set name=value` overrides them."
    ]
    lines += [_assignment(name, value) for name, value in defaults(ch).items()]
    return "\n".join(lines)


def write_parameters_cell(notebook: Path, chapter: Chapter | str) -> bool:
    """Rewrite the notebook's cell tagged ``parameters`` from the chapter's schema.

    Everything else in the file is kept byte for byte.

    Returns
    -------
    bool
        True when the cell changed (and the file was written), False when it was current.

    Raises
    ------
    InputError
        When the notebook is unreadable or has not exactly one cell tagged ``parameters``.
    """
    shown = display_path(notebook)
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{shown}: cannot be read as a notebook ({exc})") from None
    cells = [c for c in nb.get("cells", []) if TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise InputError(
            f"{shown}: {len(cells)} cells tagged {TAG!r}; tag exactly one code cell "
            "(the parameters cell) and run this again"
        )
    source = parameters_cell(chapter).splitlines(keepends=True)
    if cells[0].get("source") == source:
        return False
    cells[0]["source"] = source
    text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    notebook.write_text(text, encoding="utf-8")
    return True


__all__ = ["LINE_LENGTH", "literal", "parameters_cell", "write_parameters_cell"]
