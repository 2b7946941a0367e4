"""The driver-tree model: naive and haircut stacking, evidence weights, the waterfall."""

from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbook.methods.models import availability, driver_tree, inventory
from planbook.methods.models import driver_tree as T


def uplifts(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(T.UPLIFT_COLUMNS))


@pytest.mark.parametrize("module", [driver_tree, inventory, availability])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_factor_and_naive_stack_by_hand() -> None:
    assert T.factor(22) == pytest.approx(1.22)
    assert T.factor(-60) == pytest.approx(0.4)
    assert T.naive_stack([22, 32]) == pytest.approx((1.22 * 1.32 - 1) * 100)
    assert T.naive_stack([22, 32, 25]) == pytest.approx(101.3)
    assert T.naive_stack([-60, -25]) == pytest.approx(-70.0)
    assert T.naive_stack([]) == 0.0


def test_factor_refuses_a_fall_beyond_100_percent() -> None:
    assert T.factor(-100) == 0.0
    with pytest.raises(ValueError, match="more than 100%"):
        T.factor(-101)


def test_haircut_counts_the_largest_in_full_and_the_rest_scaled() -> None:
    # 32 is the largest; 22 counts at half: 1.32 * 1.11
    assert T.haircut_stack([22, 32], 0.5) == pytest.approx((1.32 * 1.11 - 1) * 100)
    # three uplifts: 32 full, 25 and 22 at half
    assert T.haircut_stack([22, 32, 25], 0.5) == pytest.approx((1.32 * 1.125 * 1.11 - 1) * 100)
    # cuts: -60 is the largest on the log scale, -25 counts at half
    assert T.haircut_stack([-25, -60], 0.5) == pytest.approx((0.4 * 0.875 - 1) * 100)
    # largest by effect, not by sign: -50 (x0.5) outweighs +60 (x1.6)
    assert T.haircut_stack([60, -50], 1.0) == pytest.approx(-50.0)


def test_haircut_ends_are_naive_and_best_only() -> None:
    changes = [22, 32, 25]
    assert T.haircut_stack(changes, 0.0) == pytest.approx(T.naive_stack(changes))
    assert T.haircut_stack(changes, 1.0) == pytest.approx(32.0)
    assert T.haircut_stack([], 0.5) == 0.0
    assert T.haircut_stack([-100, 10], 1.0) == pytest.approx(-100.0)


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_haircut_out_of_range_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        T.haircut_stack([10], bad)


@given(
    st.lists(st.floats(min_value=0, max_value=200), min_size=1, max_size=6),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
)
def test_haircut_lies_between_best_single_and_naive(changes, h1, h2) -> None:
    low, high = sorted((h1, h2))
    best = max(changes)
    naive = T.naive_stack(changes)
    a, b = T.haircut_stack(changes, low), T.haircut_stack(changes, high)
    assert best - 1e-9 <= b <= a + 1e-9 <= naive + 2e-9


def test_evidence_weight_scales_case_studies_only() -> None:
    ups = uplifts(("a", "conversion", 40.0, "case_study"), ("b", "conversion", 10.0, "target"))
    out = T.weigh_evidence(ups, 0.25)
    assert list(out["change_pct"]) == [10.0, 10.0]
    assert list(ups["change_pct"]) == [40.0, 10.0]  # input untouched
    with pytest.raises(ValueError, match="case-study weight"):
        T.weigh_evidence(ups, 2.0)


def test_driver_changes_by_hand() -> None:
    ups = uplifts(
        ("ar", "conversion", 22.0, "case_study"),
        ("rec", "conversion", 32.0, "case_study"),
        ("aov", "order_value", 10.0, "target"),
    )
    drivers = ("users", "conversion", "order_value", "frequency")
    table = T.driver_changes(ups, drivers, haircut=0.5, case_study_weight=0.5).set_index("driver")
    assert table.loc["users", "n_initiatives"] == 0
    assert table.loc["users", "adjusted_pct"] == 0.0
    assert table.loc["conversion", "naive_pct"] == pytest.approx((1.22 * 1.32 - 1) * 100)
    assert table.loc["conversion", "haircut_pct"] == pytest.approx((1.32 * 1.11 - 1) * 100)
    assert table.loc["conversion", "adjusted_pct"] == pytest.approx((1.16 * 1.055 - 1) * 100)
    assert table.loc["order_value", "adjusted_pct"] == pytest.approx(10.0)
    total = T.tree_change(table["adjusted_pct"])
    assert total == pytest.approx((1.16 * 1.055 * 1.10 - 1) * 100)


def test_driver_changes_refuses_unknown_drivers() -> None:
    ups = uplifts(("x", "basket", 5.0, "target"))
    with pytest.raises(ValueError, match="basket"):
        T.driver_changes(ups, ("users",), 0.5)


def test_waterfall_steps_add_up() -> None:
    ups = uplifts(("A", "conversion", 20.0, "case_study"), ("B", "conversion", 50.0, "target"))
    wf = T.waterfall(ups, ("conversion",), haircut=1.0, case_study_weight=0.5)
    assert list(wf["label"]) == [
        "Baseline",
        "B",
        "A",
        "Naive total",
        "Overlap haircut",
        "Evidence weight",
        "Adjusted total",
    ]
    rows = wf.set_index("label")
    assert rows.loc["Baseline", "end"] == 100.0
    steps = wf.iloc[1:3]["delta"].sum()
    assert 100.0 + steps == pytest.approx(rows.loc["Naive total", "end"])
    assert rows.loc["Naive total", "end"] == pytest.approx(100 * 1.2 * 1.5)
    assert rows.loc["Overlap haircut", "end"] == pytest.approx(150.0)  # only B counts
    # weight halves A, but A no longer counts: evidence step is zero, target B unchanged
    assert rows.loc["Evidence weight", "delta"] == pytest.approx(0.0)
    assert rows.loc["Adjusted total", "end"] == pytest.approx(150.0)
    assert math.isclose(rows.loc["Overlap haircut", "delta"], 150.0 - 180.0)


def test_waterfall_with_no_uplifts_is_flat() -> None:
    wf = T.waterfall(uplifts(), ("conversion",), 0.5, 0.5)
    assert list(wf["end"]) == [100.0, 100.0, 100.0, 100.0, 100.0]
