"""The data a chart draws, as a tidy table for the CSV link under it.

:func:`planbook.page.charts.show` puts a download link under every chart. Its data is the
frame a helper attached with :func:`attach` (for charts whose data is not in its lines and
bars: a heat map, a risk matrix, a dumbbell), else what :func:`drawn_data` reads back from
the figure: one row per drawn point, ``panel`` (only for several panels), ``series`` (the
legend entry), ``x`` and ``y``, categories written as their tick labels. The figure itself
is only read, so the chart's PNG does not change.
"""

from __future__ import annotations

import hashlib
import html
import re

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.category import UnitData
from matplotlib.collections import FillBetweenPolyCollection, PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedFormatter

from planbook.page.downloads import csv_text, link_html

ATTRIBUTE = "_planbook_data"
"""The figure attribute that holds attached data."""


def attach(fig: Figure, frame: pd.DataFrame) -> Figure:
    """Attach ``frame`` to ``fig`` as the data its CSV link offers; returns ``fig``."""
    setattr(fig, ATTRIBUTE, frame.reset_index(drop=True))
    return fig


def _label(artist: object, fallback: str) -> str:
    text = str(artist.get_label() or "")  # type: ignore[attr-defined]
    return fallback if not text or text.startswith("_") else text


def _category(axis: Axis, position: float) -> object:
    """A bar's or point's position as the category it stands for, when the axis has them."""
    units = axis.get_units()
    if isinstance(units, UnitData) and units._mapping:
        names = {v: k for k, v in units._mapping.items()}
        nearest = round(float(position))
        if abs(nearest - position) < 0.5 and nearest in names:
            return names[nearest]
    if isinstance(axis.get_major_formatter(), FixedFormatter):
        ticks = np.asarray(axis.get_ticklocs(), dtype=float)
        labels = [t.get_text().replace("\n", " ") for t in axis.get_ticklabels()]
        if len(ticks) and len(labels) == len(ticks):
            i = int(np.argmin(np.abs(ticks - position)))
            if abs(ticks[i] - position) < 0.5 and labels[i]:
                return labels[i]
    return float(position)


def _plain(values: object) -> list[object]:
    return [v.item() if isinstance(v, np.generic) else v for v in np.asarray(values).ravel()]


def _lines(ax: Axes) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, line in enumerate(ax.get_lines()):
        series = _label(line, f"line {i + 1}")
        x, y = _plain(line.get_xdata(orig=True)), _plain(line.get_ydata(orig=True))
        if not line.get_transform().contains_branch(ax.transData):
            # a reference line across the axes: one value, on the axis it marks
            if len(set(map(str, y))) == 1 and x == [0, 1]:
                x, y = [None], y[:1]
            elif len(set(map(str, x))) == 1 and y == [0, 1]:
                x, y = x[:1], [None]
            else:
                continue
        rows += [{"series": series, "x": a, "y": b} for a, b in zip(x, y, strict=False)]
    return rows


def _bars(ax: Axes) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, bars in enumerate(c for c in ax.containers if isinstance(c, BarContainer)):
        series = _label(bars, f"bars {i + 1}")
        for patch, value in zip(bars.patches, _plain(bars.datavalues), strict=False):
            if bars.orientation == "horizontal":
                where = _category(ax.yaxis, patch.get_y() + patch.get_height() / 2)
                rows.append({"series": series, "x": value, "y": where})
            else:
                where = _category(ax.xaxis, patch.get_x() + patch.get_width() / 2)
                rows.append({"series": series, "x": where, "y": value})
    in_bars = {id(p) for c in ax.containers if isinstance(c, BarContainer) for p in c.patches}
    for patch in ax.patches:  # a labelled span (axvspan, axhspan): its two edges
        if id(patch) in in_bars or not isinstance(patch, Rectangle) or _label(patch, "") == "":
            continue
        x0, y0 = patch.get_x(), patch.get_y()
        x1, y1 = x0 + patch.get_width(), y0 + patch.get_height()
        vertical = not patch.get_transform().contains_branch(ax.transData) and (y0, y1) == (0, 1)
        edges = [(x0, None), (x1, None)] if vertical else [(None, y0), (None, y1)]
        rows += [{"series": patch.get_label(), "x": a, "y": b} for a, b in edges]
    return rows


def _collections(ax: Axes) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, coll in enumerate(ax.collections):
        series = _label(coll, f"points {i + 1}")
        if isinstance(coll, FillBetweenPolyCollection):
            for path in coll.get_paths():
                v = path.vertices
                n = (len(v) - 3) // 2
                if n < 1:
                    continue
                for part, pts in (("lower", v[1 : n + 1]), ("upper", v[n + 2 : 2 * n + 2][::-1])):
                    rows += [
                        {"series": f"{_label(coll, 'band')} ({part})", "x": a, "y": b}
                        for a, b in _plain_pairs(pts)
                    ]
        elif isinstance(coll, PathCollection):
            for a, b in _plain_pairs(coll.get_offsets()):
                rows.append(
                    {"series": series, "x": _category(ax.xaxis, a), "y": _category(ax.yaxis, b)}
                )
    return rows


def _plain_pairs(points: object) -> list[tuple[float, float]]:
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    return [(float(a), float(b)) for a, b in array]


def drawn_data(fig: Figure) -> pd.DataFrame:
    """Every line, bar, point and band of ``fig`` as rows ``(panel, series, x, y)``;
    ``panel`` (the panel's title) only when more than one panel holds data."""
    frames = []
    for ax in fig.get_axes():
        rows = _lines(ax) + _bars(ax) + _collections(ax)
        if rows:
            frame = pd.DataFrame(rows, columns=["series", "x", "y"], dtype=object)
            frame.insert(0, "panel", ax.get_title(loc="left") or ax.get_title())
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["series", "x", "y"])
    data = pd.concat(frames, ignore_index=True)
    return data.drop(columns="panel") if len(frames) == 1 else data


def chart_data(fig: Figure) -> pd.DataFrame:
    """The data of ``fig``'s CSV link: what was attached, else what it draws."""
    attached = getattr(fig, ATTRIBUTE, None)
    return attached if isinstance(attached, pd.DataFrame) else drawn_data(fig)


def chart_title(fig: Figure) -> str:
    """The figure's title, else its first panel's."""
    if fig.get_suptitle():
        return str(fig.get_suptitle())
    return next((ax.get_title(loc="left") or ax.get_title() for ax in fig.get_axes()), "")


def chart_filename(fig: Figure, frame: pd.DataFrame) -> str:
    """``chart-<title words>.csv``, else ``chart-<hash of the data>.csv``."""
    words = re.findall(r"[A-Za-z0-9]+", html.unescape(chart_title(fig)).lower())
    stem = "-".join(words)[:60].strip("-")
    if not stem:
        stem = hashlib.sha256(csv_text(frame).encode("utf-8")).hexdigest()[:8]
    return f"chart-{stem}.csv"


def chart_link_html(fig: Figure) -> str | None:
    """The HTML of the link to ``fig``'s data (``None`` when it draws no data)."""
    frame = chart_data(fig)
    if frame.empty:
        return None
    return link_html(frame, chart_filename(fig, frame), "Download the chart's data")


__all__ = ["attach", "chart_data", "chart_filename", "chart_link_html", "drawn_data"]
