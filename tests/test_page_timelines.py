"""Page charts of chapters 7 to 9 (Gantt, glide paths, tornado, bar panels) and prose lists."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from planbook.data.text import listing
from planbook.page import text as page_text
from planbook.page.bar_panels import bar_panels
from planbook.page.gantt import gantt, grouped_gantt
from planbook.page.glide import cut_paths, kpi_panels
from planbook.page.tornado import tornado


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_listing_reads_as_prose() -> None:
    assert listing([]) == "none" and listing([], empty="no workstream") == "no workstream"
    assert listing(["a"]) == "a"
    assert listing(["a", "b", "c"]) == "a, b and c"
    assert listing([1, 2], conjunction="or") == "1 or 2"
    assert page_text.listing(["a", "b", "c"]) == listing(["a", "b", "c"])


PHASES = pd.DataFrame(
    {
        "plan": ["3.2 Phasing", "3.2 Phasing", "7.3 Milestones"],
        "period": ["years 1-2", "years 3+", "Q1"],
        "start": [0.0, 24.0, 0.0],
        "end": [24.0, 36.0, 3.0],
        "open_ended": [False, True, False],
        "milestone": [False, False, True],
    }
)


def test_gantt_draws_a_lane_per_plan_and_a_bar_per_phase() -> None:
    fig = gantt(PHASES, horizon=36, calendar_start=2024, title="t", xlabel="x", source="s")
    ax = fig.axes[0]
    assert len(ax.patches) == len(PHASES)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["3.2 Phasing", "7.3 Milestones"]
    assert [t.get_text() for t in ax.texts] == ["years 1-2", "years 3+ (open)", "Q1"]
    assert ax.patches[1].get_hatch() == "//"
    assert ax.get_xlim() == (0, 36)


def test_grouped_gantt_puts_each_group_in_its_lane() -> None:
    spans = pd.DataFrame(
        {
            "workstream": ["AI", "AI", "Overseas"],
            "section": ["3.2", "7.1", "7.1"],
            "start": [0.0, 0.0, 24.0],
            "end": [24.0, 12.0, 36.0],
            "open_ended": [False, False, True],
        }
    )
    colors = {"3.2": "#7f8c8d", "7.1": "#c0392b"}
    fig = grouped_gantt(
        spans, colors, lane="workstream", group="section", horizon=36, title="t", xlabel="x",
        source="s", legend={"3.2": "plan 3.2", "7.1": "plan 7.1"},
    )  # fmt: skip
    ax = fig.axes[0]
    assert len(ax.patches) == 3
    assert {round(p.get_height(), 2) for p in ax.patches} == {0.18}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["plan 3.2", "plan 7.1"]


def test_kpi_panels_mark_the_months_by_stance() -> None:
    frame = pd.DataFrame(
        {
            "kpi": ["Repurchase rate"] * 3 + ["Spoilage"] * 3,
            "unit": ["percent"] * 6,
            "target_section": ["3.1"] * 3 + ["7.2"] * 3,
            "month": [0, 1, 2] * 2,
            "path": [30.0, 35.0, 40.0, 25.0, 21.0, 18.0],
            "kpi_value": [35.0] * 3 + [15.0] * 3,
            "stance": ["baseline", "agrees", "looser", "baseline", "stricter", "stricter"],
        }
    )
    fig = kpi_panels(frame, source="s")
    left, right = fig.axes[:2]
    assert left.get_title(loc="left") == "Repurchase rate"
    assert right.get_title(loc="left") == "Spoilage"
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert labels == ["path to the 3.1 target", "KPI agrees", "KPI looser", "7.3 KPI level"]


def test_cut_paths_mark_a_passed_deadline_with_a_cross() -> None:
    frame = pd.DataFrame(
        {"label": ["Cut"] * 3, "year": [2024, 2025, 2026], "index": [100.0, 50.0, 0.0]}
    )
    targets = pd.DataFrame(
        {
            "label": ["Cut"],
            "section": ["9.2"],
            "cut_pct": [100.0],
            "deadline_year": [2025],
            "deadline_basis": ["stated"],
            "status": ["passed"],
        }
    )
    fig = cut_paths(
        frame, targets, {"Cut": "red"}, as_of=2026, title="t", xlabel="x", ylabel="y", source="s"
    )
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["Cut (9.2, due end 2025, stated)", "as of 2026"]
    assert ax.get_ylim() == (-5, 105)


def test_tornado_chart_has_two_bars_per_driver_and_a_legend() -> None:
    table = pd.DataFrame(
        {
            "label": ["GMV base", "acquisition cost cut"],
            "output_at_low": [80.0, 98.0],
            "output_at_high": [120.0, 102.0],
            "base_output": [100.0, 100.0],
        }
    )
    fig = tornado(table, title="t", xlabel="x", source="s")
    ax = fig.axes[0]
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_yticklabels()] == ["GMV base", "acquisition cost cut"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["input lowered", "input raised"]


def test_bar_panels_share_the_labels_and_scale_each_panel() -> None:
    fig = bar_panels(
        ["a", "b"],
        {"One firm": [1.0, 2.0], "The industry": [40.0, 80.0]},
        colors="blue",
        title="t",
        value_label="v",
        source="s",
    )
    left, right = fig.axes[:2]
    assert left.get_xlim() == (0, 2.5) and right.get_xlim() == (0, 100)
    assert [t.get_text() for t in left.get_yticklabels()] == ["a", "b"]
    assert not any(t.get_text() for t in right.get_yticklabels())
