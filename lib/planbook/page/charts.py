"""One theme, palette and figure helper for every chart of the book.

Every chart has a title, axis labels with units and a source line; :func:`figure` and
:func:`finish` make that the easy path.
"""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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

PLAN_SOURCE = "Source: the plan (data/plan/claims.csv)"
OFFICIAL_SOURCE = "Source: NBS, MOFCOM, CNNIC, SPB, GAC via data/official/"


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


def show(fig: Figure) -> None:
    """Display a finished figure once, as a PNG, and release it."""
    from IPython.display import Image, display

    display(Image(png(fig)))
    plt.close(fig)
