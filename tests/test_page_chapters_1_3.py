"""Page charts of chapters 1 to 3: ranked, signed and paired bars, index lines, break-even
curves and growth against a ceiling; and the parameter defaults in words."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from planbook.engine.params import validate_params
from planbook.page.break_even import break_even_curves
from planbook.page.ceiling import ceiling_paths
from planbook.page.charts import PALETTE
from planbook.page.index_lines import index_lines
from planbook.page.paired_bars import paired_columns
from planbook.page.ranked_bars import ranked_bars
from planbook.page.signed_bars import signed_bars
from planbook.page.text import default_words

LABELS = {"title": "T", "source": "Source: test"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_ranked_bars_colour_by_group_and_note_each_bar() -> None:
    colors = {"a": "#ff0000", "b": "#0000ff"}
    fig = ranked_bars(
        ["x", "y", "z"], [3.0, 2.0, 1.0], [1.5, 1.2, 1.1], ["b", "a", "b"], colors,
        value_label="Severity", fmt=" x{:.2f}", **LABELS,
    )  # fmt: skip
    ax = fig.axes[0]
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == ["#0000ff", "#ff0000", "#0000ff"]
    assert legend(ax) == ["b", "a"]  # groups in order of appearance
    assert " x1.50" in texts(fig) and "Source: test" in texts(fig)
    assert ax.get_xlim() == pytest.approx((0, 3.6))
    assert ax.yaxis_inverted()


def test_signed_bars_colour_the_sign_and_hatch_what_is_flagged() -> None:
    fig = signed_bars(["fall", "rise"], [-5.0, 10.0], [False, True], value_label="%", **LABELS)
    ax = fig.axes[0]
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == [PALETTE["ok"], PALETTE["bad"]]
    assert [p.get_hatch() for p in ax.patches] == [None, "///"]
    assert " -5.0% " in texts(fig) and " +10.0% " in texts(fig)
    assert ax.get_xlim() == pytest.approx((-5 * 1.35 - 2, 10 * 1.3 + 2))


def test_paired_columns_note_the_second_of_each_pair() -> None:
    fig = paired_columns(
        ["now", "later"], [100, 80], [10, 20], [0.1, 0.25], labels=("cost", "value"),
        colors=("#ff0000", "#0000ff"), value_label="Yuan", **LABELS,
    )  # fmt: skip
    ax = fig.axes[0]
    assert len(ax.patches) == 4 and legend(ax) == ["cost", "value"]
    assert {"0.10x", "0.25x"} <= set(texts(fig))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["now", "later"]


def test_index_lines_tick_every_year_and_mark_the_base() -> None:
    series = {
        "a": pd.Series([100.0, 50.0], index=[2020, 2023]),
        "b": pd.Series([100.0, 120.0, 150.0], index=[2020, 2022, 2023]),
    }
    fig = index_lines(series, ["#ff0000", "#0000ff"], ["o-", "s-"], ylabel="Index", **LABELS)
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [2020, 2021, 2022, 2023]
    assert legend(ax) == ["a", "b"]
    assert any(list(line.get_ydata()) == [100, 100] for line in ax.lines)  # the base


def test_break_even_curves_draw_one_curve_per_case_and_label_the_markers() -> None:
    grid = pd.DataFrame({"x": [0.0, 50.0, 90.0] * 2, "y": [0.1, 0.5, 2.0, 0.2, 1.0, 4.0]})
    grid["label"] = ["low"] * 3 + ["high"] * 3
    fig = break_even_curves(
        grid, ["#ff0000", "#0000ff", "#00ff00"], x="x", y="y", break_even_label="even",
        markers=[(30.0, "used", "-"), (40.0, "benchmark", ":")], xlabel="x", ylabel="y",
        **LABELS,
    )  # fmt: skip
    ax = fig.axes[0]
    assert legend(ax) == ["low", "high"]
    assert {" even", " used", " benchmark"} <= set(texts(fig))
    assert len(ax.lines) == 2 + 1 + 2  # curves, break-even, markers


def test_ceiling_paths_mark_the_crossing_only_when_given() -> None:
    paths = pd.DataFrame({"year": [2023, 2024, 2025], "compound": [6, 7.5, 9.4]})
    paths["logistic"] = [6, 6.8, 7.4]
    official = pd.Series([9.0, 9.2], index=[2023, 2024])
    common = dict(
        compound_label="c", logistic_label="l", official_label="o", target=(2025, 8, "t"),
        top=10.5, ylabel="users", **LABELS,
    )  # fmt: skip
    with_crossing = ceiling_paths(paths, 10.5, official, crossing=(2025.5, 10.5), **common)
    without = ceiling_paths(paths, 10.5, official, crossing=None, **common)
    assert len(with_crossing.axes[0].collections) == 2 and len(without.axes[0].collections) == 1
    assert legend(without.axes[0]) == ["c", "l", "Ceiling", "t", "o"]
    assert without.axes[0].get_ylim() == pytest.approx((0, 10.5 * 1.35))


def test_default_words_read_empty_defaults_as_the_plans_figure() -> None:
    words = default_words(validate_params("challenges", {"margin_pct": 20}))
    assert words["default_margin_pct"] == "the plan's figure"  # the default, not the value
    assert words["default_discount_rate_pct"] == "8"
    assert "default_severity_measure" not in words  # text defaults are left out
