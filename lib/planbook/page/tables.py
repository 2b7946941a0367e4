"""Tables for the page: one helper that labels, orders, formats and folds a table.

:func:`table` shows a frame the way a reader wants it: English headers and names
(:mod:`planbook.page.labels`), the plan's values in the book's units (billion yuan, not
hundred million yuan), numbers formatted by their unit, key columns first, notes as
footnotes under the table, failures shown and the checks that hold folded under their
count, and long tables folded under their row count. :func:`parameters` is the page's
collapsed box of parameters, each value written by its type and unit.
"""

from __future__ import annotations

import copy
import html
import math
import re
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.page.escape import ESCAPE, header
from planbook.page.glue import parameter_table
from planbook.page.labels import VALUE_COLUMNS, column_factor, in_unit, label, number, unit

Format = str | Callable[[object], str]

LONG = 15
"""A table with more rows than this is folded (its caption says how many)."""

KEY_COLUMNS = (
    "value",
    "unit",
    "verdict",
    "probability",
    "p_meet_end",
    "p_meet_rate",
    "required_rate_pct",
    "required_growth_pct",
)
"""Columns moved next to the first (identifying) column, in this order."""

NOTE_COLUMNS = ("note", "notes")
"""Columns shown as numbered footnotes under the table."""

HOLDS = ("consistent", "within rounding")
"""Verdicts of checks that hold: folded under their count when others fail."""

VALUED = ("value", "other_value")
"""Columns in the row's ``unit`` (converted with it to the book's unit)."""

CHECK_VALUED = ("stated", "recomputed", "difference", "tolerance", "plan", "official")
"""Numeric columns in the row's ``unit`` when the table has no ``value`` (a table of
checks; the plan beside official statistics): scaled by the unit's factor (亿元 to
billion yuan, 亿人 to million people) as the unit's label says."""

STYLES = [
    {"selector": "", "props": "font-size: 0.88em; max-width: 100%; border-collapse: collapse;"},
    {"selector": "th", "props": "text-align: left; vertical-align: bottom; padding: 0.2em 0.5em;"},
    {
        "selector": "td",
        "props": "vertical-align: top; padding: 0.15em 0.5em; overflow-wrap: anywhere;",
    },
    {"selector": "caption", "props": "caption-side: bottom; text-align: left; font-size: 0.9em;"},
]


class Table(Styler):
    """A styled table that folds itself on the page: failures first and the rows that
    hold under their count (tables with a ``verdict``), long tables under their size."""

    fold_holds: bool = True
    noun: str = "rows"

    def _repr_html_(self) -> str:  # noqa: D105 (Jupyter's display hook)
        verdicts = self.data["verdict"] if "verdict" in self.data.columns else None
        hold = verdicts.isin(HOLDS) if verdicts is not None else None
        if self.fold_holds and hold is not None and hold.any() and not hold.all():
            shown = copy.deepcopy(self).hide(subset=list(self.data.index[hold]), axis="index")
            held = copy.deepcopy(self).hide(subset=list(self.data.index[~hold]), axis="index")
            n = int(hold.sum())
            return fold(shown.to_html(), None) + fold(
                held.to_html(), f"{n} {'check holds' if n == 1 else 'checks hold'}: show them"
            )
        n = len(self.data)
        summary = f"Show the table ({n:,} {self.noun})" if n > LONG else None
        return fold(self.to_html(), summary)


NARROW = (
    "<style>@media (max-width: 720px) {table.planbook-table {display: block; "
    "overflow-x: auto; max-width: 100%; font-size: 0.8em;}}</style>"
)
"""On a phone a table is its own scroll box (the page itself never scrolls sideways)."""


def fold(body: str, summary: str | None) -> str:
    """``body`` as it is, or folded in a ``<details>`` block under ``summary``."""
    body = NARROW + body
    if summary is None:
        return body
    return (
        f'<details class="planbook-fold"><summary>{html.escape(summary)}</summary>\n'
        f"{body}\n</details>"
    )


def _year_like(name: str, values: pd.Series) -> bool:
    numeric = pd.to_numeric(values, errors="coerce").dropna()
    named = bool(re.search(r"(^|_)(year|period|deadline_year|start|end)($|_)", name))
    return named and not numeric.empty and bool(numeric.between(1900, 2200).all())


def _default_format(name: str, values: pd.Series) -> Callable[[object], str] | None:
    """The format of a numeric column nobody formatted: by its name's unit."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if _year_like(name, values):
        return lambda x: "" if _missing(x) else f"{float(x):.0f}"
    decimals = 1 if name.endswith("_pct") else 2
    return lambda x: "" if _missing(x) else number(float(x), decimals)


def _safe(spec: Format) -> Format:
    """``spec``, or for a ``g`` spec one that never writes scientific notation (a number
    it would write as ``1.058e+04`` is written ``10,580`` instead)."""
    if not isinstance(spec, str) or not spec.endswith("g}"):
        return spec

    def written(x: object) -> str:
        if _missing(x):
            return ""
        text = spec.format(x)
        return number(float(x), 2) if "e" in text.lower() else text  # type: ignore[arg-type]

    return written


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def in_book_units(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its names labelled and its values in the book's units: cells of
    ``metric``, ``unit``, ``rule`` and ``kind`` columns under their labels, ``value``
    (and ``other_value``) in the row's ``unit`` converted and written by the unit's
    format, columns with a factor in the label table scaled."""
    view = frame.copy()
    if "unit" in view.columns:
        units = view["unit"].copy()
        for col in (c for c in VALUED if c in view.columns):
            pairs = [in_unit(v, u) for v, u in zip(view[col], units, strict=True)]
            view[col] = [text for text, _ in pairs]
            if col == "value":
                view["unit"] = [u for _, u in pairs]
        if "value" not in view.columns:
            view = _scaled_checks(view)
    for col, kind in VALUE_COLUMNS.items():
        if col in view.columns and not (col == "unit" and "value" in view.columns):
            view[col] = [v if _missing(v) else label(kind, v) for v in view[col]]
    for col in view.columns:
        factor = column_factor(col)
        if factor != 1.0 and pd.api.types.is_numeric_dtype(view[col]):
            view[col] = view[col] * factor
    return view


def _scaled_checks(view: pd.DataFrame) -> pd.DataFrame:
    """The :data:`CHECK_VALUED` columns of ``view`` multiplied, row by row, by the factor of
    the row's unit whose label names a scale (``100m_yuan``: 0.1, shown as billion yuan)."""

    def factor(name: object) -> float:
        if not isinstance(name, str):
            return 1.0
        shown = unit(name)
        return shown.factor if shown.format in ("money", "number") else 1.0

    factors = [factor(u) for u in view["unit"]]
    for col in (c for c in CHECK_VALUED if c in view.columns):
        if pd.api.types.is_numeric_dtype(view[col]) and any(f != 1.0 for f in factors):
            view[col] = view[col].astype(float) * factors
    return view


def _ordered(columns: Sequence[str]) -> list[str]:
    cols = list(columns)
    if not cols:
        return cols
    keys = [c for c in KEY_COLUMNS if c in cols[1:]]
    return [cols[0], *keys, *(c for c in cols[1:] if c not in keys)]


def _footnotes(view: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The note columns replaced by a footnote number, and the notes in order."""
    notes: list[str] = []
    for col in (c for c in NOTE_COLUMNS if c in view.columns):
        marks = []
        for text in view[col]:
            if _missing(text) or not str(text).strip():
                marks.append("")
                continue
            notes.append(str(text).strip())
            marks.append(str(len(notes)))
        view = view.drop(columns=col).assign(**{col: marks})
    return view, notes


def table(
    frame: pd.DataFrame,
    formats: Mapping[str, Format] | None = None,
    *,
    columns: Sequence[str] | None = None,
    digits: int | None = None,
    na_rep: str = "",
    caption: str | None = None,
    noun: str = "rows",
    units: Mapping[str, str] | None = None,
) -> Table:
    """A table as the page shows it: labelled, in the book's units, formatted, folded.

    Text cells, column headers, captions and footnotes are HTML-escaped (data text never
    runs as markup).

    Parameters
    ----------
    frame
        The data; its index is dropped.
    formats
        Format per column (a ``str.format`` spec such as ``"{:.1f}"`` or a function);
        columns converted to the book's units (``value`` beside a ``unit``) keep theirs.
    columns
        Columns to show (default: all); the key columns (:data:`KEY_COLUMNS`) come right
        after the first, notes become footnotes.
    digits
        Decimal places for every float column that ``formats`` does not name (default:
        at most two, by the column's unit; years without separators).
    na_rep
        What a missing value reads as.
    caption
        A caption, shown under the table above its footnotes.
    noun
        What a row is, in the folded table's summary (``"claims"``).
    units
        The plan's unit of numeric columns that carry none of their own
        (``{"spending": "100m_yuan"}``): shown in the book's unit (billion yuan), which
        their header names.
    """
    view = frame.loc[:, list(columns)] if columns is not None else frame
    view = in_book_units(view.reset_index(drop=True))
    suffix: dict[str, str] = {}
    for col, plan_unit in (units or {}).items():
        if col in view.columns:
            shown = unit(plan_unit)
            view[col] = view[col] * shown.factor
            suffix[str(col)] = f" ({shown.label})" if shown.label else ""
    view, notes = _footnotes(view.loc[:, _ordered(view.columns)])
    converted = {c for c in VALUED if c in view.columns and "unit" in view.columns}
    spec: dict[str, Format] = {}
    for name in view.columns:
        auto = _default_format(str(name), view[name])
        if digits is not None and pd.api.types.is_float_dtype(view[name]):
            spec[name] = f"{{:,.{digits}f}}"
        elif auto is not None:
            spec[name] = auto
    spec.update({k: _safe(v) for k, v in (formats or {}).items() if k in view.columns})
    for name in converted:
        spec.pop(name, None)
    styler = Table(view)
    styler.noun = noun
    styler = styler.hide(axis="index").format(escape=ESCAPE, na_rep=na_rep)
    styler = styler.format(spec, na_rep=na_rep, escape=ESCAPE).format_index(
        lambda name: header(name) + suffix.get(str(name), ""), axis=1
    )
    styler = styler.set_table_styles(STYLES).set_table_attributes('class="planbook-table"')
    numeric = [c for c in view.columns if pd.api.types.is_numeric_dtype(view[c])]
    if numeric:
        styler = styler.set_properties(
            subset=numeric, **{"text-align": "right", "white-space": "nowrap"}
        )
    lines = [html.escape(caption)] if caption else []
    lines += [f"<sup>{i}</sup> {html.escape(text)}" for i, text in enumerate(notes, start=1)]
    return styler.set_caption("<br>".join(lines)) if lines else styler


def parameter_value(value: object, unit: str) -> str:
    """A parameter's value written by its type and unit: ``0.9`` (fraction) as ``90%``,
    ``200000`` draws as ``200,000``, a seed or a year as ``2024``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, int | float):
        return str(value)
    if unit == "fraction":
        return f"{number(float(value) * 100, 1)}%"
    if unit in ("seed", "year", "plan year"):
        return f"{float(value):.0f}"
    if unit.startswith("percent"):
        return f"{number(float(value), 2)}%" if unit == "percent" else number(float(value), 2)
    return number(float(value), 4)


def parameters(params: object) -> Table:
    """The parameter box, folded: every parameter with its value (marked when it differs
    from the default), unit and description."""
    frame = parameter_table(params)  # type: ignore[arg-type]
    changed = frame["value"] != frame["default"]
    units = frame["unit"].fillna("").astype(str)
    shown = pd.DataFrame(
        {
            "parameter": frame["parameter"],
            "value": [
                parameter_value(v, u) + (" (changed)" if c else "")
                for v, u, c in zip(frame["value"], units, changed, strict=True)
            ],
            "default": [
                parameter_value(v, u) for v, u in zip(frame["default"], units, strict=True)
            ],
            "unit": [u if u not in ("fraction",) else "share" for u in units],
            "description": frame["description"],
        }
    )
    styler = Parameters(shown).hide(axis="index").format(escape=ESCAPE, na_rep="")
    styler.changed = int(changed.sum())
    styler = styler.format_index(header, axis=1).set_table_styles(STYLES)
    return styler.set_table_attributes('class="planbook-table"')


class Parameters(Styler):
    """The parameter table, always folded under its count."""

    changed: int = 0

    def _repr_html_(self) -> str:  # noqa: D105 (Jupyter's display hook)
        n = len(self.data)
        changed = f"; {self.changed} changed from the default" if self.changed else ""
        return fold(self.to_html(), f"Parameters of this page ({n}{changed}): show them")


__all__ = ["KEY_COLUMNS", "LONG", "Parameters", "Table", "in_book_units", "parameters", "table"]
