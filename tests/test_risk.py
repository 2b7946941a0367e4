"""Chapter 5 (risk): the register, availability, the loss model's inputs and key numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import risk as R
from planbook.data import plan as D
from planbook.engine import params as P
from planbook.engine.registry import get_chapter
from planbook.errors import InputError

REPO = Path(__file__).resolve().parents[1]
CHAPTER = get_chapter("risk")


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


@pytest.fixture(scope="module")
def params():
    return P.validate_params(CHAPTER, {})


def test_every_risk_has_its_two_scores() -> None:
    names = set(P.defaults("risk"))
    for risk in R.RISKS:
        assert {f"likelihood_{risk.key}", f"impact_{risk.key}"} <= names
    assert {r.category for r in R.RISKS} == set(R.CATEGORIES)
    assert [r.section for r in R.RISKS] == sorted(r.section for r in R.RISKS)


def test_register(claims, params) -> None:
    reg = R.register(claims, params).set_index("key")
    assert len(reg) == 12
    assert (reg["score"] == reg["likelihood"] * reg["impact"]).all()
    assert reg.loc["inventory", "score"] == 16 and reg.loc["inventory", "rating"] == "high"
    assert "over 200 million yuan" in reg.loc["data_breach", "evidence"]
    assert "12 million euros" in reg.loc["cross_border", "evidence"]
    assert "99.99%" in reg.loc["system_outage", "targets"]
    assert "C5.3-12" in reg.loc["system_outage", "claim_ids"]
    custom = P.validate_params(CHAPTER, {"likelihood_traffic": 1, "impact_traffic": 1})
    assert R.register(claims, custom).set_index("key").loc["traffic", "rating"] == "low"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (16, "high"),
        (20, "critical"),
        (25, "critical"),
    ],
)
def test_rating_bands(score: int, band: str) -> None:
    assert R.rating(score) == band


def test_rating_refuses_impossible_scores() -> None:
    with pytest.raises(ValueError, match="between 1 and 25"):
        R.rating(26)


def test_heat_grid(claims, params) -> None:
    grid = R.heat_grid(R.register(claims, params))
    assert grid.shape == (5, 5)
    assert list(grid.index) == [5, 4, 3, 2, 1]
    assert int(grid.to_numpy().sum()) == 12
    assert grid.loc[3, 5] == 1  # traffic: likelihood 5, impact 3


@pytest.mark.parametrize(
    ("value", "unit", "bound", "text"),
    [
        (15, "100m_yuan", None, "1,500 million yuan"),
        (5000, "10k_yuan", None, "50 million yuan"),
        (1200, "10k_eur", None, "12 million euros"),
        (2, "100m_yuan", "gt", "over 200 million yuan"),
        (0.28, "index", None, "0.28"),
        (92, "score", "gt", "over 92 out of 100"),
        (3, "months", None, "3 months"),
    ],
)
def test_describe_value(value, unit, bound, text) -> None:
    row = pd.Series({"value": value, "unit": unit, "bound": bound})
    assert R.describe_value(row) == text


def test_outage_figures_and_availability(claims) -> None:
    f = R.outage_figures(claims)
    assert f["loss_rate"] == 75.0  # 300 million yuan over 4 hours
    assert f["recovery_after_h"] == 0.5
    av = R.availability_view(claims, 0.5)
    assert av["target_downtime_min"] == pytest.approx(52.56)
    assert av["max_outages_before"] == pytest.approx(0.219)
    assert av["max_outages_after"] == pytest.approx(1.752)
    assert av["expected_loss_before"] == pytest.approx(150.0)
    assert av["expected_loss_after"] == pytest.approx(18.75)
    assert av["target_loss_at_rate"] == pytest.approx(0.876 * 75)


def test_loss_events_anchor_on_the_plan(claims, params) -> None:
    ev = R.loss_events(claims, params).set_index("event")
    assert list(ev["severity"]) == pytest.approx([1500, 200, 300, 50, 1200e4 * 7.66 / 1e6, 6])
    assert ev.loc["overstock", "severity_cut"] == pytest.approx(1 - 10 / 25)
    assert ev.loc["outage", "severity_cut"] == pytest.approx(1 - 0.5 / 4)
    assert ev.loc["data_breach", "frequency_cut"] == 0.8
    assert ev.loc["tax_fine", "frequency_cut"] == 1.0
    assert ev.loc["advertising_fine", "frequency_cut"] == 0.95
    assert ev.loc["outage", "severity_ids"] == "C5.3-12, C5.3-11"
    dearer = P.validate_params(CHAPTER, {"eur_cny": 8.0})
    assert R.loss_events(claims, dearer).set_index("event").loc["tax_fine", "severity"] == 96.0


def test_loss_summary(claims, params) -> None:
    s = R.loss_summary(claims, params)
    analytic = 0.1 * 1500 + 0.3 * 200 + 0.5 * 300 + 0.2 * 50 + 0.1 * 91.92 + 0.5 * 6
    assert s["analytic_before"] == pytest.approx(analytic)
    assert abs(s["expected_before"] - analytic) < 4 * s["standard_error_before"]
    assert s["avoided_expected"] == pytest.approx(s["expected_before"] - s["expected_after"])
    assert s["quantile_before"] > s["expected_before"]


def test_realisation_sweep_is_linear(claims, params) -> None:
    sweep = R.realisation_sweep(claims, params, [0.0, 0.5, 1.0])
    assert sweep["avoided"].iloc[0] == 0.0
    assert sweep["avoided"].iloc[1] < sweep["avoided"].iloc[2]
    assert sweep["expected_after"].iloc[0] == pytest.approx(
        R.loss_summary(claims, params)["analytic_before"]
    )


def test_tail_by_sigma_keeps_the_mean(claims, params) -> None:
    table = R.tail_by_sigma(claims, params, [0.5, 1.5], 50_000)
    assert table["expected_before"].iloc[0] == pytest.approx(
        table["expected_before"].iloc[1], rel=0.05
    )


def test_internal_checks(claims) -> None:
    checks = R.internal_checks(claims, 2.0)
    assert list(checks["verdict"]) == [
        "inconsistent",  # one 4-hour outage does not fit in 99.99%
        "consistent",  # one 30-minute outage does
        "consistent",  # 4.4 and 5.3 recovery times are the same figures
        "within tolerance",  # 3.5 / 2.1 - 1 = 66.7% against 68%
        "inconsistent",  # spoilage 10% (4.2) against 12% (5.1)
    ]
    assert checks["recomputed"].iloc[3] == pytest.approx((3.5 / 2.1 - 1) * 100)
    assert R.internal_checks(claims, 1.0)["verdict"].iloc[3] == "inconsistent"


def test_headline(claims, params) -> None:
    h = R.headline(params, claims)
    assert h["risks_high_or_critical"] == 6
    assert h["target_downtime_min"] == pytest.approx(52.56)
    assert h["outage_loss_before"] == pytest.approx(150.0)
    assert h["loss_avoided"] > 0
    assert R.headline(params, claims) == h  # seeded: the same numbers every time


def test_compute_names_what_the_page_shows(claims, params) -> None:
    r = R.compute(params, claims)
    assert (r.n_risks, r.ch5_claims, r.n_risks_high, r.top_score) == (12, 61, 6, 16)
    assert r.top_risk == "overstock and unsold goods"
    assert (r.n_evidence, r.n_growth, r.n_evidence_single, r.n_level) == (24, 8, 7, 9)
    assert r.downtime_min == pytest.approx(52.56) and r.old_vs_budget == pytest.approx(4.5662100)
    assert (r.rec_verdict, r.roas_verdict, r.spoil_verdict) == (
        "consistent", "within tolerance", "inconsistent"
    )  # fmt: skip
    assert (r.spend_rise, r.spoil_42, r.spoil_51) == (pytest.approx(200 / 3), 10, 12)
    assert (r.top_event, r.second_event, r.tail_event, r.top_avoided) == (
        "overstock", "outage", "overstock", "outage"
    )  # fmt: skip
    assert r.eb == pytest.approx(382.84807897987616)
    assert (r.avoided_half, r.avoided_full) == (pytest.approx(143.646), pytest.approx(287.292))
    assert r.p_freq_outage == params.freq_outage and r.hours_per_year == 8760
    assert list(r.sweep["realisation"]) == list(R.REALISATIONS)
    assert list(r.by_sigma["severity_sigma"]) == list(R.SIGMAS)
    assert r.exceedance_before["p_exceed"].is_monotonic_decreasing
    assert set(R.REGISTER_COLUMNS) <= set(r.register.columns)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("likelihood_inventory=6", "at most 5"),
        ("impact_cost=0", "at least 1"),
        ("draws=100", "at least 10000"),
        ("freq_outage=lots", "must be a number"),
        ("mitigation_realisation=2", "at most 1"),
        ("seed=1.5", "whole number"),
    ],
)
def test_bad_values_are_refused(item: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        P.resolve(CHAPTER, None, P.parse_set([item], CHAPTER))


@pytest.mark.slow
def test_glued_numbers_move_with_their_parameters(default_values, run_chapter) -> None:
    """More outages raise the outage loss; weaker mitigation avoids less; a lower
    likelihood takes a risk out of the high band."""
    default = default_values("risk")
    changed = run_chapter(
        "risk", freq_outage=2.0, mitigation_realisation=0.5, likelihood_inventory=1
    )
    assert changed["el_before"] > default["el_before"]
    assert changed["n_risks_high"] < default["n_risks_high"]
    assert changed["avoided_share"] < default["avoided_share"]
    assert changed["loss_draws"] == default["loss_draws"]
