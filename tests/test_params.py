"""Parameter schemas, --set parsing and scenario files."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook.engine import params as P
from planbook.engine.registry import CHAPTERS, get_chapter
from planbook.errors import InputError

REPO = Path(__file__).resolve().parents[1]
MARKET = get_chapter("market")


def test_every_chapter_has_a_schema() -> None:
    assert {c.slug for c in CHAPTERS} == set(P.SCHEMAS)


def test_describe_gives_type_range_unit_and_description() -> None:
    info = {i.name: i for i in P.describe("market")}
    assert info["confidence"].type == "float"
    assert info["confidence"].allowed == "0.5 to 0.99"
    assert info["forecast_horizon"].unit == "years"
    assert info["forecast_method"].type == "choice"
    assert all(i.description for i in info.values())


def test_forecast_method_choices_match_the_library() -> None:
    from typing import get_args

    from planbook.methods.forecast import METHODS

    assert list(get_args(P.ForecastMethod)) == ["auto", *METHODS]


def test_set_values_are_parsed_by_the_schema() -> None:
    sets = P.parse_set(["forecast_horizon=5", "confidence=0.8"], MARKET)
    resolved = P.resolve(MARKET, None, sets)
    assert resolved.forecast_horizon == 5 and resolved.confidence == 0.8


def test_set_needs_chapter_when_building() -> None:
    assert P.parse_set(["1.confidence=0.8"], None) == {"market": {"confidence": "0.8"}}
    with pytest.raises(InputError, match="name the chapter"):
        P.parse_set(["confidence=0.8"], None)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("confidence=high", "must be a number"),
        ("confidence=1.5", "at most 0.99"),
        ("confidence=0.1", "at least 0.5"),
        ("forecast_horizon=0", "at least 1"),
        ("forecast_horizon=three", "whole number"),
        ("history_start=2030", "at most 2019"),
        ("forecast_method=arima2", "one of"),
        ("confidance=0.8", "did you mean 'confidence'"),
    ],
)
def test_bad_values_are_refused(item: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        P.resolve(MARKET, None, P.parse_set([item], MARKET))


def test_precedence_defaults_then_last_run_then_scenario_then_set(tmp_path: Path) -> None:
    path = tmp_path / "s.yml"
    path.write_text("market:\n  confidence: 0.95\n  forecast_horizon: 4\n", encoding="utf-8")
    scenario = P.load_scenario(str(path), REPO / "scenarios")
    base = {"confidence": 0.6, "history_start": 2016}
    resolved = P.resolve(MARKET, scenario, P.parse_set(["forecast_horizon=7"], MARKET), base)
    assert resolved.history_start == 2016  # from the last run
    assert resolved.confidence == 0.95  # scenario over the last run
    assert resolved.forecast_horizon == 7  # --set over the scenario
    assert resolved.rate_tolerance_pp == P.defaults("market")["rate_tolerance_pp"]


@pytest.mark.parametrize("name", ["baseline", "conservative", "aggressive"])
def test_shipped_scenarios_load(name: str) -> None:
    scenario = P.load_scenario(name, REPO / "scenarios")
    assert scenario.description
    assert set(scenario.settings) <= {c.slug for c in CHAPTERS}
    assert scenario.settings["market"]


def test_missing_scenario_lists_the_shipped_ones() -> None:
    with pytest.raises(InputError, match="aggressive, baseline, conservative"):
        P.load_scenario("optimistic", REPO / "scenarios")


def test_null_sets_an_optional_parameter_to_the_plans_own_value() -> None:
    assert (
        P.validate_params("timeline", {"alert_threshold_pct": "null"}).alert_threshold_pct is None
    )
    assert P.validate_params("timeline", {"alert_threshold_pct": "12"}).alert_threshold_pct == 12.0
    with pytest.raises(InputError, match="or null for the plan's own value"):
        P.validate_params("timeline", {"alert_threshold_pct": "abc"})
    with pytest.raises(InputError, match="must be a number"):
        P.validate_params("market", {"confidence": "null"})  # not optional: null is refused
