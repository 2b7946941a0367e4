"""Glide paths and the comparison of a fixed KPI with them, against hand-computed values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.methods.models import glide_path as G


def test_linear_path_takes_equal_steps_and_holds_after_the_deadline() -> None:
    p = G.path(30, 40, 12, "linear", horizon=15)
    assert p.loc[0] == 30 and p.loc[12] == 40 and p.loc[15] == 40
    assert p.loc[6] == pytest.approx(35)
    assert p.diff().iloc[1:13].tolist() == pytest.approx([10 / 12] * 12)
    assert p.index.name == "month" and len(p) == 16


def test_geometric_path_takes_equal_percentage_steps() -> None:
    p = G.path(30, 40, 12, "geometric")
    assert p.loc[6] == pytest.approx(30 * (40 / 30) ** 0.5)
    ratios = (p / p.shift()).iloc[1:]
    assert ratios.tolist() == pytest.approx([(40 / 30) ** (1 / 12)] * 12)
    # a rising geometric path lies below the straight line in between
    assert p.loc[6] < G.path(30, 40, 12, "linear").loc[6]


def test_step() -> None:
    assert G.step(120, 90, 12, "linear") == pytest.approx(-2.5)
    assert G.step(100, 70, 3, "geometric") == pytest.approx((0.7 ** (1 / 3) - 1) * 100)


def test_fraction_of_path_clips_to_the_ends() -> None:
    assert G.fraction_of_path(100, 70, 2, 3) == pytest.approx(80)
    assert G.fraction_of_path(100, 70, -1, 3) == 100
    assert G.fraction_of_path(100, 70, 9, 3) == 70
    assert G.fraction_of_path(100, 70, 1.5, 3, "geometric") == pytest.approx(100 * 0.7**0.5)


def test_compare_kpi_rising_target() -> None:
    # repurchase 30% -> 40% in 12 months, KPI 35% every month, tolerance 2% of the path
    cmp = G.compare_kpi(G.path(30, 40, 12), 35, lower_is_better=False, tolerance_pct=2)
    assert list(cmp.index) == list(range(1, 13))
    assert (cmp["stance"] == "stricter").sum() == 5  # months 1-5: the KPI is above the path
    assert cmp.loc[6, "stance"] == "agrees"
    assert (cmp["stance"] == "looser").sum() == 6
    assert cmp.loc[12, "gap_pct"] == pytest.approx((35 - 40) / 40 * 100)


def test_compare_kpi_falling_target() -> None:
    # acquisition cost 185 -> 157 yuan; a KPI of 150 asks for more than the path every month
    cmp = G.compare_kpi(G.path(185, 157, 12), 150, lower_is_better=True, tolerance_pct=2)
    assert (cmp["stance"] == "stricter").all()
    loose = G.compare_kpi(G.path(185, 157, 12), 150, lower_is_better=True, tolerance_pct=30)
    assert loose["agrees"].all()


@settings(max_examples=50, deadline=None)
@given(
    b=st.floats(1, 1000),
    t=st.floats(1, 1000),
    n=st.integers(1, 60),
    shape=st.sampled_from(G.SHAPES),
)
def test_paths_run_between_their_ends(b, t, n, shape) -> None:
    p = G.path(b, t, n, shape)
    assert p.iloc[0] == pytest.approx(b) and p.iloc[-1] == pytest.approx(t)
    lo, hi = min(b, t), max(b, t)
    assert ((p >= lo - 1e-9 * hi) & (p <= hi + 1e-9 * hi)).all()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: G.path(100, 0, 3, "geometric"), "positive baseline and target"),
        (lambda: G.path(100, 70, 3, "cubic"), "unknown path shape"),
        (lambda: G.path(100, 70, 0), "at least 1"),
        (lambda: G.step(100, 70, 0), "must be positive"),
        (lambda: G.compare_kpi(G.path(1, 2, 3), 1.5, False, -1), "must not be negative"),
    ],
)
def test_bad_inputs_are_refused(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()
