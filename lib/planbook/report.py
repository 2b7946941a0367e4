"""Hand computed values to the page: myst-nb glue, parameter tables and key numbers."""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import pandas as pd

from planbook.params import ChapterParams


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
    """Glue numbers (``{glue:text}`key:.1f```) and text (``{glue:md}`key```) for the page."""
    from IPython.display import Markdown
    from myst_nb import glue

    for key, value in values.items():
        value = plain(value)
        if isinstance(value, str):
            glue(key, Markdown(value), display=False)
        else:
            glue(key, value, display=False)


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


__all__ = ["glue_all", "key_numbers", "parameter_table", "plain"]
