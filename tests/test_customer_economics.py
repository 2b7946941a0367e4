"""The customer-economics model against hand-computed cases, and its inputs from the plan."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.data import plan as D
from planbook.errors import InputError
from planbook.methods.models import customer_economics as CE

REPO = Path(__file__).resolve().parents[1]


def econ(**changes: float) -> CE.CustomerEconomics:
    base = dict(
        cac=25.0,
        order_value=100.0,
        margin=0.1,
        repurchase=1.0,
        orders_per_year=1.0,
        discount_rate=0.0,
        lifetime_years=5.0,
    )
    return CE.CustomerEconomics(**{**base, **changes})


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


def test_one_order_when_nobody_comes_back() -> None:
    e = econ(repurchase=0.0)
    assert CE.expected_orders(e) == 1.0
    assert CE.lifetime_value(e) == pytest.approx(10.0)
    assert CE.ltv_to_cac(e) == pytest.approx(0.4)


def test_geometric_orders_cut_off_by_the_lifetime() -> None:
    e = econ(repurchase=0.5, lifetime_years=3.0)
    assert e.max_orders == 3
    assert CE.expected_orders(e) == pytest.approx(1 + 0.5 + 0.25)
    assert CE.lifetime_value(e) == pytest.approx(10 * 1.75)


def test_discounting_by_the_time_of_each_order() -> None:
    e = econ(discount_rate=0.1, lifetime_years=2.0)
    assert CE.lifetime_value(e) == pytest.approx(10 * (1 + 1 / 1.1))
    twice = econ(discount_rate=0.1, lifetime_years=1.0, orders_per_year=2.0)
    assert CE.lifetime_value(twice) == pytest.approx(10 * (1 + 1.1**-0.5))


def test_max_orders_counts_orders_before_the_lifetime_ends() -> None:
    assert econ(lifetime_years=2.5, orders_per_year=2.0).max_orders == 5
    assert econ(lifetime_years=2.4, orders_per_year=2.0).max_orders == 5
    assert econ(lifetime_years=0.1, orders_per_year=1.0).max_orders == 1


def test_order_schedule_sums_to_the_lifetime_value() -> None:
    e = econ(repurchase=0.3, discount_rate=0.08, orders_per_year=2.0)
    table = CE.order_schedule(e)
    assert len(table) == e.max_orders
    assert table["years"].tolist()[:3] == [0.0, 0.5, 1.0]
    assert table["cumulative_expected_profit"].iloc[-1] == pytest.approx(CE.lifetime_value(e))


def test_payback_for_a_customer_who_keeps_buying() -> None:
    pb = CE.payback(econ())  # 10 yuan an order against 25
    assert pb.orders_undiscounted == pytest.approx(2.5)
    assert (pb.orders, pb.years, pb.probability) == (3.0, 2.0, 1.0)
    assert pb.years_undiscounted == 2.0
    half = CE.payback(econ(repurchase=0.5))
    assert half.probability == pytest.approx(0.25)


def test_payback_never_within_the_lifetime() -> None:
    pb = CE.payback(econ(cac=1000.0))
    assert math.isinf(pb.orders) and math.isinf(pb.years) and pb.probability == 0.0
    assert pb.orders_undiscounted == pytest.approx(100.0)
    assert pb.years_undiscounted == 99.0
    assert math.isinf(CE.payback(econ(margin=0.0)).orders_undiscounted)


def test_break_even_margin_and_repurchase_make_ltv_equal_cac() -> None:
    e = econ(cac=60.0, repurchase=0.3, discount_rate=0.08, orders_per_year=2.0)
    m = CE.break_even_margin(e)
    assert CE.lifetime_value(replace(e, margin=m)) == pytest.approx(e.cac)
    r = CE.break_even_repurchase(e)
    assert 0 < r < 1
    assert CE.lifetime_value(replace(e, repurchase=r)) == pytest.approx(e.cac)
    assert CE.break_even_repurchase(econ(cac=5.0)) == 0.0
    assert math.isnan(CE.break_even_repurchase(econ(cac=1000.0)))


def test_evaluate_gives_every_output() -> None:
    out = CE.evaluate(econ(repurchase=0.5))
    assert out["profit_per_customer"] == pytest.approx(out["ltv"] - out["cac"])
    assert out["ltv_to_cac"] == pytest.approx(out["ltv"] / 25)
    assert {"payback_orders", "break_even_margin", "break_even_repurchase"} <= set(out)


def test_sweep_varies_one_input() -> None:
    table = CE.sweep(econ(repurchase=0.0), "repurchase", [0.0, 0.5, 0.9])
    assert table["repurchase"].tolist() == [0.0, 0.5, 0.9]
    assert table["ltv"].is_monotonic_increasing
    with pytest.raises(InputError, match="cannot vary 'colour'"):
        CE.sweep(econ(), "colour", [1])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"margin": 3.5}, "margin is a fraction"),
        ({"repurchase": -0.1}, "repurchase is a fraction"),
        ({"cac": 0.0}, "cac must be positive"),
        ({"orders_per_year": -1.0}, "orders_per_year must be positive"),
        ({"discount_rate": -1.0}, "discount_rate must be above -1"),
        ({"order_value": float("nan")}, "order_value must be a finite number"),
    ],
)
def test_bad_inputs_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        econ(**changes)


@settings(max_examples=60, deadline=None)
@given(
    margin=st.floats(0.01, 0.9),
    repurchase=st.floats(0.0, 0.95),
    discount=st.floats(0.0, 0.3),
    step=st.floats(0.01, 0.05),
)
def test_ltv_rises_with_margin_and_repurchase_and_falls_with_discounting(
    margin: float, repurchase: float, discount: float, step: float
) -> None:
    e = econ(margin=margin, repurchase=repurchase, discount_rate=discount, orders_per_year=2.0)
    ltv = CE.lifetime_value(e)
    assert CE.lifetime_value(replace(e, margin=margin + step)) > ltv
    assert CE.lifetime_value(replace(e, repurchase=min(repurchase + step, 1.0))) > ltv
    assert CE.lifetime_value(replace(e, discount_rate=discount + step)) <= ltv


def test_from_plan_takes_the_plans_figures(claims) -> None:
    e, inputs = CE.from_plan(claims, discount_rate_pct=8, lifetime_years=5)
    assert e.cac == 185
    assert e.order_value == pytest.approx(185 * 2.1)
    assert e.margin == pytest.approx(0.035)
    assert e.repurchase == pytest.approx(0.30)
    assert e.orders_per_year == pytest.approx(6 / 3)
    assert e.discount_rate == pytest.approx(0.08)
    sources = inputs.set_index("input")["source"]
    assert "C2.1-05" in sources["Acquisition cost"]
    assert "C5.2-03" in sources["Order value"]
    assert sources["Discount rate"] == "parameter"


def test_from_plan_parameters_replace_the_plans_figures(claims) -> None:
    e, inputs = CE.from_plan(
        claims,
        discount_rate_pct=0,
        lifetime_years=3,
        order_value_yuan=100,
        orders_per_year=4,
        margin_pct=20,
        repurchase_rate_pct=50,
        cac_yuan=150,
    )
    assert (e.order_value, e.orders_per_year, e.margin, e.repurchase, e.cac) == (
        100,
        4,
        0.2,
        0.5,
        150,
    )
    assert set(inputs["source"]) == {"parameter"}
    cheaper, _ = CE.from_plan(claims, discount_rate_pct=8, lifetime_years=5, cac_yuan=150)
    assert cheaper.order_value == pytest.approx(185 * 2.1)  # from the plan's cost, not 150
