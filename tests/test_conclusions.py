"""Chapter 10: the scorecard, bands, recommendations and the scenario table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planbook.chapters import conclusions as C
from planbook.engine.params import AuditParams
from planbook.engine.registry import Chapter
from planbook.errors import InputError


def _claims(kinds: dict[int, list[str]]) -> pd.DataFrame:
    rows = [{"chapter": ch, "kind": k} for ch, ks in kinds.items() for k in ks]
    return pd.DataFrame(rows)


def _finding(rule: str, verdict: str, severity: str, stated: float, recomputed: float) -> dict:
    return {
        "rule": rule,
        "chapter": 8,
        "sections": "8.1",
        "claim_ids": "C8.1-01; C8.1-03",
        "stated": stated,
        "recomputed": recomputed,
        "difference": recomputed - stated,
        "unit": "trillion_yuan",
        "verdict": verdict,
        "severity": severity,
        "detail": f"{rule} detail",
    }


def test_claims_by_kind_counts_and_totals() -> None:
    table = C.claims_by_kind(_claims({1: ["actual", "actual", "target"], 3: ["target"]}))
    assert table.loc[1, "actual"] == 2 and table.loc[1, "target"] == 1
    assert table.loc[1, "total"] == 3
    assert table.loc[2, "total"] == 0  # chapters without claims are listed, as zeros
    assert table.loc["all", "target"] == 2 and table.loc["all", "total"] == 4


@pytest.mark.parametrize(
    ("probability", "band"),
    [(0.5, "likely"), (0.7, "likely"), (0.499, "possible"), (0.1, "possible"), (0.09, "unlikely")],
)
def test_plausibility_bands_edges(probability: float, band: str) -> None:
    banded = C.plausibility_bands(pd.DataFrame({"probability": [probability]}), 50.0, 10.0)
    assert banded.loc[0, "band"] == band


def test_plausibility_bands_refuses_crossed_thresholds() -> None:
    with pytest.raises(InputError, match="unlikely <= likely"):
        C.plausibility_bands(pd.DataFrame({"probability": [0.3]}), 10.0, 50.0)


def test_band_counts() -> None:
    banded = C.plausibility_bands(pd.DataFrame({"probability": [0.9, 0.2, 0.01, 0.0]}))
    assert C.band_counts(banded) == {"likely": 1, "possible": 1, "unlikely": 2}


def test_holds_by_rule_counts_and_share() -> None:
    findings = pd.DataFrame(
        [
            _finding("end_value", "inconsistent", "high", 80, 100.2),
            _finding("end_value", "consistent", "none", 80, 80.1),
            _finding("end_value", "within rounding", "none", 80, 81),
            _finding("structural_gaps", "unverifiable", "low", math.nan, math.nan),
        ]
    )
    table = C.holds_by_rule(findings).set_index("rule")
    assert table.loc["end_value", "holds"] == 2 and table.loc["end_value", "fails"] == 1
    assert table.loc["end_value", "holds_pct"] == pytest.approx(200 / 3)
    assert math.isnan(table.loc["structural_gaps", "holds_pct"])
    assert "growth_rate" not in table.index  # rules without checks are left out


def test_recommendation_is_filled_from_the_finding() -> None:
    text = C.recommendation(pd.Series(_finding("end_value", "inconsistent", "high", 80, 100.25)))
    assert "100.2" in text and "80.0" in text
    unknown = C.recommendation(pd.Series(_finding("new_rule", "inconsistent", "low", 1, 2)))
    assert "new_rule detail" in unknown


def test_material_problems_orders_by_severity_then_certainty_then_size() -> None:
    rows = [
        _finding("same_figure", "inconsistent", "medium", 100, 150),
        _finding("end_value", "inconsistent", "high", 80, 100),
        _finding("parts_sum", "consistent", "none", 120, 120),
        _finding("growth_rate", "inconsistent", "high", 10, 30),
        _finding("competing_targets", "inconsistent", "high", 1, 50),
    ]
    for k, row in enumerate(rows):
        row["claim_ids"] = f"C1.1-0{k}"
    findings = pd.DataFrame(rows)
    top = C.material_problems(findings, 3)
    # high before medium; among the high ones the recomputations (growth rate, end value)
    # come before a larger disagreement between sections; holds are never listed
    assert list(top["rule"]) == ["growth_rate", "end_value", "competing_targets"]
    assert list(top["rank"]) == [1, 2, 3]
    assert top["recommendation"].str.len().gt(0).all()
    # the same claims seen by a second rule are listed once
    findings.loc[1, "claim_ids"] = "C1.1-03"
    top = C.material_problems(findings, 3)
    assert list(top["rule"]) == ["growth_rate", "competing_targets", "same_figure"]
    with pytest.raises(InputError):
        C.material_problems(findings, 0)


def test_summary_on_hand_made_inputs() -> None:
    claims = _claims({1: ["actual", "target", "target"]})
    findings = pd.DataFrame(
        [
            _finding("end_value", "inconsistent", "high", 80, 100),
            _finding("parts_sum", "consistent", "none", 120, 120),
            _finding("structural_gaps", "unverifiable", "low", math.nan, math.nan),
        ]
    )
    banded = C.plausibility_bands(pd.DataFrame({"probability": [0.6, 0.01]}))
    key = C.summary(claims, findings, banded)
    assert key["claims"] == 3 and key["targets_stated"] == 2
    assert key["checks"] == 2 and key["checks_holding_pct"] == pytest.approx(50.0)
    assert key["inconsistent"] == 1 and key["high_severity"] == 1
    assert key["targets_likely"] == 1 and key["targets_unlikely"] == 1


def test_scenario_key_numbers_flags_what_differs() -> None:
    from planbook.data import plan as data

    claims = data.load_claims()
    loose = {"audit": AuditParams(rate_tolerance_pp=5.0)}
    strict = {"audit": AuditParams(rate_tolerance_pp=0.0)}
    table = C.scenario_key_numbers(claims, {"loose": loose, "strict": strict})
    by_key = table.set_index("key")
    assert by_key.loc["inconsistent", "strict"] > by_key.loc["inconsistent", "loose"]
    assert bool(by_key.loc["inconsistent", "differs"])
    # scope does not depend on tolerances (the count of findings can: a pair that fails
    # inside a failing many-way finding is merged into it)
    assert not bool(by_key.loc["different_scope", "differs"])
    assert set(table["chapter"]) == {11} and set(table["slug"]) == {"audit"}
    side = C.compare_scenarios(claims, {"loose": loose, "strict": strict})
    assert side.names == ("loose", "strict")
    assert side.n_keys == len(table) and side.n_differ == int(table["differs"].sum())


def test_every_chapter_has_a_headline() -> None:
    from planbook.engine.registry import CHAPTERS

    assert list(C.HEADLINES) == [c.slug for c in CHAPTERS]
    for chapter in CHAPTERS:
        assert callable(C.headline_of(chapter))
        assert C.headline_of(chapter.slug) is C.headline_of(chapter)
    assert [c.number for c in C.plan_chapters()] == list(C.PLAN_CHAPTERS)
    stray = Chapter(99, "no_such_chapter", "Stray", "99_stray.ipynb", "", ())
    with pytest.raises(InputError, match="headline"):
        C.headline_of(stray)


def test_compute_names_the_page_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scorecard on the real claims and audit; the targets' odds stubbed (fast)."""
    from planbook.data import plan as data
    from planbook.engine.params import ConclusionsParams

    odds = pd.DataFrame(
        {
            "target_id": ["T1", "T2", "T3"],
            "description": ["first", "second", "third"],
            "probability": [0.6, 0.2, 0.0],
            "probability_text": ["60%", "20%", "under 1%"],
            "required_growth_pct": [5.0, 12.0, 90.0],
            "historical_growth_pct": [8.0, 8.0, 8.0],
        }
    )
    monkeypatch.setattr(C.targets, "targets_against_data", lambda *a, **k: odds.copy())
    result = C.compute(ConclusionsParams(), data.load_claims(), data.load_sections())
    # the values the page glued before the chapter computed them (audit defaults)
    assert (result.n_claims, result.n_targets, result.n_actual, result.n_case) == (
        458,
        208,
        120,
        122,
    )
    assert (result.n_checks, result.n_inconsistent, result.n_high) == (141, 32, 21)
    assert result.holds_pct == pytest.approx(100 * 109 / 141)
    assert (result.n_holds, result.n_competing, result.n_timeframes) == (109, 5, 4)
    assert (result.n_missing, result.n_gaps) == (4, 6)
    # the targets come from the stub: bands, the most and the least plausible
    assert (result.n_likely, result.n_possible, result.n_unlikely) == (1, 1, 1)
    assert result.best_target == "first (T1)" and result.best_p == pytest.approx(60.0)
    assert result.best_p_text == "60%"
    assert (result.worst_required, result.worst_history) == (90.0, 8.0)
    assert result.top_detail == result.problems.set_index("rank").loc[1, "detail"]
    assert result.key["claims"] == 458


@pytest.mark.slow
def test_likely_threshold_moves_the_glued_count(default_values, run_chapter) -> None:
    """Lowering the 'likely' threshold can only move targets into the likely band."""
    default = default_values("conclusions")
    lower = run_chapter("conclusions", likely_pct=0.0, unlikely_pct=0.0)
    assert lower["n_likely"] > default["n_likely"]
    assert lower["n_likely"] == default["n_tested"]
