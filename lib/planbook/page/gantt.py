"""Gantt charts: phases as bars on a time axis, one lane per plan or per workstream."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planbook.page.charts import figure, finish, offsets

SHADES = ("#c0392b", "#e6a09a")
"""Alternating shades of the phases within a lane (the plan's colour, then a light one)."""


def _time_axis(ax: Axes, horizon: float, tick_step: float) -> None:
    ax.invert_yaxis()
    ax.set_xlim(0, horizon)
    ax.set_xticks(np.arange(0, horizon + 1, tick_step))


def gantt(
    phases: pd.DataFrame,
    *,
    horizon: float,
    title: str,
    xlabel: str,
    source: str,
    calendar_start: int | None = None,
    calendar_label: str = "",
    shades: Sequence[str] = SHADES,
    tick_step: float = 6,
    size: tuple[float, float] = (9.0, 3.8),
) -> Figure:
    """One lane per plan, one labelled bar per phase, first lane at the top.

    Parameters
    ----------
    phases
        One row per phase: ``plan`` (the lane), ``period`` (the bar's text), ``start`` and
        ``end`` (months from the start), ``open_ended`` (hatched, "(open)" added to its
        text) and ``milestone`` (smaller text). Lanes and bars in the order of the rows.
    horizon
        End of the time axis (months).
    calendar_start
        If given, a calendar-year axis on top: month 0 is the start of this year.
    calendar_label
        The label of that axis.
    shades
        Colours the phases of a lane take in turn.
    """
    lanes = list(dict.fromkeys(phases["plan"]))
    fig, ax = figure(*size)
    for lane, plan in enumerate(lanes):
        rows = phases[phases["plan"] == plan]
        for i, r in enumerate(rows.itertuples(index=False)):
            width = r.end - r.start
            ax.barh(
                lane, width, left=r.start, height=0.6, color=shades[i % len(shades)],
                edgecolor="white", hatch="//" if r.open_ended else None,
            )  # fmt: skip
            text = r.period + (" (open)" if r.open_ended else "")
            ax.text(
                r.start + width / 2, lane, text, ha="center", va="center",
                fontsize=7 if r.milestone else 8, color="black",
            )  # fmt: skip
    ax.set_yticks(range(len(lanes)), lanes)
    _time_axis(ax, horizon, tick_step)
    if calendar_start is not None:
        top = ax.secondary_xaxis(
            "top",
            functions=(lambda m: calendar_start + m / 12, lambda y: (y - calendar_start) * 12),
        )
        top.set_xlabel(calendar_label, fontsize=8)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel="", source=source)


def grouped_gantt(
    spans: pd.DataFrame,
    colors: Mapping[str, str],
    *,
    horizon: float,
    title: str,
    xlabel: str,
    source: str,
    legend: Mapping[str, str] | None = None,
    lane: str = "lane",
    group: str = "group",
    tick_step: float = 6,
    size: tuple[float, float] = (9.0, 4.6),
) -> Figure:
    """One lane per row label, one thin bar per group inside it (each group its colour).

    Parameters
    ----------
    spans
        One row per lane and group: the columns named by ``lane`` and ``group``, and
        ``start``, ``end`` and ``open_ended`` (hatched). Lanes in the order of the rows,
        first at the top.
    colors
        Group -> colour; also the order of the groups inside a lane.
    legend
        Group -> legend entry (default: the group).
    """
    spans = spans.rename(columns={lane: "lane", group: "group"})
    lanes = list(dict.fromkeys(spans["lane"]))
    shift = dict(zip(colors, offsets(len(colors)), strict=True))
    fig, ax = figure(*size)
    for y, lane in enumerate(lanes):
        for r in spans[spans["lane"] == lane].itertuples(index=False):
            ax.barh(
                y + shift[r.group], r.end - r.start, left=r.start, height=0.18,
                color=colors[r.group], hatch="//" if r.open_ended else None, edgecolor="white",
            )  # fmt: skip
    handles = [Patch(color=c, label=(legend or {}).get(g, g)) for g, c in colors.items()]
    ax.set_yticks(range(len(lanes)), lanes)
    _time_axis(ax, horizon, tick_step)
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower right")
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel="", source=source)


__all__ = ["SHADES", "gantt", "grouped_gantt"]
