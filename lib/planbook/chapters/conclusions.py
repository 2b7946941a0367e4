"""Chapter 10, the conclusions the plan never wrote: computed from the other chapters.

Nothing here restates a finding by hand: the scorecard counts the claims table, the audit
and the targets-against-the-data table; the recommendations are filled in from the audit's
most material findings; the scenario table calls every chapter's ``headline`` function
(:data:`HEADLINES`) with the parameters each scenario gives it, which the page resolves
from the scenario files (:func:`planbook.engine.params.resolve`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from inspect import signature
from typing import Any

import pandas as pd

from planbook.chapters import audit as audit_chapter
from planbook.chapters import (
    benefits,
    challenges,
    data_sources,
    glossary,
    goals,
    implementation,
    innovation,
    market,
    resources,
    risk,
    timeline,
)
from planbook.chapters import methods as methods_chapter
from planbook.chapters.audit import HOLDS, RECOMPUTED_RULES
from planbook.data.amounts import said, scaled
from planbook.data.plan import load_sections
from planbook.data.text import tally
from planbook.engine.params import ChapterParams, check_settings
from planbook.engine.registry import CHAPTERS, Chapter, get_chapter
from planbook.errors import InputError
from planbook.methods import audit, targets
from planbook.methods import forecast as F

PLAN_CHAPTERS: tuple[int, ...] = tuple(range(1, 10))
"""The plan's chapters with a body (chapter 10 is missing from the source)."""

KINDS: tuple[str, ...] = ("actual", "target", "forecast", "case_study", "benchmark")
BANDS: tuple[str, ...] = ("likely", "possible", "unlikely")
TARGET_VIEW: tuple[str, ...] = (
    "target_id",
    "description",
    "target_year",
    "target_value",
    "unit",
    "forecast_median",
    "probability_text",
    "required_growth_pct",
    "historical_growth_pct",
    "n_obs",
    "band",
)
"""Columns of the banded targets table the page shows."""


# --------------------------------------------------------------------------- scorecard


def claims_by_kind(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per plan chapter (rows) and kind (columns), with a total row and column."""
    table = pd.crosstab(claims["chapter"].astype(int), claims["kind"])
    table = table.reindex(index=list(PLAN_CHAPTERS), columns=list(KINDS), fill_value=0)
    table.index.name = "chapter"
    table["total"] = table.sum(axis=1)
    table.loc["all"] = table.sum(axis=0)
    return table


def plausibility_bands(
    targets: pd.DataFrame, likely_pct: float = 50.0, unlikely_pct: float = 10.0
) -> pd.DataFrame:
    """Add a ``band`` column to the targets-against-data table.

    A target is *likely* at a probability of at least ``likely_pct`` percent, *unlikely*
    below ``unlikely_pct``, and *possible* in between.
    """
    if not 0 <= unlikely_pct <= likely_pct <= 100:
        raise InputError(
            f"plausibility thresholds unlikely={unlikely_pct} and likely={likely_pct}: "
            "use 0 <= unlikely <= likely <= 100 (percent)"
        )
    out = targets.copy()
    pct = out["probability"] * 100
    out["band"] = "possible"
    out.loc[pct >= likely_pct, "band"] = "likely"
    out.loc[pct < unlikely_pct, "band"] = "unlikely"
    return out


def band_counts(banded: pd.DataFrame) -> dict[str, int]:
    """How many targets fall in each plausibility band."""
    return {b: int((banded["band"] == b).sum()) for b in BANDS}


def holds_by_rule(findings: pd.DataFrame) -> pd.DataFrame:
    """Per rule of the one table (the audit's, then the chapters' checks): checks that
    hold, that fail and that cannot be verified.

    A check *holds* when its verdict is one of :data:`planbook.methods.audit.HOLDS`; a
    finding two rules share (:func:`planbook.methods.audit.merge_duplicates`) counts for
    each of them.
    """
    holds = findings["verdict"].isin(HOLDS)
    table = pd.DataFrame(
        {
            "rule": audit.rules_of(findings),
            "holds": holds.astype(int),
            "fails": (findings["verdict"] == "inconsistent").astype(int),
            "unverifiable": (findings["verdict"] == "unverifiable").astype(int),
        }
    ).explode("rule")
    order = [r.name for r in (*audit.RULES, *audit.CHECK_SPECS)]
    out = table.groupby("rule", sort=False).sum().reindex(order, fill_value=0)
    out = out[(out.sum(axis=1) > 0)]
    out["checks"] = out.sum(axis=1)
    out["holds_pct"] = (
        100 * out["holds"] / (out["holds"] + out["fails"]).where(out["holds"] + out["fails"] > 0)
    )
    return out.reset_index()


# --------------------------------------------------------------------------- recommendations


_UNIT_WORDS = {"percent": "%", "count": "", "index": "", "percentage_points": "points"}


def _unit(unit: str) -> str:
    word = _UNIT_WORDS.get(unit, unit.replace("100m_", "hundred million ").replace("_", " "))
    return word if word in {"", "%"} else " " + word


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def _v(f: pd.Series, col: str, bare: bool = False) -> str:
    """A finding's figure with its unit (``bare``: without, unless the unit is a scale, 亿
    or 万, that English says otherwise: then in English scales, :mod:`planbook.data.amounts`)."""
    unit = str(f["unit"])
    if scaled(unit):
        return said(float(f[col]), unit)
    return _fmt(f[col]) + ("" if bare else _unit(unit))


_ADVICE: dict[str, Callable[[pd.Series], str]] = {
    "growth_rate": lambda f: (
        f"Restate the rate or one of the figures it links: the start and end figures imply "
        f"{_v(f, 'recomputed')} a year, not the {_v(f, 'stated')} stated."
    ),
    "end_value": lambda f: (
        f"Make the end value and the growth rate agree: at the stated rate the end value is "
        f"{_v(f, 'recomputed')}, not {_v(f, 'stated', bare=True)}; "
        "restate one of the two."
    ),
    "cumulative_vs_cagr": lambda f: (
        f"Quote the annual rate that the cumulative growth implies, "
        f"{_v(f, 'recomputed')}, instead of {_v(f, 'stated', bare=True)}."
    ),
    "implied_total": lambda f: (
        f"Align the part, its share and the total: they imply {_v(f, 'recomputed')}"
        f" against {_v(f, 'stated', bare=True)}."
    ),
    "parts_sum": lambda f: (
        f"Make the parts add up to the total: {_v(f, 'recomputed', bare=True)} against "
        f"{_v(f, 'stated')}."
    ),
    "same_figure": lambda f: (
        f"State one value for this figure throughout: the sections give "
        f"{_v(f, 'stated', bare=True)} and {_v(f, 'recomputed')}."
    ),
    "competing_targets": lambda f: (
        f"Set one target (or a dated path) for this metric: the sections give "
        f"{_v(f, 'stated', bare=True)} and {_v(f, 'recomputed')}."
    ),
    "target_already_met": lambda f: (
        f"Replace a target the reported figure already meets ({_v(f, 'recomputed', bare=True)} "
        f"against a target of {_v(f, 'stated')}) with one that sets a goal."
    ),
    "target_vs_history": lambda f: (
        f"Justify or lower a target that needs {_v(f, 'stated')} a year "
        f"against {_v(f, 'recomputed', bare=True)} delivered historically."
    ),
    "time_frames": lambda f: (
        f"Use one phase calendar: the same target falls due at month {_v(f, 'stated', bare=True)} "
        f"in one section and month {_v(f, 'recomputed', bare=True)} in another."
    ),
    "reciprocal": lambda f: (
        f"Quote inventory days and turns that are reciprocal: {_v(f, 'stated', bare=True)} against "
        f"{_v(f, 'recomputed')} recomputed."
    ),
    "structural_gaps": lambda f: "Write the missing or cut-off section before relying on it.",
    "budget_reconciliation": lambda f: (
        f"Give one amount for each item of spending, and lines that hold their items: the "
        f"sections give {_v(f, 'stated', bare=True)} and {_v(f, 'recomputed')}."
    ),
    "magnitude": lambda f: (
        f"Bring the figure within what the plan's own numbers allow: it implies "
        f"{_v(f, 'stated', bare=True)} against a ceiling of {_v(f, 'recomputed')}."
    ),
    "repeated_passage": lambda f: (
        "Keep one version of the repeated passage, with one set of figures and dates."
    ),
    "reused_number": lambda f: (
        f"Say what {_v(f, 'stated', bare=True)} measures: the passage gives it two meanings; "
        "keep the right one and source it."
    ),
}


def recommendation(finding: pd.Series) -> str:
    """One recommendation for one audit finding, filled in from its own numbers."""
    advice = _ADVICE.get(str(finding["rule"]).split("; ")[0])
    if advice is None:
        return f"Resolve the {finding['rule']} finding: {finding['detail']}"
    return advice(finding)


def material_problems(findings: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` most material inconsistencies, with a recommendation for each.

    The ranking is the audit's one rule (:func:`planbook.methods.audit.most_severe`, also
    the audit appendix's): severity, then recomputation failures before disagreements
    between sections, then the discrepancy relative to the stated figure; each problem
    listed once.
    """
    top = audit.most_severe(findings, n)
    cols = ["rule", "sections", "stated", "recomputed", "difference", "unit", "severity"]
    out = top[[*cols, "detail"]].reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out["recommendation"] = [recommendation(row) for _, row in top.iterrows()]
    return out


# --------------------------------------------------------------------------- scenarios


Headline = Callable[..., Mapping[str, float]]
"""A chapter's ``headline(params, claims)``: its key numbers under given parameters."""


def plan_chapters() -> list[Chapter]:
    """The plan's chapters with a body (:data:`PLAN_CHAPTERS`), in order."""
    return [c for c in CHAPTERS if c.number in PLAN_CHAPTERS]


def headline_of(chapter: Chapter | str) -> Headline:
    """The ``headline(params, claims)`` function of a chapter (or a chapter's slug).

    Every chapter module is imported here by name (:data:`HEADLINES`).
    """
    slug = chapter if isinstance(chapter, str) else chapter.slug
    fn = HEADLINES.get(slug)
    if fn is None:
        raise InputError(
            f"chapter {slug} has no headline(params, claims) function; add one to "
            f"planbook.chapters.{slug} and list it in planbook.chapters.conclusions.HEADLINES"
        )
    return fn


def scenario_key_numbers(
    claims: pd.DataFrame,
    scenario_params: Mapping[str, Mapping[str, ChapterParams]],
    evaluations: F.Evaluations | None = None,
) -> pd.DataFrame:
    """Every chapter's key numbers under each scenario, side by side.

    Parameters
    ----------
    claims
        The claims table.
    scenario_params
        Scenario name -> chapter slug -> that chapter's parameters under the scenario
        (:func:`planbook.engine.params.resolve`), chapters in the order they are listed.
    evaluations
        The run's evaluations of the official series, passed to every headline that takes
        them (keyword ``evaluations``), so a forecast setting shared by several scenarios and
        chapters is evaluated once; a new one by default.

    Returns
    -------
    pandas.DataFrame
        Columns chapter, slug, key, one column per scenario and ``differs`` (True when the
        scenarios disagree beyond floating-point noise).
    """
    names = list(scenario_params)
    memo = evaluations or F.Evaluations()
    slugs = list(dict.fromkeys(s for by_slug in scenario_params.values() for s in by_slug))
    rows: dict[tuple[int, str, str], dict[str, float]] = {}
    for slug in slugs:
        fn = headline_of(slug)
        extra = {"evaluations": memo} if "evaluations" in signature(fn).parameters else {}
        number = get_chapter(slug).number
        for name in names:
            for key, value in fn(scenario_params[name][slug], claims, **extra).items():
                rows.setdefault((number, slug, key), {})[name] = float(value)
    table = pd.DataFrame(
        [{"chapter": n, "slug": s, "key": k, **v} for (n, s, k), v in rows.items()]
    )
    values = table[names].to_numpy(dtype=float)
    spread = values.max(axis=1) - values.min(axis=1)
    scale = abs(values).max(axis=1)
    table["differs"] = spread > 1e-9 * (1 + scale)
    return table


@dataclass(frozen=True)
class ScenarioComparison:
    """The scenario table of the page and the counts its text quotes.

    Attributes
    ----------
    n_keys
        Key numbers compared (rows of ``table``).
    n_differ
        Key numbers that move between scenarios.
    names
        The scenarios, in the order of the table's columns.
    table
        :func:`scenario_key_numbers`.
    """

    n_keys: int
    n_differ: int
    names: tuple[str, ...]
    table: pd.DataFrame = field(repr=False)


def compare_scenarios(
    claims: pd.DataFrame,
    scenario_params: Mapping[str, Mapping[str, ChapterParams]],
    evaluations: F.Evaluations | None = None,
) -> ScenarioComparison:
    """The scenario section of the page (see :func:`scenario_key_numbers`)."""
    table = scenario_key_numbers(claims, scenario_params, evaluations)
    return ScenarioComparison(
        n_keys=len(table),
        n_differ=int(table["differs"].sum()),
        names=tuple(scenario_params),
        table=table,
    )


# --------------------------------------------------------------------------- key numbers


def summary(claims: pd.DataFrame, findings: pd.DataFrame, banded: pd.DataFrame) -> dict[str, float]:
    """The chapter's key numbers from its three inputs (claims, audit, banded targets)."""
    c = audit.counts(findings)
    bands = band_counts(banded)
    return {
        "claims": len(claims),
        "targets_stated": int((claims["kind"] == "target").sum()),
        "checks": c["checked"],
        "checks_holding_pct": c["holds_pct"],
        "inconsistent": c["verdict_inconsistent"],
        "high_severity": c["severity_high"],
        "targets_tested": len(banded),
        "targets_likely": bands["likely"],
        "targets_unlikely": bands["unlikely"],
    }


@dataclass(frozen=True)
class Conclusions:
    """Everything the conclusions page shows, named as the page refers to it.

    Numbers and text are glued under their field names; the tables are shown.
    """

    # what the plan leaves out
    n_missing: int
    gaps_text: str
    n_gaps: int
    # the scorecard: claims, checks, targets
    n_claims: int
    n_targets: int
    n_actual: int
    n_case: int
    n_checks: int
    rate_tol: float
    level_tol: float
    holds_pct: float
    n_inconsistent: int
    n_high: int
    n_tested: int
    likely: float
    unlikely: float
    n_likely: int
    n_possible: int
    n_unlikely: int
    bands_text: str
    best_target: str
    best_p: float
    best_p_text: str
    # the most material problems
    top_detail: str
    top_advice: str
    # what holds up
    n_holds: int
    clean_rules: str
    holds_examples: str
    # recommendations
    n_competing: int
    n_timeframes: int
    worst_required: float
    worst_history: float
    # tables and the key numbers
    gaps: pd.DataFrame = field(repr=False)
    by_kind: pd.DataFrame = field(repr=False)
    rules: pd.DataFrame = field(repr=False)
    banded: pd.DataFrame = field(repr=False)
    problems: pd.DataFrame = field(repr=False)
    key: dict[str, float] = field(repr=False)


def _gaps_text(gaps: pd.DataFrame) -> str:
    """The incomplete sections of the plan's body, in words."""
    return "; ".join(
        f"section {r.section} ({r.title_en}) is {'empty' if r.state == 'empty' else 'cut off'}"
        for r in gaps[gaps["chapter"] != 10].itertuples()
    )


def _plausibility_order(banded: pd.DataFrame) -> pd.DataFrame:
    """Targets from most to least plausible: highest probability first, then the smallest
    gap between the growth a target needs and the growth delivered."""
    gap = banded["required_growth_pct"] - banded["historical_growth_pct"]
    order = banded.assign(_gap=gap, _p=-banded["probability"])
    return order.sort_values(["_p", "_gap"], kind="stable").drop(columns=["_p", "_gap"])


def compute(
    params: Any,
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    evaluations: F.Evaluations | None = None,
) -> Conclusions:
    """The conclusions page from the claims, the plan's sections and the parameters.

    Parameters
    ----------
    params
        A ``ConclusionsParams``: audit tolerances, forecast settings, bands, ``n_problems``.
    claims, sections
        The plan's tables (:func:`planbook.data.plan.load_claims`, ``load_sections``).
    evaluations
        The run's evaluations of the official series (shared with
        :func:`compare_scenarios`); a new one by default.
    """
    findings = audit.book_findings(
        claims, sections, audit.tolerances_from(params), settings=check_settings()
    )
    odds = targets.targets_against_data(
        claims,
        method=params.forecast_method,
        draws=params.draws,
        seed=params.seed,
        evaluation=evaluations.get() if evaluations is not None else None,
    )
    banded = plausibility_bands(odds, params.likely_pct, params.unlikely_pct)
    key = summary(claims, findings, banded)
    by_kind = claims_by_kind(claims)
    totals = by_kind.loc["all"]
    rules = holds_by_rule(findings)
    bands = band_counts(banded)
    ranked = _plausibility_order(banded)
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    problems = material_problems(findings, params.n_problems).set_index("rank", drop=False)
    holding = findings[findings["verdict"].isin(HOLDS)]
    clean = rules[(rules["fails"] == 0) & (rules["holds"] > 0)]["rule"].str.replace("_", " ")
    bad_rules = audit.first_rule(findings[findings["verdict"] == "inconsistent"])
    gaps = sections[sections["state"] != "full"]
    chapter10 = sections[sections["chapter"] == 10]
    return Conclusions(
        n_missing=int((chapter10["state"] == "missing").sum()),
        gaps_text=_gaps_text(gaps),
        n_gaps=len(gaps),
        n_claims=int(totals["total"]),
        n_targets=int(totals["target"]),
        n_actual=int(totals["actual"]),
        n_case=int(totals["case_study"]),
        n_checks=key["checks"],
        rate_tol=params.rate_tolerance_pp,
        level_tol=params.level_tolerance_pct,
        holds_pct=key["checks_holding_pct"],
        n_inconsistent=key["inconsistent"],
        n_high=key["high_severity"],
        n_tested=len(banded),
        likely=params.likely_pct,
        unlikely=params.unlikely_pct,
        n_likely=bands["likely"],
        n_possible=bands["possible"],
        n_unlikely=bands["unlikely"],
        bands_text=tally(
            [(bands[b], b) for b in ("likely", "possible", "unlikely")], ("is", "are")
        ),
        best_target=f"{best['description']} ({best['target_id']})",
        best_p=float(best["probability"]) * 100,
        best_p_text=str(best["probability_text"]),
        top_detail=str(problems.loc[1, "detail"]),
        top_advice=str(problems.loc[1, "recommendation"]),
        n_holds=len(holding),
        clean_rules=", ".join(clean) if len(clean) else "none",
        holds_examples="\n".join(
            f"- {d}" for d in holding.drop_duplicates("rule").head(4)["detail"]
        ),
        n_competing=int((bad_rules == "competing_targets").sum()),
        n_timeframes=int(bad_rules.isin(["time_frames", "repeated_passage"]).sum()),
        worst_required=float(worst["required_growth_pct"]),
        worst_history=float(worst["historical_growth_pct"]),
        gaps=gaps,
        by_kind=by_kind,
        rules=rules,
        banded=banded,
        problems=problems.reset_index(drop=True),
        key=key,
    )


def headline(
    params: Any, claims: pd.DataFrame, *, evaluations: F.Evaluations | None = None
) -> dict[str, float]:
    """Key numbers of chapter 10 under given parameters (``evaluations``: see :func:`compute`)."""
    return compute(params, claims, load_sections(), evaluations).key


HEADLINES: dict[str, Headline] = {
    "market": market.headline,
    "challenges": challenges.headline,
    "goals": goals.headline,
    "implementation": implementation.headline,
    "risk": risk.headline,
    "resources": resources.headline,
    "timeline": timeline.headline,
    "benefits": benefits.headline,
    "innovation": innovation.headline,
    "conclusions": headline,
    "audit": audit_chapter.headline,
    "methods": methods_chapter.headline,
    "data_sources": data_sources.headline,
    "glossary": glossary.headline,
}
"""Every chapter's ``headline(params, claims)``, by slug."""


__all__ = [
    "BANDS",
    "HEADLINES",
    "PLAN_CHAPTERS",
    "RECOMPUTED_RULES",
    "TARGET_VIEW",
    "Conclusions",
    "ScenarioComparison",
    "band_counts",
    "claims_by_kind",
    "compare_scenarios",
    "compute",
    "headline",
    "headline_of",
    "holds_by_rule",
    "material_problems",
    "plan_chapters",
    "plausibility_bands",
    "recommendation",
    "scenario_key_numbers",
    "summary",
]
