"""Chapter 7 (timeline): phase windows, contradictions, glide tables and the alert rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import timeline as T
from planbook.data import plan as D
from planbook.engine.params import TimelineParams

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


@pytest.fixture(scope="module")
def sections() -> pd.DataFrame:
    return D.load_sections(REPO / "data")


@pytest.mark.parametrize(
    ("period", "year", "window"),
    [
        ("years 1-2", 1, (0.0, 24.0)),
        ("years 3-4", 1, (24.0, 48.0)),
        ("years 5+", 1, (48.0, None)),
        ("year 3", 1, (24.0, 36.0)),
        ("months 1-6", 1, (0.0, 6.0)),
        ("months 19-36", 1, (18.0, 36.0)),
        ("12 months", 1, (0.0, 12.0)),
        ("3 years", 1, (0.0, 36.0)),
        ("Q1", 1, (0.0, 3.0)),
        ("Q4", 2, (21.0, 24.0)),
        ("monthly", 1, None),
        ("unspecified", 1, None),
        ("2025", 1, None),
    ],
)
def test_period_window(period, year, window) -> None:
    assert T.period_window(period, year) == window


def test_period_window_refuses_year_zero() -> None:
    with pytest.raises(ValueError, match="milestone_year"):
        T.period_window("Q1", 0)


def test_phases_on_one_axis(claims, sections) -> None:
    ph = T.phases(claims, sections)
    assert list(dict.fromkeys(ph["section"])) == list(T.PHASE_SECTIONS)
    assert T.horizon_months(claims) == 60  # the 5-year horizons of plan 3.1
    open_phase = ph[ph["open_ended"]].iloc[0]
    assert (open_phase["section"], open_phase["start"], open_phase["end"]) == ("3.2", 48, 60)
    q = ph[ph["section"] == "7.3"]
    assert q["milestone"].all() and q["end"].max() == 12
    assert T.stated_cycle_months(claims) == pytest.approx(36)


def test_workstreams_cover_every_phase_target(claims) -> None:
    targets = T.phase_targets(claims)
    assert (targets["workstream"] != "Other").all(), targets.loc[
        targets["workstream"] == "Other", "metric"
    ].tolist()


def test_contradictions(claims) -> None:
    gaps = T.contradictions(claims)
    assert set(gaps["rule"]) <= set(T.CONTRADICTION_RULES)
    deadline = gaps[gaps["rule"] == "same target, different deadline"].set_index("subject")
    # the nine targets 3.2 and 7.1 share, due 12-24 months apart
    assert len(deadline) == 9
    assert deadline.loc["ai system investment", "gap_months"] == 12  # month 24 vs 12
    assert deadline.loc["streamers incubated", "gap_months"] == 24  # month 48 vs 24
    assert deadline.loc["c2m manufacturing partners", "gap_months"] == 12  # from 48 vs 36
    values = gaps[gaps["rule"] == "same metric, different target"]
    assert set(values["subject"]) == {"inventory turnover days", "fresh produce spoilage rate"}
    horizon = gaps[gaps["rule"] == "different horizon"]
    assert horizon["plan_b"].tolist() == ["3.2"]  # 7.2 runs exactly the 36 months of 7.1
    streams = gaps[gaps["rule"] == "same workstream, disjoint windows"]
    assert set(streams["subject"]) == {"Overseas expansion", "Metaverse"}


def test_milestone_year_moves_the_metaverse_contradiction(claims) -> None:
    later = T.contradictions(claims, milestone_year=2)
    streams = later[later["rule"] == "same workstream, disjoint windows"]
    assert "Metaverse" not in set(streams["subject"])  # Q4 of year 2 is inside months 19-36
    # ... but the AI milestones (Q1-Q2 of year 2) now come after 7.1's and 7.2's AI work
    ai = streams[streams["subject"] == "AI and recommendation"]
    assert set(ai["plan_a"]) == {"7.1", "7.2"}


def test_glide_table(claims) -> None:
    g = T.glide_table(claims, "linear", 2.0).set_index(["kpi", "target_section"])
    rep = g.loc[("Repurchase rate", "3.1")]
    assert (rep["baseline"], rep["target"], rep["deadline_month"]) == (30, 40, 12)
    assert rep["step"] == pytest.approx(10 / 12)
    assert (rep["months_stricter"], rep["months_looser"], rep["months_disagree"]) == (5, 6, 11)
    cac = g.loc[("Customer acquisition cost", "3.1")]
    assert cac["months_stricter"] == 12  # 150 is below even the 157 due at month 12
    inv = g.loc["Inventory turnover days"]
    assert sorted(inv["deadline_month"]) == [12, 24]  # 7.1 year 1 and 3.2 years 1-2
    geo = T.glide_table(claims, "geometric", 2.0).set_index(["kpi", "target_section"])
    assert geo.loc[("Repurchase rate", "3.1"), "step"] == pytest.approx(
        ((40 / 30) ** (1 / 12) - 1) * 100
    )
    loose = T.glide_table(claims, "linear", 10.0)
    assert loose["months_disagree"].sum() < g["months_disagree"].sum()


def test_glide_frame(claims) -> None:
    f = T.glide_frame(claims, "linear", 2.0)
    inv = f[(f["kpi"] == "Inventory turnover days") & (f["target_section"] == "7.1")]
    assert inv["month"].max() == 24  # drawn to the later of the two deadlines
    assert inv.set_index("month").loc[18, "path"] == 90
    assert inv.set_index("month").loc[18, "stance"] == "after deadline"


def test_alert_threshold(claims) -> None:
    assert T.alert_threshold(claims) == pytest.approx(0.10)  # plan 7.3
    assert T.alert_threshold(claims, 15) == pytest.approx(0.15)


def test_compute_names_the_page_numbers(claims, sections) -> None:
    """The page's numbers by name, as the notebook glued them before they moved here."""
    r = T.compute(TimelineParams(), claims, sections)
    assert r.says.periods_3_2 == "years 1-2, years 3-4 and years 5+"
    assert (r.says.ch7_claims, r.says.n_milestones, r.says.cycle_years) == (51, 4, 3.0)
    assert (r.axis.n_plans, r.axis.n_phases, r.axis.horizon_months, r.axis.gap_last) == (
        4,
        13,
        60,
        12,
    )
    assert r.axis.global_start_7_2 == 19
    assert list(dict.fromkeys(r.axis.streams["workstream"]))[0] == "AI and recommendation"
    assert (r.conflicts.n_conflicts, r.conflicts.gap_min, r.conflicts.gap_max) == (15, 12, 24)
    assert r.conflicts.stream_list == "overseas expansion and metaverse"
    assert (r.kpis.rep_stricter, r.kpis.rep_looser, r.kpis.rep_agree) == (5, 6, 1)
    assert r.kpis.rep_mid == pytest.approx(35.0)
    assert r.kpis.inv_deadlines == "month 12 (7.1) and month 24 (3.2)"
    assert (r.kpis.kpi_disagree, r.kpis.kpi_checked) == (65, 66)
    assert [set(p["kpi"]) for p in r.kpis.panels] == [
        {"Repurchase rate", "Customer acquisition cost"},
        {"Inventory turnover days", "Fresh produce spoilage rate"},
    ]
    assert r.alarm.fa_exact == pytest.approx(4.586157461827478)
    assert r.alarm.sigma_once_a_year == pytest.approx(5.772324622946604)
    assert r.alarm.curve["sigma_pct"].iloc[0] == pytest.approx(1.0)
    assert (r.assumptions.latest_year, r.assumptions.threshold_value) == (2023, "empty")


def test_headline_is_fast_and_moves_with_noise(claims) -> None:
    h = T.headline(TimelineParams(), claims)
    assert h["phase_plans"] == 4 and h["max_deadline_gap_months"] == 24
    assert h["false_alarm_rate_exact_pct"] == pytest.approx(4.586, abs=1e-3)
    assert abs(h["false_alarm_rate_pct"] - h["false_alarm_rate_exact_pct"]) < 0.2
    noisier = T.headline(TimelineParams(noise_pct=8.0), claims)
    assert noisier["false_alarm_rate_pct"] > h["false_alarm_rate_pct"]


@pytest.mark.slow
def test_glued_numbers_move_with_their_parameters(default_values, run_chapter) -> None:
    base = default_values("timeline")
    moved = run_chapter("timeline", noise_pct=8.0, kpi_tolerance_pct=5.0, milestone_year=2)
    # alert model: more noise, more false alarms
    assert moved["fa_rate"] > base["fa_rate"]
    assert moved["fa_exact"] > base["fa_exact"]
    # glide paths: a looser tolerance, fewer months in disagreement
    assert moved["kpi_disagree"] < base["kpi_disagree"]
    # phase plans: milestones in year 2 no longer clash with 7.2's metaverse phase
    assert "polishes the metaverse" in base["metaverse_note"]
    assert "falls inside" in moved["metaverse_note"]
