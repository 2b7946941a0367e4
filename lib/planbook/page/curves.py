"""Curves: lines on one axis or on panels side by side, with reference lines and marked points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


@dataclass(frozen=True)
class Line:
    """One curve: ``y`` against ``x`` in a matplotlib format string (``"o-"``)."""

    x: Sequence[float]
    y: Sequence[float]
    label: str | None = None
    color: str | None = None
    style: str = "-"
    markersize: float | None = None


@dataclass(frozen=True)
class Rule:
    """A reference line across the axis: horizontal at ``at``, or vertical."""

    at: float
    vertical: bool = False
    label: str | None = None
    color: str = PALETTE["neutral"]
    style: str = "--"
    width: float | None = 1.0


@dataclass(frozen=True)
class Mark:
    """A marked point, drawn above the lines."""

    x: float
    y: float
    color: str
    label: str | None = None
    size: float | None = None


@dataclass(frozen=True)
class Panel:
    """What one axis shows: lines, reference lines, marked points, titles and scale."""

    lines: Sequence[Line]
    title: str
    xlabel: str
    ylabel: str
    rules: Sequence[Rule] = field(default_factory=tuple)
    marks: Sequence[Mark] = field(default_factory=tuple)
    logy: bool = False
    ylim: tuple[float, float] | None = None
    legend: str | None = "best"


def rule_on(ax: Axes, rule: Rule) -> None:
    """Draw a reference line on ``ax`` (its width the theme's when ``rule.width`` is None)."""
    width = {} if rule.width is None else {"lw": rule.width}
    across = ax.axvline if rule.vertical else ax.axhline
    across(rule.at, color=rule.color, ls=rule.style, label=rule.label, **width)


def draw(ax: Axes, panel: Panel) -> Axes:
    """Draw a panel on ``ax``: lines, then reference lines, then marks, then the legend."""
    for line in panel.lines:
        size = {} if line.markersize is None else {"ms": line.markersize}
        ax.plot(line.x, line.y, line.style, color=line.color, label=line.label, **size)
    for rule in panel.rules:
        rule_on(ax, rule)
    for mark in panel.marks:
        ax.scatter([mark.x], [mark.y], s=mark.size, color=mark.color, zorder=4, label=mark.label)
    if panel.logy:
        ax.set_yscale("log")
    if panel.ylim is not None:
        ax.set_ylim(*panel.ylim)
    if panel.legend is not None:
        ax.legend(frameon=False, fontsize=8, loc=panel.legend)
    return ax


def _label(ax: Axes, panel: Panel) -> None:
    ax.set_title(panel.title, loc="left")
    ax.set_xlabel(panel.xlabel)
    ax.set_ylabel(panel.ylabel)


def curves(panel: Panel, *, source: str, size: tuple[float, float] = (8.0, 4.2)) -> Figure:
    """One panel of curves as a finished chart (title, axis labels, source line)."""
    return panels(panel, source=source, size=size)


def panels(*shown: Panel, source: str, size: tuple[float, float] = (9.0, 3.8)) -> Figure:
    """Panels side by side, each with its title and axis labels, one source line under all."""
    fig, axes = figure(*size, ncols=len(shown))
    axes = [axes] if len(shown) == 1 else list(axes)
    for ax, panel in zip(axes, shown, strict=True):
        draw(ax, panel)
        _label(ax, panel)
    last = shown[-1]
    return finish(fig, axes[-1], title=last.title, xlabel=last.xlabel, ylabel=last.ylabel,
                  source=source)  # fmt: skip


__all__ = ["Line", "Mark", "Panel", "Rule", "curves", "draw", "panels", "rule_on"]
