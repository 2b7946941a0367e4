"""One theme, palette and figure helper for every chart of the book.

Every chart has a title, axis labels with units and a source line; :func:`figure` and
:func:`finish` make that the easy path.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from planbook.page.chart_data import attach, chart_link_html  # noqa: E402

PALETTE = {
    "plan": "#c0392b",  # the plan's own figures
    "official": "#1f4e79",  # official statistics
    "forecast": "#2e86c1",  # model forecasts and their intervals
    "neutral": "#7f8c8d",
    "ok": "#1e8449",
    "warn": "#d68910",
    "bad": "#c0392b",
}
"""Colours by role, used the same way in every chapter."""

VERDICT_COLOURS = {
    "consistent": PALETTE["ok"],
    "within rounding": "#82c99a",
    "inconsistent": PALETTE["bad"],
    "unverifiable": PALETTE["neutral"],
}

PLAN_SOURCE = "Source: the plan, as tabulated in the book's claims table"
OFFICIAL_SOURCE = "Source: official statistics of NBS, MOFCOM, CNNIC, SPB and GAC"


def set_theme() -> None:
    """Apply the book's seaborn theme (call once per notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", font_scale=0.95)
    plt.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    # Charts use English labels only (TOOLCHAIN 10); silence glyph warnings just in case.
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")


def warm_up() -> None:
    """Draw and discard one chart in the book's theme, leaving every setting as it was.

    The warm kernel server calls this before it forks kernels, so fonts, text layout and
    the PNG writer are loaded once for every chapter.
    """
    with matplotlib.rc_context(), warnings.catch_warnings():
        set_theme()
        fig, ax = figure()
        ax.plot([2020, 2021, 2022], [1.0, 2.0, 1.5], label="warm-up")
        ax.legend(frameon=False, fontsize=8)
        finish(fig, ax, title="Warm-up", xlabel="Year", ylabel="Value", source="Source: none")
        png(fig)
        plt.close(fig)


def figure(width: float = 8.0, height: float = 4.2, ncols: int = 1) -> tuple[Figure, Axes]:
    """A new figure of the book's size: ``(fig, ax)``, ``ax`` an array if ``ncols > 1``."""
    fig, ax = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    return fig, ax


def finish(fig: Figure, ax: Axes, *, title: str, xlabel: str, ylabel: str, source: str) -> Figure:
    """Label a chart: title, axis labels (with units) and the source line under it."""
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.text(0.01, -0.02, source, ha="left", va="top", fontsize=8, color="#555555")
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes, cropped to include the source line under the axes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.15)
    return buffer.getvalue()


def titles(fig: Figure) -> list[str]:
    """The chart's titles: the figure's own, then each panel's not already given."""
    found = [fig.get_suptitle()] if fig.get_suptitle() else []
    for ax in fig.get_axes():
        title = ax.get_title(loc="left") or ax.get_title()
        if title and title not in found:
            found.append(title)
    return found


def describe(fig: Figure) -> str:
    """Alt text for a chart: "Chart: " and its titles (the figure's and each panel's),
    its axes' labels and the source line."""
    axes_text = []
    for ax in fig.get_axes():
        labels = [t for t in (ax.get_xlabel(), ax.get_ylabel()) if t]
        if labels and " against ".join(labels) not in axes_text:
            axes_text.append(" against ".join(labels))
    named = titles(fig)
    source = [t.get_text() for t in fig.texts if t.get_text().startswith("Source")]
    parts = ["Chart: " + ("; ".join(named) if named else "untitled")]
    if axes_text:
        parts.append("axes: " + "; ".join(axes_text[:3]))
    parts += source[:1]
    return ". ".join(p.rstrip(".") for p in parts) + "."


def caption(fig: Figure) -> str:
    """The chart's caption on the site (numbered there as a figure): its titles, or
    "Chart" when it has none."""
    named = titles(fig)
    return ("; ".join(named) if named else "Chart").rstrip(".") + "."


def show(fig: Figure) -> None:
    """Display a finished figure once, as a PNG with its description as alt text
    (:func:`describe`) and its caption (:func:`caption`; the site build writes both into
    the page and numbers the figure), then the link to the CSV
    of its data (:func:`planbook.page.chart_data.chart_link_html`), and release it."""
    from IPython.display import HTML, Image, display

    display(Image(png(fig), metadata={"alt": describe(fig), "caption": caption(fig)}))
    link = chart_link_html(fig)
    if link is not None:
        display(HTML(link))
    plt.close(fig)


# --------------------------------------------------------------------------- common charts


def bars(
    labels: Sequence[object],
    values: Sequence[float],
    *,
    title: str,
    source: str,
    value_label: str = "",
    fmt: str = " {:.2f}",
    colors: str | Sequence[str] | None = None,
    horizontal: bool = True,
    size: tuple[float, float] | None = None,
    category_label: str = "",
) -> Figure:
    """Bars with their values written at their ends.

    Parameters
    ----------
    labels, values
        One bar per label, in reading order (top to bottom, or left to right).
    title, source
        The chart's title and its source line.
    value_label
        The axis label of the values, with the unit ("Trillion yuan").
    fmt
        How a value is written next to its bar (``str.format`` spec).
    colors
        One colour for all bars or one per bar (default: the plan's colour).
    horizontal
        Horizontal bars (default) or vertical columns.
    size
        Figure size in inches (default: 8 wide, height by the number of bars).
    category_label
        The axis label of the categories (default none).
    """
    values = [float(v) for v in values]
    labels = [str(x) for x in labels]
    n = len(values)
    width, height = size or (8.0, max(2.4, 0.9 + 0.45 * n) if horizontal else 4.2)
    fig, ax = figure(width, height)
    color = colors if colors is not None else PALETTE["plan"]
    if horizontal:
        ax.barh(labels, values, color=color)
        ax.invert_yaxis()
        for y, v in enumerate(values):
            ax.text(v, y, fmt.format(v), va="center", fontsize=9)
        finish(fig, ax, title=title, xlabel=value_label, ylabel=category_label, source=source)
    else:
        ax.bar(labels, values, color=color)
        for x, v in enumerate(values):
            ax.text(x, v, fmt.format(v).strip(), ha="center", va="bottom", fontsize=9)
        finish(fig, ax, title=title, xlabel=category_label, ylabel=value_label, source=source)
    return fig


def dumbbell(
    labels: Sequence[object],
    start: Sequence[float],
    end: Sequence[float],
    *,
    start_label: str,
    end_label: str,
    title: str,
    value_label: str,
    source: str,
    size: tuple[float, float] | None = None,
) -> Figure:
    """Two values per row joined by a line: an open dot for ``start``, a filled one for ``end``."""
    labels = [str(x) for x in labels]
    fig, ax = figure(*(size or (8.0, max(2.4, 1.4 + 0.6 * len(labels)))))
    for y, (a, b) in enumerate(zip(start, end, strict=True)):
        ax.plot([a, b], [y, y], color=PALETTE["neutral"], lw=2)
        ax.scatter(
            a, y, color="white", edgecolor=PALETTE["plan"], s=60, zorder=3,
            label=start_label if y == 0 else None,
        )  # fmt: skip
        ax.scatter(b, y, color=PALETTE["plan"], s=60, zorder=3, label=end_label if y == 0 else None)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.legend(loc="lower right", frameon=False)
    data = pd.DataFrame({"label": labels, start_label: list(start), end_label: list(end)})
    attach(fig, data)
    return finish(fig, ax, title=title, xlabel=value_label, ylabel="", source=source)


def history_forecast(
    history: pd.Series,
    forecast: object | None = None,
    *,
    title: str,
    value_label: str,
    source: str,
    history_label: str = "Official",
    interval_label: str | None = None,
    forecast_label: str | None = None,
    points: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    paths: Mapping[str, pd.Series] | None = None,
    extra_history: Mapping[str, pd.Series] | None = None,
    path_styles: Mapping[str, str] | None = None,
    size: tuple[float, float] = (8.0, 4.2),
    legend_loc: str = "upper left",
) -> Figure:
    """A series, its forecast (median and interval band) and the plan's figures beside it.

    Parameters
    ----------
    history
        The observed series (index: years).
    forecast
        An object with ``median``, ``lower`` and ``upper`` series and a ``method`` name
        (a :class:`planbook.methods.forecast` result), or None for history alone.
    history_label, interval_label, forecast_label
        Legend entries (defaults: "Official", no interval entry, "Forecast (method)").
    points
        The plan's single figures: label -> (xs, ys), drawn as squares in the plan's colour.
    paths
        The plan's paths: label -> series, drawn as dotted lines in the plan's colour.
    extra_history
        Further observed series: label -> series, drawn in a lighter official colour.
    path_styles
        A matplotlib format string per path label (default ``"o:"``, dotted).
    """
    fig, ax = figure(*size)
    ax.plot(history.index, history.values, "o-", color=PALETTE["official"], label=history_label)
    for label, series in (extra_history or {}).items():
        ax.plot(
            series.index, series.values, "s-", color=PALETTE["official"], alpha=0.55, label=label
        )
    if forecast is not None:
        median, lower, upper = forecast.median, forecast.lower, forecast.upper
        ax.fill_between(
            median.index, lower.values, upper.values, color=PALETTE["forecast"], alpha=0.25,
            label=interval_label,
        )  # fmt: skip
        ax.plot(
            median.index, median.values, "--", color=PALETTE["forecast"],
            label=forecast_label or f"Forecast ({forecast.method})",
        )  # fmt: skip
    for label, series in (paths or {}).items():
        style = (path_styles or {}).get(label, "o:")
        ax.plot(series.index, series.values, style, color=PALETTE["plan"], label=label)
    for label, (xs, ys) in (points or {}).items():
        ax.scatter(list(xs), list(ys), marker="s", color=PALETTE["plan"], zorder=3, label=label)
    ax.legend(frameon=False, fontsize=8, loc=legend_loc)
    return finish(fig, ax, title=title, xlabel="Year", ylabel=value_label, source=source)


def lines(
    series: Mapping[str, pd.Series],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    colors: Mapping[str, str] | None = None,
    styles: Mapping[str, str] | None = None,
    hlines: Mapping[str, float] | None = None,
    vlines: Mapping[str, float] | None = None,
    size: tuple[float, float] = (8.0, 4.2),
    legend_loc: str = "best",
) -> Figure:
    """Several labelled series on one axis, with optional labelled reference lines.

    ``colors`` and ``styles`` (matplotlib format strings such as ``"o-"``) are per label;
    ``hlines`` / ``vlines`` map a label to a y or x position, drawn dashed in grey.
    """
    fig, ax = figure(*size)
    for label, s in series.items():
        ax.plot(
            s.index, s.values, (styles or {}).get(label, "-"),
            color=(colors or {}).get(label), label=label,
        )  # fmt: skip
    for label, y in (hlines or {}).items():
        ax.axhline(y, color=PALETTE["neutral"], ls="--", lw=1, label=label)
    for label, x in (vlines or {}).items():
        ax.axvline(x, color=PALETTE["neutral"], ls=":", lw=1, label=label)
    ax.legend(frameon=False, fontsize=8, loc=legend_loc)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


def heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    source: str,
    xlabel: str = "",
    ylabel: str = "",
    fmt: str = "d",
    cmap: str = "Blues",
    annot: bool = True,
    size: tuple[float, float] | None = None,
    colorbar: bool = False,
) -> Figure:
    """A labelled heat map of a table (rows and columns as they are, values annotated)."""
    width, height = size or (8.0, max(2.6, 1.2 + 0.35 * len(matrix)))
    fig, ax = figure(width, height)
    data = matrix.astype(float) if fmt != "d" else matrix.fillna(0).astype(int)
    sns.heatmap(
        data, ax=ax, annot=annot, fmt=fmt, cmap=cmap, cbar=colorbar, linewidths=0.5,
        linecolor="white",
    )  # fmt: skip
    ax.tick_params(axis="y", rotation=0)
    long = matrix.rename_axis(index="row", columns="column").stack(future_stack=True)
    attach(fig, long.rename("value").reset_index())
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


def offsets(n: int, width: float = 0.8) -> np.ndarray:
    """Offsets of ``n`` grouped bars around each category position, ``width`` in all."""
    step = width / n
    return (np.arange(n) - (n - 1) / 2) * step
