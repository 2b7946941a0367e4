"""Chapter 9 (innovation): source gaps, deadlines, green paths and social-commerce arithmetic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.chapters import innovation as I
from planbook.data import plan as D
from planbook.engine.params import InnovationParams

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


@pytest.fixture(scope="module")
def sections() -> pd.DataFrame:
    return D.load_sections(REPO / "data")


def test_states_come_from_sections_csv(claims, sections) -> None:
    states = I.section_states(claims, sections).set_index("section")
    assert states.loc["9.1", "state"] == "empty" and states.loc["9.1", "n_claims"] == 0
    assert states.loc["9.4", "state"] == "cut" and states.loc["9.4", "n_claims"] == 1
    assert I.incomplete(sections)["section"].tolist() == ["9.1", "9.4"]
    assert I.sections_in_state(sections, "empty") == "9.1"
    assert I.sections_in_state(sections, "missing", chapter=10) == "10.1, 10.2, 10.3 and 10.4"
    assert I.sections_in_state(sections, "cut", chapter=1) == "none"


def test_content_traffic_share_hand_computed() -> None:
    # 25% of GMV at 12% vs an average of 5%, equal order values: s = 0.25 * 0.05 / 0.12
    assert I.content_traffic_share(0.12, 0.05, 0.25) == pytest.approx(0.0125 / 0.12)
    assert I.content_traffic_share(0.12, 0.05, 0.25, 1.2) == pytest.approx(
        0.0125 / (0.12 * (1.2 * 0.75 + 0.25))
    )
    assert I.max_content_share(0.12, 0.05) == pytest.approx(5 / 12)


@settings(max_examples=60, deadline=None)
@given(
    avg=st.floats(0.01, 0.2),
    lift=st.floats(1.1, 4.0),
    g=st.floats(0.01, 0.9),
    r=st.floats(0.2, 5.0),
)
def test_content_traffic_share_gives_back_the_gmv_share(avg, lift, g, r) -> None:
    content = min(avg * lift, 1.0)
    s = I.content_traffic_share(content, avg, g, r)
    other = (avg - s * content) / (1 - s)
    assert other >= -1e-12  # never beyond the share the average allows
    share = s * content * r / (s * content * r + (1 - s) * other)
    assert share == pytest.approx(g, rel=1e-9)


def test_content_conversion_from_the_claims(claims) -> None:
    c = I.content_conversion(claims)
    assert (c["content"], c["average"]) == (12, 5)
    assert c["multiple"] == pytest.approx(2.4)
    assert c["difference_pp"] == pytest.approx(7) and c["uplift_pct"] == pytest.approx(140)
    assert c["stated_multiple_6_4"] == 3
    assert c["traffic_share"] == pytest.approx(100 * 0.25 * 5 / 12)
    assert I.content_conversion(claims, 2.0)["traffic_share"] < c["traffic_share"]


def test_multiple_readings() -> None:
    assert I.multiple_readings(8, 3) == pytest.approx({"times_as_much": 8 / 3, "times_more": 2})
    with pytest.raises(ValueError, match="positive"):
        I.multiple_readings(8, 0)


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2025", (2025, "stated")),
        ("year 2", (2025, "relative")),
        ("3 years", (2026, "relative")),
        ("months 7-18", (2025, "relative")),
        ("unspecified", (2026, "assumed")),
    ],
)
def test_deadline_year(period, expected) -> None:
    assert I.deadline_year(period, 2024, 3) == expected


def test_status_boundaries() -> None:
    assert I.status(2025, 2026) == "passed"
    assert I.status(2026, 2026) == "due this year"
    assert I.status(2027, 2026) == "open"


def test_deadlines_move_with_the_as_of_year(claims) -> None:
    now = I.deadlines(claims, 2024, 2026)
    assert now.set_index("id").loc["C9.2-07", "status"] == "passed"  # carbon-neutral by 2025
    assert (now["status"] == "passed").sum() == 1
    later = I.deadlines(claims, 2024, 2027)
    assert (later["status"] == "passed").sum() == len(later)
    longer = I.deadlines(claims, 2024, 2027, unstated=5)
    assert (longer["status"] == "passed").sum() == 1


def test_green_paths(claims) -> None:
    g = I.green_paths(claims, 2024, 2026).set_index("label")
    pack = g.loc["Packaging material"]
    assert (pack["cut_pct"], pack["deadline_year"], pack["deadline_basis"]) == (30, 2026, "assumed")
    assert pack["yearly_step"] == pytest.approx(10)  # 30 points over 3 years
    assert pack["expected_by_as_of"] == pytest.approx(20)  # 2 of 3 years elapsed
    neutral = g.loc["Logistics emissions (net)"]
    assert (neutral["deadline_year"], neutral["status"], neutral["years"]) == (2025, "passed", 2)
    geo = I.green_paths(claims, 2024, 2026, "geometric").set_index("label")
    assert geo.loc["Packaging material", "yearly_step"] == pytest.approx((1 - 0.7 ** (1 / 3)) * 100)
    assert geo.loc["Logistics emissions (net)", "shape"] == "linear"  # never geometric to zero
    frame = I.green_path_frame(g.reset_index(), 2024, 2027)
    pk = frame[frame["label"] == "Packaging material"].set_index("year")["index"]
    assert pk.loc[2024] == 100 and pk.loc[2027] == pytest.approx(70)


def test_same_metric_elsewhere(claims) -> None:
    echo = I.same_metric_elsewhere(claims)
    pack = echo[echo["id"] == "C9.2-02"].iloc[0]
    assert (pack["other_id"], pack["same_value"]) == ("C8.2-05", True)
    assert not echo["other_id"].str.startswith("C9.").any()


def test_related_figures(claims) -> None:
    cross = I.related_figures(claims, r"cross_border|overseas")
    assert len(cross) > 0 and (cross["chapter"] != 9).all()


def test_headline_is_fast_and_moves(claims) -> None:
    h = I.headline(InnovationParams(), claims)
    assert h["content_conversion_multiple"] == pytest.approx(2.4)
    assert h["targets_passed"] == 1
    later = I.headline(InnovationParams(as_of_year=2028), claims)
    assert later["targets_passed"] > h["targets_passed"]


def test_compute_names_the_page_numbers(claims, sections) -> None:
    """The page's numbers by name, as the notebook glued them before they moved here."""
    r = I.compute(InnovationParams(), claims, sections)
    assert (r.source.empty_sections, r.source.cut_sections) == ("9.1", "9.4")
    assert r.source.claims_by_section == "7 in 9.2, 10 in 9.3 and 1 in 9.4; none in 9.1"
    assert r.source.ai_sections == "1.3, 3.2, 3.4, 4.3, 6.1, 6.2, 7.1, 7.2 and 7.3"
    assert (r.green.pack_step, r.green.pack_expected, r.green.pack_status) == (
        10.0,
        20.0,
        "due this year",
    )
    assert r.green.neutral_status_text == "passed, with no reported result"
    assert r.green.footprint_years == 3.0
    assert (r.deadlines.n_deadlines, r.deadlines.n_passed, r.deadlines.n_due) == (8, 1, 7)
    assert r.deadlines.status_text == "1 passed before 2026 and 7 fall in 2026; none later"
    assert r.deadlines.stated_text == "Only 1 deadline is"
    assert r.commerce.traffic_share == pytest.approx(10.416666666666668)
    assert (r.commerce.rep_12m, r.commerce.rep_81) == (40.0, 45.0)
    assert len(r.commerce.curve) == 51
    assert (r.elsewhere.n_echo_rows, r.elsewhere.n_echo_same, r.elsewhere.n_cross) == (10, 13, 22)
    assert r.assumptions.unstated_value == "empty"


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="content conversion"):
        I.content_traffic_share(0.05, 0.12, 0.25)
    with pytest.raises(ValueError, match="gmv_share"):
        I.content_traffic_share(0.12, 0.05, 1.5)
    with pytest.raises(ValueError, match="aov_ratio"):
        I.content_traffic_share(0.12, 0.05, 0.25, 0)


@pytest.mark.slow
def test_glued_numbers_move_with_their_parameters(default_values, run_chapter) -> None:
    base = default_values("innovation")
    moved = run_chapter(
        "innovation", as_of_year=2028, content_aov_ratio=1.5, path_shape="geometric"
    )
    # deadlines: a later as-of year, more targets past their deadline
    assert moved["n_passed"] > base["n_passed"]
    # social commerce: dearer content-driven orders need less content-driven traffic
    assert moved["traffic_share"] < base["traffic_share"]
    # green paths: equal percentage cuts ask for a larger first-year cut than equal points
    assert moved["pack_step"] > base["pack_step"]
