"""Tables for the page: one styled view with formats, chosen columns and no index."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.page.escape import ESCAPE, styled
from planbook.page.glue import parameter_table

Format = str | Callable[[object], str]


def table(
    frame: pd.DataFrame,
    formats: Mapping[str, Format] | None = None,
    *,
    columns: Sequence[str] | None = None,
    digits: int | None = None,
    na_rep: str = "",
) -> Styler:
    """A table as the page shows it: chosen columns in order, no index, formatted cells.

    Text cells and column headers are HTML-escaped (data text never runs as markup).

    Parameters
    ----------
    frame
        The data; its index is dropped.
    formats
        Format per column (a ``str.format`` spec such as ``"{:.1f}"`` or a function).
    columns
        Columns to show, in this order (default: all).
    digits
        Decimal places for every float column that ``formats`` does not name.
    na_rep
        What a missing value reads as.
    """
    view = frame.loc[:, list(columns)] if columns is not None else frame
    view = view.reset_index(drop=True)
    spec: dict[str, Format] = {}
    if digits is not None:
        for name in view.columns:
            if pd.api.types.is_float_dtype(view[name]):
                spec[name] = f"{{:,.{digits}f}}"
    spec.update(formats or {})
    return styled(view).format(spec, na_rep=na_rep, escape=ESCAPE)


def parameters(params: object) -> Styler:
    """The parameter box: every parameter with its value, default, unit and description."""
    return styled(parameter_table(params))


__all__ = ["parameters", "table"]
