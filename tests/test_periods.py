"""The plan's periods: every form in the claims table parsed once, and what each caller reads."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from planbook.data.periods import KINDS, PERIOD_RE, Period, parse_period

REPO = Path(__file__).resolve().parents[1]
INF = math.inf

# text: (kind, first, last, window, horizon_years, whole_years, due_month)
EXPECTED: dict[str, tuple] = {
    "2015": ("year", 2015, 2015, None, None, None, None),
    "2020": ("year", 2020, 2020, None, None, None, None),
    "2021": ("year", 2021, 2021, None, None, None, None),
    "2022": ("year", 2022, 2022, None, None, None, None),
    "2023": ("year", 2023, 2023, None, None, None, None),
    "2025": ("year", 2025, 2025, None, None, None, None),
    "2008-2012": ("year_range", 2008, 2012, None, None, None, None),
    "2020-2023": ("year_range", 2020, 2023, None, None, None, None),
    "2 years": ("duration_years", 1, 2, (0.0, 24.0), 2.0, 2, 24.0),
    "3 years": ("duration_years", 1, 3, (0.0, 36.0), 3.0, 3, 36.0),
    "5 years": ("duration_years", 1, 5, (0.0, 60.0), 5.0, 5, 60.0),
    "6 months": ("duration_months", 1, 6, (0.0, 6.0), 0.5, 1, 6.0),
    "12 months": ("duration_months", 1, 12, (0.0, 12.0), 1.0, 1, 12.0),
    "year 1": ("plan_years", 1, 1, (0.0, 12.0), 1.0, 1, 12.0),
    "year 2": ("plan_years", 2, 2, (12.0, 24.0), 2.0, 2, 24.0),
    "year 3": ("plan_years", 3, 3, (24.0, 36.0), 3.0, 3, 36.0),
    "years 1-2": ("plan_years", 1, 2, (0.0, 24.0), 2.0, 2, 24.0),
    "years 3-4": ("plan_years", 3, 4, (24.0, 48.0), 4.0, 4, 48.0),
    "years 5+": ("plan_years_open", 5, None, (48.0, INF), 5.0, None, 48.0),
    "months 1-6": ("plan_months", 1, 6, (0.0, 6.0), 0.5, 1, 6.0),
    "months 7-18": ("plan_months", 7, 18, (6.0, 18.0), 1.5, 2, 18.0),
    "months 19-36": ("plan_months", 19, 36, (18.0, 36.0), 3.0, 3, 36.0),
    "Q1": ("quarter", 1, 1, None, None, None, None),
    "Q2": ("quarter", 2, 2, None, None, None, None),
    "Q3": ("quarter", 3, 3, None, None, None, None),
    "Q4": ("quarter", 4, 4, None, None, None, None),
    "annual": ("recurring", None, None, None, None, None, None),
    "quarterly": ("recurring", None, None, None, None, None, None),
    "monthly": ("recurring", None, None, None, None, None, None),
    "weekly": ("recurring", None, None, None, None, None, None),
    "current": ("current", None, None, None, None, None, None),
    "before": ("before", None, None, None, None, None, None),
    "after": ("after", None, None, None, None, None, None),
    "unspecified": ("unspecified", None, None, None, None, None, None),
}


def claim_periods() -> list[str]:
    """Every distinct period of ``data/plan/claims.csv``, read as text."""
    frame = pd.read_csv(REPO / "data" / "plan" / "claims.csv", dtype={"period": str})
    return sorted(frame["period"].unique())


@pytest.mark.parametrize("text", claim_periods())
def test_every_period_of_the_claims_parses_as_expected(text: str) -> None:
    assert text in EXPECTED, f"new period form {text!r} in claims.csv: add it to EXPECTED"
    kind, first, last, window, horizon, whole, due = EXPECTED[text]
    p = parse_period(text)
    assert (p.text, p.kind, p.first, p.last) == (text, kind, first, last)
    assert p.window == window
    assert p.horizon_years == horizon
    assert p.whole_years == whole
    assert p.due_month == due
    assert PERIOD_RE.fullmatch(text)


def test_expected_forms_occur_in_the_claims() -> None:
    assert set(EXPECTED) == set(claim_periods())
    assert {v[0] for v in EXPECTED.values()} == set(KINDS)


@pytest.mark.parametrize(
    ("text", "year", "span", "years"),
    [
        ("2023", 2023, None, None),
        ("2020-2023", None, 3, None),
        ("2008-2012", None, 4, None),
        ("3 years", None, None, 3),
        ("12 months", None, None, None),
        ("year 1", None, None, None),
        ("unspecified", None, None, None),
    ],
)
def test_calendar_years_and_durations(text, year, span, years) -> None:
    p = parse_period(text)
    assert (p.year, p.span_years, p.years) == (year, span, years)


@pytest.mark.parametrize(
    ("text", "milestone_year", "expected"),
    [
        ("Q1", 1, (0.0, 3.0)),
        ("Q2", 2, (15.0, 18.0)),
        ("Q4", 3, (33.0, 36.0)),
        ("years 5+", 1, (48.0, None)),
        ("months 7-18", 2, (6.0, 18.0)),
        ("3 years", 1, (0.0, 36.0)),
        ("2025", 1, None),
        ("monthly", 1, None),
    ],
)
def test_month_window(text, milestone_year, expected) -> None:
    assert parse_period(text).month_window(milestone_year) == expected


def test_month_window_refuses_plan_year_zero() -> None:
    with pytest.raises(ValueError, match="milestone_year"):
        parse_period("Q1").month_window(0)
    with pytest.raises(ValueError, match="milestone_year"):
        parse_period("3 years").month_window(0)


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("years 3-4", 3, (4.0, True)),
        ("years 5+", 3, (5.0, True)),
        ("unspecified", 3, (3.0, False)),
        ("2023", 3, (math.nan, False)),
        ("monthly", 3, (math.nan, False)),
        ("Q2", 3, (math.nan, False)),
    ],
)
def test_horizon(text, default, expected) -> None:
    years, stated = parse_period(text).horizon(default)
    assert stated == expected[1]
    assert years == expected[0] or (math.isnan(years) and math.isnan(expected[0]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", 2025),
        ("year 2", 2025),
        ("3 years", 2026),
        ("months 7-18", 2025),
        ("12 months", 2024),
        ("Q3", 2024),
        ("years 5+", None),
        ("2020-2023", None),
        ("unspecified", None),
        ("weekly", None),
    ],
)
def test_due_year(text, expected) -> None:
    assert parse_period(text).due_year(2024) == expected


def test_phases_and_open_ranges() -> None:
    phases = {t for t in EXPECTED if parse_period(t).is_phase}
    assert phases == {
        "year 1",
        "year 2",
        "year 3",
        "years 1-2",
        "years 3-4",
        "years 5+",
        "months 1-6",
        "months 7-18",
        "months 19-36",
    }
    assert [t for t in EXPECTED if parse_period(t).is_open] == ["years 5+"]


@pytest.mark.parametrize(
    "text",
    ["", "by 2025", "3 Years", " 3 years", "3 years ", "year 12", "years 10+", "Q5", "2023-24"],
)
def test_unknown_forms_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="unknown period"):
        parse_period(text)
    assert PERIOD_RE.fullmatch(text) is None


def test_parse_is_cached_and_periods_are_frozen() -> None:
    p = parse_period("months 7-18")
    assert parse_period("months 7-18") is p
    assert hash(p) == hash(Period("months 7-18", "plan_months", 7, 18))
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.first = 1  # type: ignore[misc]


def test_an_empty_range_has_no_length() -> None:
    p = parse_period("2020-2020")
    assert (p.kind, p.span_years) == ("year_range", 0)
