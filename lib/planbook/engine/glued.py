"""Read back the values a chapter glued, from its executed notebook.

A chapter hands its numbers to the page with myst-nb ``glue`` (see
:func:`planbook.page.glue.glue_all`): each becomes an output whose metadata names it
(``scrapbook.name``) and whose data holds it under an ``application/papermill.record/``
mime type. These functions read them back: ``planbook compare`` lines them up by
scenario, ``planbook sweep`` tabulates them by point, and tests check that a number
moves with its parameter.
"""

from __future__ import annotations

import ast
import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

RECORD = "application/papermill.record/"
"""Prefix of the mime types a glued value is stored under."""


def _value(data: Mapping[str, Any]) -> object:
    """One glued value from an output's ``data``: text glued as Markdown comes back as
    the string the chapter computed (the page's HTML escaping undone), anything else as
    the Python literal it was (a number, a flag) or, failing that, as its text."""
    markdown = data.get(f"{RECORD}text/markdown")
    if markdown is not None:
        return html.unescape("".join(markdown).strip())
    text = "".join(data.get(f"{RECORD}text/plain", ""))
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def glued_from_notebook(notebook: Mapping[str, Any]) -> dict[str, object]:
    """Every value a notebook glued, by name, in the order the cells glued them.

    Parameters
    ----------
    notebook
        An executed notebook as a plain dict (its JSON, parsed). A name glued twice
        keeps its last value, as the page shows it.
    """
    values: dict[str, object] = {}
    for cell in notebook.get("cells", []) or []:
        for output in cell.get("outputs", []) or []:
            meta = (output.get("metadata") or {}).get("scrapbook")
            if not isinstance(meta, dict) or "name" not in meta:
                continue
            values[str(meta["name"])] = _value(output.get("data") or {})
    return values


def glued_from_bytes(data: bytes) -> dict[str, object]:
    """:func:`glued_from_notebook` of a notebook's JSON bytes."""
    notebook = json.loads(data.decode("utf-8"))
    return glued_from_notebook(notebook if isinstance(notebook, dict) else {})


def glued_values(notebook: Path | str) -> dict[str, object]:
    """:func:`glued_from_notebook` of the executed notebook at ``notebook`` (a path)."""
    return glued_from_bytes(Path(notebook).read_bytes())


__all__ = ["RECORD", "glued_from_bytes", "glued_from_notebook", "glued_values"]
