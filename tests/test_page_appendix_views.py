"""Page helpers of the appendices and the conclusions: charts and tables on small data."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from planbook.page.dot_grid import dot_grid
from planbook.page.findings import findings_table
from planbook.page.grouped_tables import grouped_tables
from planbook.page.growth_lines import growth_lines
from planbook.page.histogram import draws_histogram
from planbook.page.marked_columns import marked_columns
from planbook.page.stacked import stacked_bars


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_stacked_bars_stack_segments_and_write_totals() -> None:
    table = pd.DataFrame({"a": [1, 2], "b": [3, 4]}, index=["x", "y"])
    fig = stacked_bars(
        table, {"a": "red", "b": ["blue", "green"]}, labels={"a": None}, horizontal=True,
        top_down=True, totals=" {:.0f}", title="T", source="S",
    )  # fmt: skip
    ax = fig.axes[0]
    lefts = sorted(round(p.get_x(), 6) for p in ax.patches)
    assert lefts == [0, 0, 1, 2]  # the second segment starts where the first ends
    assert [t.get_text() for t in ax.texts] == [" 4", " 6"]
    assert ax.yaxis_inverted()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["b"]
    assert ax.get_title(loc="left") == "T"


def test_stacked_bars_take_a_palette_name() -> None:
    table = pd.DataFrame({"a": [1], "b": [2], "c": [3]}, index=["x"])
    fig = stacked_bars(table, "colorblind", title="T", source="S")
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [1, 2, 3]


def test_dot_grid_fills_and_hollows() -> None:
    frame = pd.DataFrame(
        {"row": ["r1", "r1", "r2"], "year": [2020, 2021, 2020], "kind": ["k", "k", "m"]}
    )
    filled = pd.Series([True, False, True])
    fig = dot_grid(
        frame, {"k": "red", "m": "blue", "absent": "black"}, row="row", x="year", kind="kind",
        filled=filled, title="T", xlabel="Year", source="S",
    )  # fmt: skip
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["r1", "r2"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["k", "m"]


def test_growth_lines_and_histogram() -> None:
    growth = {"s (n = 3)": pd.Series([5.0, 3.0], index=[2019, 2020])}
    fig = growth_lines(growth, shade=2020, title="T", source="S")
    assert fig.axes[0].get_lines()[0].get_label() == "s (n = 3)"
    draws = np.random.default_rng(0).normal(10, 1, 500)
    fig = draws_histogram(
        draws, median=10, interval=(8.4, 11.6), interval_label="90% interval",
        threshold=11, threshold_label="goal", title="T", xlabel="x", source="S",
    )  # fmt: skip
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Median", "90% interval", "goal"]


def test_marked_columns_mark_at_zero() -> None:
    fig = marked_columns(
        ["1.1", "1.2", "2.1"], [3, 0, 2], ["red", "blue", "red"], ["1.2"], marked_label="none",
        title="T", xlabel="x", ylabel="y", source="S",
    )  # fmt: skip
    ax = fig.axes[0]
    assert len(ax.patches) == 3
    assert ax.collections[0].get_offsets().tolist() == [[1.0, 0.0]]


def test_grouped_tables_caption_each_group() -> None:
    frame = pd.DataFrame(
        {"a": [1, 2, 3]}, index=pd.MultiIndex.from_tuples([("g1", 1), ("g1", 2), ("g2", 3)])
    )
    views = grouped_tables(frame, {"a": "50%"}, noun="terms")
    assert [v.caption for v in views] == ["g1 (2 terms)", "g2 (1 terms)"]
    assert "width: 50%" in views[0].to_html()


def test_findings_table_says_when_there_is_none() -> None:
    empty = pd.DataFrame(columns=["sections", "rule", "verdict", "severity", "detail"])
    assert "no findings" in findings_table(empty, "Chapter 2").to_html()
    one = pd.DataFrame(
        [{"sections": "1.1", "rule": "growth_rate", "verdict": "consistent", "severity": "none",
          "scope": "industry", "detail": "d"}]
    )  # fmt: skip
    html = findings_table(one, "Chapter 1: 1 finding").to_html()
    assert "Chapter 1: 1 finding" in html and "growth rate" in html
