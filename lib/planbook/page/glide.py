"""Glide paths: the way from a baseline to a target by its deadline, and where a figure
of the plan sits on it."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish

STANCE_COLORS = {"agrees": PALETTE["ok"], "stricter": PALETTE["bad"], "looser": PALETTE["warn"]}
"""Colour of a month by how the KPI level sits on the path there."""


def kpi_panels(
    frame: pd.DataFrame,
    *,
    source: str,
    xlabel: str = "Months from the start",
    kpi_label: str = "7.3 KPI level",
    size: tuple[float, float] = (9.0, 3.4),
) -> Figure:
    """One panel per KPI: its path(s) to the dated target(s), the months coloured by how
    the KPI level sits on the first path, and the KPI level as a dotted line.

    Parameters
    ----------
    frame
        Long table, panels in the order of ``kpi``: ``kpi``, ``unit``, ``target_section``
        (one path each, solid then dashed), ``month``, ``path``, ``kpi_value`` and
        ``stance`` (``agrees``, ``stricter``, ``looser``; other values are not marked).
    kpi_label
        Legend entry of the KPI level.
    """
    kpis = list(dict.fromkeys(frame["kpi"]))
    fig, axes = figure(*size, ncols=len(kpis))
    units = {k: str(u).replace("_", " ") for k, u in zip(frame["kpi"], frame["unit"], strict=True)}
    for ax, kpi in zip(axes, kpis, strict=True):
        sub = frame[frame["kpi"] == kpi]
        for k, (section, path) in enumerate(sub.groupby("target_section", sort=False)):
            ax.plot(path["month"], path["path"], ["-", "--"][k % 2], color=PALETTE["plan"],
                    label=f"path to the {section} target")  # fmt: skip
            if k > 0:
                continue
            for stance, colour in STANCE_COLORS.items():
                pts = path[path["stance"] == stance]
                if len(pts):
                    ax.scatter(pts["month"], pts["path"], s=14, color=colour, zorder=3,
                               label=f"KPI {stance}")  # fmt: skip
        ax.axhline(sub["kpi_value"].max(), color=PALETTE["neutral"], ls=":", label=kpi_label)
        ax.set_title(kpi, loc="left", fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(units[kpi])
        ax.legend(frameon=False, fontsize=7)
    return finish(fig, axes[0], title=kpis[0], xlabel=xlabel, ylabel=units[kpis[0]], source=source)


def cut_paths(
    frame: pd.DataFrame,
    targets: pd.DataFrame,
    colors: Mapping[str, str],
    *,
    as_of: int,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    highlight: str | None = None,
    size: tuple[float, float] = (8.5, 4.2),
) -> Figure:
    """Cuts as yearly paths from 100 at the start to their targets, with a mark at each
    deadline (a cross once it has passed, a diamond before) and a line at ``as_of``.

    Parameters
    ----------
    frame
        Long table: ``label``, ``year`` (start of year) and ``index`` (start = 100).
    targets
        One row per label: ``label``, ``section``, ``cut_pct``, ``deadline_year`` (due at
        its end), ``deadline_basis`` and ``status`` (``passed`` or not).
    colors
        Label -> colour.
    highlight
        A label drawn as a thick translucent dashed line (so lines it overlaps stay seen).
    """
    by_label = targets.set_index("label")
    fig, ax = figure(*size)
    for label, sub in frame.groupby("label", sort=False):
        row = by_label.loc[label]
        style = {"ls": "--", "lw": 3.5, "alpha": 0.6} if label == highlight else {}
        due, basis = row["deadline_year"], row["deadline_basis"]
        text = f"{label} ({row['section']}, due end {due}, {basis})"
        ax.plot(sub["year"], sub["index"], marker="o", ms=3, color=colors[label], label=text,
                **style)  # fmt: skip
        marker = "X" if row["status"] == "passed" else "D"
        ax.scatter([due + 1], [100 - row["cut_pct"]], s=60, marker=marker, color=colors[label],
                   zorder=4)  # fmt: skip
    ax.axvline(as_of, color=PALETTE["warn"], ls=":", label=f"as of {as_of}")
    ax.set_ylim(-5, 105)
    ax.set_xticks(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    ax.legend(frameon=False, fontsize=7, loc="lower left")
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["STANCE_COLORS", "cut_paths", "kpi_panels"]
