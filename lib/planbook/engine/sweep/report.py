"""The sweep's sensitivity page: one self-contained HTML file a user opens in a browser.

It holds what was swept, the largest effects as a table with readable labels, and a heat
map of the standardized effects (numbers by parameters) drawn with seaborn and embedded
as a PNG, so the page needs no other file. Every text from the sweep is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from planbook.engine.sweep.sensitivity import MAIN_EFFECT

TOP_EFFECTS = 20
"""Rows of the table of largest effects."""

HEATMAP_ROWS = 25
"""Numbers the heat map shows at most (those that move most)."""

_FIRST_WORDS = {"n": "number of", "p": "probability of"}
"""Abbreviations spelled out only as the first word (``n_checks``, ``p_2023``)."""

_WORDS = {
    "tv": "transaction volume",
    "fc": "forecast",
    "pct": "%",
    "pp": "points",
    "cagr": "CAGR",
    "b2c": "B2C",
    "gmv": "GMV",
    "mase": "MASE",
    "tol": "tolerance",
    "diff": "difference",
    "cum": "cumulative",
    "hist": "historical",
    "yoy": "year on year",
    "npv": "NPV",
    "roi": "ROI",
    "ltv": "LTV",
    "cac": "CAC",
}


def number_label(name: str) -> str:
    """A glued name for people: ``tv_fc_2023_median`` -> "Transaction volume forecast 2023
    median" (a few abbreviations spelled out, the first letter capitalized)."""
    words = [w for w in re.split(r"[_\s]+", name) if w]
    if not words:
        return name
    first = _FIRST_WORDS.get(words[0].lower()) if len(words) > 1 else None
    shown = [first or _WORDS.get(words[0].lower(), words[0])]
    shown += [_WORDS.get(w.lower(), w) for w in words[1:]]
    text = " ".join(shown).replace(" %", " (%)")
    return text[0].upper() + text[1:]


def _fmt(value: object, digits: int = 3) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return html.escape(str(value))
    if math.isnan(value):
        return "–"
    if value == 0:
        return "0"
    return html.escape(f"{value:,.{digits}g}" if abs(value) >= 1e-3 else f"{value:.2e}")


def _moving(effects: pd.DataFrame) -> pd.DataFrame:
    """The effects worth showing: a standardized value that is a number and not 0."""
    keep = effects["standardized"].notna() & (effects["standardized"].abs() > 0)
    return effects[keep]


def heatmap_png(
    effects: pd.DataFrame,
    param_labels: Mapping[str, str],
    title: str,
    rows: int = HEATMAP_ROWS,
) -> bytes | None:
    """The heat map of standardized effects (numbers by parameters) as PNG bytes, or None
    when no number moves. Drawn on a figure of its own (no pyplot state)."""
    import seaborn as sns
    from matplotlib.figure import Figure

    moving = _moving(effects)
    if moving.empty:
        return None
    grid = effects[effects["number"].isin(moving["number"])].pivot_table(
        index="number", columns="parameter", values="standardized", aggfunc="first"
    )
    order = grid.abs().max(axis=1).sort_values(ascending=False).index[:rows]
    grid = grid.loc[order, [p for p in param_labels if p in grid.columns]]
    grid.index = [number_label(n) for n in grid.index]
    grid.columns = [param_labels[p] for p in grid.columns]
    signed = bool((effects["method"] != MAIN_EFFECT).any())
    fig = Figure(
        figsize=(3.2 + 1.5 * grid.shape[1], 1.4 + 0.34 * grid.shape[0]), layout="constrained"
    )
    ax = fig.subplots()
    sns.heatmap(
        grid,
        ax=ax,
        cmap="vlag" if signed else "rocket_r",
        vmin=-1.0 if signed else 0.0,
        vmax=1.0,
        center=0.0 if signed else None,
        annot=grid.size <= 300,
        fmt=".2f",
        linewidths=0.5,
        cbar_kws={"label": "standardized effect"},
    )
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlabel("Parameter (unit)")
    ax.set_ylabel("Key number")
    ax.tick_params(axis="x", labelrotation=20)
    fig.text(0.01, 0.0, "Source: this sweep's table (planbook sweep)", fontsize=7, color="#555")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 62em; color: #222;
       line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { padding: 0.3em 0.7em; border-bottom: 1px solid #ddd; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f3f3f3; }
small, .key { color: #666; }
img { max-width: 100%; }
"""


def render_page(
    effects: pd.DataFrame,
    *,
    title: str,
    summary: Sequence[str],
    param_labels: Mapping[str, str],
    top: int = TOP_EFFECTS,
) -> str:
    """The sensitivity page as one HTML document (the heat map embedded as a PNG).

    Parameters
    ----------
    effects
        :func:`planbook.engine.sweep.sensitivity.sensitivity` of the sweep.
    title
        The page's heading.
    summary
        Sentences saying what was swept and where the table is (plain text, escaped here).
    param_labels
        A readable label of each swept parameter (name and unit), in the sweep's order.
    """
    moving = _moving(effects).head(top)
    method = MAIN_EFFECT if (effects["method"] == MAIN_EFFECT).all() else "regression"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        *(f"<p>{html.escape(line)}</p>" for line in summary),
        "<h2>Largest effects</h2>",
    ]
    if method == MAIN_EFFECT:
        parts.append(
            "<p>Effect: how far the number's mean moves between the parameter's levels "
            "(averaged over the other parameters), in the number's own unit. Standardized: "
            "that effect as a share of the number's whole range over the grid.</p>"
        )
    else:
        parts.append(
            "<p>Effect: how far a linear fit moves the number across the parameter's "
            "sampled range, in the number's own unit. Standardized: the standardized "
            "regression coefficient (OLS of the number on every swept parameter; about -1 "
            "to 1). R²: the share of the number's spread the fit explains; a low R² means "
            "the number does not move in a straight line.</p>"
        )
    if moving.empty:
        parts.append("<p>No key number moved over the points that ran.</p>")
    else:
        head = ["Key number", "Parameter", "Effect", "Standardized", "Number's range"]
        head += ["R²"] if method != MAIN_EFFECT else []
        parts.append("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
        parts.append("</thead><tbody>")
        for row in moving.itertuples(index=False):
            cells = [
                f"<td>{html.escape(number_label(row.number))} "
                f"<span class='key'>({html.escape(row.number)})</span></td>",
                f"<td>{html.escape(param_labels.get(row.parameter, row.parameter))}</td>",
                f"<td class='num'>{_fmt(row.effect)}</td>",
                f"<td class='num'>{_fmt(row.standardized, 2)}</td>",
                f"<td class='num'>{_fmt(row.spread)}</td>",
            ]
            if method != MAIN_EFFECT:
                cells.append(f"<td class='num'>{_fmt(row.r_squared, 2)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    png = heatmap_png(effects, param_labels, "Standardized effect of each parameter")
    if png is not None:
        data = base64.b64encode(png).decode("ascii")
        parts += [
            "<h2>Heat map</h2>",
            "<p>Each cell is the standardized effect of a parameter (column) on a key number "
            f"(row); the {HEATMAP_ROWS} numbers that move most are shown.</p>",
            f'<img src="data:image/png;base64,{data}" alt="Heat map of the standardized '
            'effect of each swept parameter on the key numbers that move most">',
        ]
    parts.append(
        "<p><small>Written by planbook sweep; every row of the effects is in the "
        "sensitivity CSV next to this page.</small></p></body></html>"
    )
    return "\n".join(parts) + "\n"


def sensitivity_paths(out: Path) -> tuple[Path, Path]:
    """Where the sensitivity of the table at ``out`` goes: ``<stem>.sensitivity.csv`` and
    ``<stem>.sensitivity.html`` beside it."""
    return (
        out.with_name(f"{out.stem}.sensitivity.csv"),
        out.with_name(f"{out.stem}.sensitivity.html"),
    )


def write_sensitivity(
    effects: pd.DataFrame,
    out: Path,
    *,
    title: str,
    summary: Sequence[str],
    param_labels: Mapping[str, str],
) -> tuple[Path, Path]:
    """Write the effects as CSV and the page as HTML beside the table at ``out``; return
    both paths."""
    csv_path, html_path = sensitivity_paths(out)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    for path, text in (
        (csv_path, effects.to_csv(index=False)),
        (html_path, render_page(effects, title=title, summary=summary, param_labels=param_labels)),
    ):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return csv_path, html_path


__all__ = [
    "HEATMAP_ROWS",
    "TOP_EFFECTS",
    "heatmap_png",
    "number_label",
    "render_page",
    "sensitivity_paths",
    "write_sensitivity",
]
