"""Hand computed values to the page: myst-nb glue, parameter tables and key numbers.

Reading glued values back from an executed notebook is the engine's job
(:mod:`planbook.engine.glued`).
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Mapping

import pandas as pd

from planbook.data.amounts import words_of
from planbook.engine.params import ChapterParams
from planbook.page.escape import html_text


def plain(value: object) -> object:
    """A numpy scalar as a Python float or int (TOOLCHAIN 7); other values unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def glue_all(values: Mapping[str, object]) -> None:
    """Glue numbers (``{glue:text}`key:.1f```) and text (``{glue:md}`key```) for the page.

    Text is glued as Markdown with ``&``, ``<`` and ``>`` escaped: the book's own Markdown
    (emphasis, lists) keeps working, while a tag in the data (a claim's note quoted in a
    finding) reads as text instead of reaching the page as HTML.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    for key, value in values.items():
        value = plain(value)
        if isinstance(value, str):
            glue(key, Markdown(html_text(value)), display=False)
        else:
            glue(key, value, display=False)


def scalars(result: object) -> dict[str, object]:
    """The scalar fields of a chapter result (numbers, text, flags), by field name.

    Tables, series and nested objects are left out: a page shows those with the table and
    chart helpers. Fields whose value is ``None`` are left out too (nothing to glue).

    Parameters
    ----------
    result
        A dataclass instance, a pydantic model or a mapping of names to values.
    """
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        items = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    elif hasattr(result, "model_dump"):
        items = {name: getattr(result, name) for name in type(result).model_fields}
    elif isinstance(result, Mapping):
        items = dict(result)
    else:
        raise TypeError(f"cannot glue a {type(result).__name__}: give a dataclass or mapping")
    return {
        k: plain(v)
        for k, v in items.items()
        if isinstance(plain(v), (bool, int, float, str)) and not k.startswith("_")
    }


def glue_result(*results: object, amounts: Mapping[str, str] | None = None) -> None:
    """Glue every scalar field of one or more chapter results under its field name.

    The page refers to them as ``{glue:text}`name:.1f``` (numbers) or
    ``{glue:md}`name``` (text). See :func:`scalars` for what counts as a scalar.
    ``amounts`` (a chapter's ``AMOUNTS``: field name to the plan's unit) also glues
    ``<name>_words``, each amount in English scales (:func:`planbook.data.amounts.words_of`).
    """
    for result in results:
        glue_all(scalars(result))
    if amounts:
        glue_all(words_of(amounts, *results))


def parameter_table(params: ChapterParams) -> pd.DataFrame:
    """The parameters a page was computed with: name, value, unit and description."""
    fields = type(params).model_fields
    rows = []
    for name, info in fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        rows.append(
            {
                "parameter": name,
                "value": getattr(params, name),
                "default": info.default,
                "unit": extra.get("unit", ""),
                "description": info.description,
            }
        )
    return pd.DataFrame(rows)


def key_numbers(values: Mapping[str, object], digits: int = 6) -> pd.DataFrame:
    """A stable text table of a chapter's key numbers (checked by nbval on re-execution)."""
    rows = []
    for key, value in values.items():
        value = plain(value)
        shown = f"{value:.{digits}g}" if isinstance(value, float) else str(value)
        rows.append({"key": key, "value": shown})
    return pd.DataFrame(rows)


__all__ = [
    "glue_all",
    "glue_result",
    "key_numbers",
    "parameter_table",
    "plain",
    "scalars",
]
