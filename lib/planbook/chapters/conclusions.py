"""Chapter 10, the conclusions the plan never wrote: computed from the other chapters.

Nothing here restates a finding by hand: the scorecard counts the claims table, the audit
and the targets-against-the-data table; the recommendations are filled in from the audit's
most material findings; the scenario table calls every chapter's ``headline`` function
under each shipped scenario.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from planbook.engine.params import Scenario, load_scenario, resolve, scenario_names
from planbook.engine.registry import CHAPTERS, Chapter
from planbook.errors import InputError
from planbook.methods import audit

PLAN_CHAPTERS: tuple[int, ...] = tuple(range(1, 10))
"""The plan's chapters with a body (chapter 10 is missing from the source)."""

KINDS: tuple[str, ...] = ("actual", "target", "forecast", "case_study", "benchmark")
BANDS: tuple[str, ...] = ("likely", "possible", "unlikely")


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
    """Per audit rule: checks that hold, that fail and that cannot be verified.

    A check *holds* when its verdict is consistent or within rounding.
    """
    holds = findings["verdict"].isin(["consistent", "within rounding"])
    table = pd.DataFrame(
        {
            "rule": findings["rule"],
            "holds": holds.astype(int),
            "fails": (findings["verdict"] == "inconsistent").astype(int),
            "unverifiable": (findings["verdict"] == "unverifiable").astype(int),
        }
    )
    order = [r.name for r in audit.RULES]
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


_ADVICE: dict[str, Callable[[pd.Series], str]] = {
    "growth_rate": lambda f: (
        f"Restate the rate or one of the figures it links: the start and end figures imply "
        f"{_fmt(f['recomputed'])}{_unit(f['unit'])} a year, not the {_fmt(f['stated'])}"
        f"{_unit(f['unit'])} stated."
    ),
    "end_value": lambda f: (
        f"Make the end value and the growth rate agree: at the stated rate the end value is "
        f"{_fmt(f['recomputed'])}{_unit(f['unit'])}, not {_fmt(f['stated'])}; "
        "restate one of the two."
    ),
    "cumulative_vs_cagr": lambda f: (
        f"Quote the annual rate that the cumulative growth implies, "
        f"{_fmt(f['recomputed'])}{_unit(f['unit'])}, instead of {_fmt(f['stated'])}."
    ),
    "implied_total": lambda f: (
        f"Align the part, its share and the total: they imply {_fmt(f['recomputed'])}"
        f"{_unit(f['unit'])} against {_fmt(f['stated'])}."
    ),
    "parts_sum": lambda f: (
        f"Make the parts add up to the total: {_fmt(f['recomputed'])} against "
        f"{_fmt(f['stated'])}{_unit(f['unit'])}."
    ),
    "same_figure": lambda f: (
        f"State one value for this figure throughout: the sections give "
        f"{_fmt(f['stated'])} and {_fmt(f['recomputed'])}{_unit(f['unit'])}."
    ),
    "competing_targets": lambda f: (
        f"Set one target (or a dated path) for this metric: the sections give "
        f"{_fmt(f['stated'])} and {_fmt(f['recomputed'])}{_unit(f['unit'])}."
    ),
    "target_already_met": lambda f: (
        f"Replace a target the reported figure already meets ({_fmt(f['recomputed'])} "
        f"against a target of {_fmt(f['stated'])}{_unit(f['unit'])}) with one that sets a goal."
    ),
    "target_vs_history": lambda f: (
        f"Justify or lower a target that needs {_fmt(f['stated'])}{_unit(f['unit'])} a year "
        f"against {_fmt(f['recomputed'])} delivered historically."
    ),
    "time_frames": lambda f: (
        f"Use one phase calendar: the same target falls due at month {_fmt(f['stated'])} "
        f"in one section and month {_fmt(f['recomputed'])} in another."
    ),
    "reciprocal": lambda f: (
        f"Quote inventory days and turns that are reciprocal: {_fmt(f['stated'])} against "
        f"{_fmt(f['recomputed'])}{_unit(f['unit'])} recomputed."
    ),
    "structural_gaps": lambda f: "Write the missing or cut-off section before relying on it.",
}


def recommendation(finding: pd.Series) -> str:
    """One recommendation for one audit finding, filled in from its own numbers."""
    advice = _ADVICE.get(str(finding["rule"]))
    if advice is None:
        return f"Resolve the {finding['rule']} finding: {finding['detail']}"
    return advice(finding)


RECOMPUTED_RULES: tuple[str, ...] = (
    "growth_rate",
    "end_value",
    "cumulative_vs_cagr",
    "implied_total",
    "parts_sum",
    "reciprocal",
)
"""Rules that recompute one figure from others: a failure is an arithmetic error for sure.

The other rules compare figures between sections, which may differ in scope (the plan
rarely says); at equal severity, a recomputation failure ranks first."""


def material_problems(findings: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` most material inconsistencies, with a recommendation for each.

    Ordered by severity, then recomputation failures before disagreements between
    sections (:data:`RECOMPUTED_RULES`), then the discrepancy relative to the stated
    figure. A finding about claims already covered by a higher one (the same figures seen
    by another rule) is left out, so each problem is listed once.
    """
    if n < 1:
        raise InputError(f"n={n!r}: ask for at least one problem")
    rank = {s: k for k, s in enumerate(audit.SEVERITIES)}
    bad = findings[findings["verdict"] == "inconsistent"].copy()
    stated = bad["stated"].abs().where(bad["stated"].abs() > 0)
    bad["_rel"] = (bad["difference"].abs() / stated).fillna(0.0)
    bad["_sev"] = bad["severity"].map(rank)
    bad["_sure"] = bad["rule"].isin(RECOMPUTED_RULES).astype(int)
    bad = bad.sort_values(["_sev", "_sure", "_rel"], ascending=False, kind="stable")
    seen: set[str] = set()
    keep = []
    for idx, ids in bad["claim_ids"].items():
        claim_set = {c.strip() for c in str(ids).split(";") if c.strip()}
        if claim_set and claim_set <= seen:
            continue
        seen |= claim_set
        keep.append(idx)
        if len(keep) == n:
            break
    top = bad.loc[keep]
    cols = ["rule", "sections", "stated", "recomputed", "difference", "unit", "severity"]
    out = top[[*cols, "detail"]].reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out["recommendation"] = [recommendation(row) for _, row in top.iterrows()]
    return out


# --------------------------------------------------------------------------- scenarios


def headline_of(chapter: Chapter) -> Callable[[Any, pd.DataFrame], dict]:
    """The ``headline(params, claims)`` function of a chapter's module.

    The module is ``planbook.chapters.<slug>``.
    """
    try:
        module = importlib.import_module(f"planbook.chapters.{chapter.slug}")
    except ModuleNotFoundError:
        raise InputError(
            f"chapter {chapter.slug} has no module planbook.chapters.{chapter.slug}; "
            "add one with a headline(params, claims) function"
        ) from None
    fn = getattr(module, "headline", None)
    if fn is None:
        raise InputError(f"module planbook.chapters.{chapter.slug} has no headline(params, claims)")
    return fn


def scenario_key_numbers(
    claims: pd.DataFrame,
    scenarios: Sequence[Scenario],
    chapters: Sequence[Chapter] | None = None,
) -> pd.DataFrame:
    """Every chapter's key numbers under each scenario, side by side.

    Parameters
    ----------
    claims
        The claims table.
    scenarios
        Loaded scenarios (:func:`planbook.engine.params.load_scenario`).
    chapters
        Chapters to include; default the plan's chapters 1 to 9.

    Returns
    -------
    pandas.DataFrame
        Columns chapter, key, one column per scenario and ``differs`` (True when the
        scenarios disagree beyond floating-point noise).
    """
    chosen = chapters or [c for c in CHAPTERS if c.number in PLAN_CHAPTERS]
    rows: dict[tuple[int, str, str], dict[str, float]] = {}
    for chapter in chosen:
        fn = headline_of(chapter)
        for scen in scenarios:
            params = resolve(chapter, scen)
            for key, value in fn(params, claims).items():
                entry = rows.setdefault((chapter.number, chapter.slug, key), {})
                entry[scen.name] = float(value)
    table = pd.DataFrame(
        [{"chapter": n, "slug": s, "key": k, **v} for (n, s, k), v in rows.items()]
    )
    names = [s.name for s in scenarios]
    values = table[names].to_numpy(dtype=float)
    spread = values.max(axis=1) - values.min(axis=1)
    scale = abs(values).max(axis=1)
    table["differs"] = spread > 1e-9 * (1 + scale)
    return table


def shipped_scenarios(scenarios_dir: Path) -> list[Scenario]:
    """The scenario files in ``scenarios/``, loaded and validated, by name."""
    return [load_scenario(name, scenarios_dir) for name in scenario_names(scenarios_dir)]


# --------------------------------------------------------------------------- key numbers


def summary(claims: pd.DataFrame, findings: pd.DataFrame, banded: pd.DataFrame) -> dict[str, float]:
    """The chapter's key numbers from its three inputs (claims, audit, banded targets)."""
    checked = findings[findings["verdict"] != "unverifiable"]
    holds = checked["verdict"].isin(["consistent", "within rounding"])
    bands = band_counts(banded)
    return {
        "claims": len(claims),
        "targets_stated": int((claims["kind"] == "target").sum()),
        "checks": len(checked),
        "checks_holding_pct": 100 * float(holds.mean()) if len(checked) else float("nan"),
        "inconsistent": int((findings["verdict"] == "inconsistent").sum()),
        "high_severity": int((findings["severity"] == "high").sum()),
        "targets_tested": len(banded),
        "targets_likely": bands["likely"],
        "targets_unlikely": bands["unlikely"],
    }


def headline(params: Any, claims: pd.DataFrame) -> dict[str, float]:
    """Key numbers of chapter 10 under given parameters."""
    from planbook.data.plan import load_sections
    from planbook.methods import targets

    findings = audit.run_audit(claims, load_sections(), audit.tolerances_from(params))
    odds = targets.targets_against_data(
        claims, method=params.forecast_method, draws=params.draws, seed=params.seed
    )
    banded = plausibility_bands(odds, params.likely_pct, params.unlikely_pct)
    return summary(claims, findings, banded)


__all__ = [
    "BANDS",
    "PLAN_CHAPTERS",
    "RECOMPUTED_RULES",
    "band_counts",
    "claims_by_kind",
    "headline",
    "headline_of",
    "holds_by_rule",
    "material_problems",
    "plausibility_bands",
    "recommendation",
    "scenario_key_numbers",
    "shipped_scenarios",
    "summary",
]
