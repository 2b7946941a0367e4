"""Page charts of chapters 4 to 6: waterfall, diverging and grouped bars, curves and panels,
labelled scatter, risk matrix, log columns, allocation bars and cash flow."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from planbook.page.allocation import allocation_bars
from planbook.page.cash_flow import cash_flow
from planbook.page.charts import PALETTE
from planbook.page.curves import Line, Mark, Panel, Rule, curves, panels
from planbook.page.diverging import diverging_bars
from planbook.page.grouped_bars import grouped_bars
from planbook.page.log_bars import log_columns, readable
from planbook.page.risk_matrix import risk_matrix
from planbook.page.scatter import labelled_scatter
from planbook.page.waterfall import waterfall

LABELS = {"title": "T", "source": "Source: test"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_waterfall_floats_the_steps_and_colours_the_totals() -> None:
    steps = pd.DataFrame(
        {
            "label": ["Baseline", "A step", "Naive total", "A cut", "Adjusted total"],
            "kind": ["total", "step", "total", "step", "total"],
            "start": [0.0, 100.0, 0.0, 120.0, 0.0],
            "end": [100.0, 120.0, 120.0, 110.0, 110.0],
        }
    ).assign(delta=lambda d: d["end"] - d["start"])
    fig = waterfall(steps, total_colors={"Baseline": "#000000"}, ylabel="Index", **LABELS)
    bars = fig.axes[0].patches
    assert [b.get_y() for b in bars] == [0, 100, 0, 110, 0]
    assert to_hex(bars[0].get_facecolor()) == "#000000"
    assert to_hex(bars[3].get_facecolor()) == PALETTE["warn"]
    assert {"100", "+20.0", "-10.0", "110"} <= set(texts(fig))
    assert "Source: test" in texts(fig)


def test_diverging_bars_colour_by_group_with_a_legend_per_group() -> None:
    fig = diverging_bars(
        ["a", "b"], [-60, 20], ["x", "y"], colors={"x": "#111111", "y": "#222222"},
        legend={"x": "Group x", "y": "Group y"}, value_label="%", **LABELS,
    )  # fmt: skip
    ax = fig.axes[0]
    assert legend(ax) == ["Group x", "Group y"]
    assert ax.get_xlim() == pytest.approx((-81, 27))
    assert " -60% " in texts(fig) and " +20% " in texts(fig)


def test_grouped_bars_side_by_side_with_a_reference_line() -> None:
    fig = grouped_bars(
        ["one", "two"], {"A": [1, 2], "B": [3, 4]}, {"A": "#111111", "B": "#222222"},
        rules=[Rule(-1, vertical=True, label="Ref")], value_label="v", **LABELS,
    )  # fmt: skip
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["one", "two"]
    assert sorted(legend(ax)) == ["A", "B", "Ref"]
    columns = grouped_bars(
        [1, 2], {"A": [1, 2]}, {"A": "#111111"}, horizontal=False, fmt="{:.0f}",
        value_label="v", **LABELS,
    )  # fmt: skip
    assert {"1", "2"} <= set(texts(columns))


def test_curves_and_panels() -> None:
    panel = Panel(
        [Line([1, 2, 3], [3, 2, 1], "down", "#111111", "o-", 3)], "Left", "x", "y",
        rules=[Rule(2)], marks=[Mark(2, 2, "black", "here", 90)], logy=True, ylim=(0.5, 4),
    )  # fmt: skip
    fig = curves(panel, source="S")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylim() == pytest.approx((0.5, 4))
    assert legend(ax) == ["down", "here"]
    right = Panel([Line([0, 1], [0, 1])], "Right", "x2", "y2", legend=None)
    two = panels(panel, right, source="S")
    assert [a.get_title(loc="left") for a in two.axes] == ["Left", "Right"]
    assert two.axes[1].get_legend() is None and texts(two).count("S") == 1


def test_labelled_scatter_groups_notes_and_curve() -> None:
    points = pd.DataFrame({"d": [10.0, 20.0], "t": [36.5, 18.25], "g": ["a_b", "c"]})
    notes = pd.DataFrame({"x": [10.0], "y": [36.5], "text": ["3.2"]})
    curve = pd.Series([36.5, 18.25], index=[10.0, 20.0])
    fig = labelled_scatter(
        points, x="d", y="t", group="g", colors={"a_b": "#111111"}, notes=notes,
        curve=curve, curve_label="turns", xlabel="x", ylabel="y", **LABELS,
    )  # fmt: skip
    assert legend(fig.axes[0]) == ["turns", "a b", "c"]
    assert "3.2" in texts(fig)


def test_risk_matrix_places_each_risk_in_its_cell() -> None:
    risks = pd.DataFrame({"likelihood": [4, 4, 1], "impact": [4, 4, 2], "key": ["a_b", "c", "d"]})
    fig = risk_matrix(risks, xlabel="L", ylabel="I", **LABELS)
    assert "a b\nc" in texts(fig) and "d" in texts(fig)
    assert "25" in texts(fig) and "16" in texts(fig)


def test_log_columns_label_every_column() -> None:
    fig = log_columns(
        ["99%", "99.99%"], [5256.0, 5.256], ["#111111", "#222222"],
        rules=[Rule(240, label="old")], xlabel="A", ylabel="M", **LABELS,
    )  # fmt: skip
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylim() == pytest.approx((1, 5256 * 3))
    assert {"5,256", "5.3"} <= set(texts(fig)) and legend(ax) == ["old"]
    assert readable(52.56) == "53" and readable(0.526) == "0.5"


def test_allocation_bars_hatch_the_rest_and_mark_the_totals() -> None:
    table = pd.DataFrame({"Year 1": [45.0, 0.0], "Years 1-3": [45.0, 55.0]}, index=["Use", "Rest"])
    totals = pd.Series([45.0, 100.0], index=["Year 1", "Years 1-3"])
    fig = allocation_bars(table, totals, rest="Rest", xlabel="h", ylabel="m", **LABELS)
    ax = fig.axes[0]
    assert legend(ax) == ["Stated total", "Use", "Rest"]
    assert all(p.get_hatch() == "//" for p in ax.containers[-1])


def test_cash_flow_draws_outflows_below_the_line() -> None:
    years = pd.RangeIndex(1, 4)
    out = pd.Series([10.0, 5.0, 0.0], index=years)
    into = pd.Series([0.0, 8.0, 12.0], index=years)
    fig = cash_flow(
        out, into, (into - out).cumsum(), labels=("Out", "In", "Net"), xlabel="Year",
        ylabel="M", **LABELS,
    )  # fmt: skip
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.containers[0]]
    assert heights == [-10.0, -5.0, 0.0]
    assert np.allclose(ax.lines[0].get_ydata(), [-10.0, -7.0, 5.0])
    assert legend(ax) == ["Net", "Out", "In"]
