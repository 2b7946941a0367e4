"""The rules of the audit, in the order findings are listed."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from planbook.errors import InputError
from planbook.methods.audit.figures import Context
from planbook.methods.audit.findings import Finding
from planbook.methods.audit.rules_agreement import rule_competing_targets, rule_same_figure
from planbook.methods.audit.rules_gaps import rule_structural_gaps
from planbook.methods.audit.rules_growth import (
    rule_cumulative_vs_cagr,
    rule_end_value,
    rule_growth_rate,
)
from planbook.methods.audit.rules_identities import (
    rule_implied_total,
    rule_parts_sum,
    rule_reciprocal,
)
from planbook.methods.audit.rules_magnitude import rule_magnitude
from planbook.methods.audit.rules_money import rule_budget_reconciliation
from planbook.methods.audit.rules_passages import rule_repeated_passage, rule_reused_number_all
from planbook.methods.audit.rules_targets import rule_target_already_met, rule_target_vs_history
from planbook.methods.audit.rules_time import rule_time_frames


@dataclass(frozen=True)
class Rule:
    """A rule of the audit: a name, an English description and the check itself."""

    name: str
    description: str
    check: Callable[[Context], list[Finding]]


RULES: tuple[Rule, ...] = (
    Rule(
        "growth_rate",
        "A stated growth rate, CAGR or relative change, recomputed from the start and end "
        "figures it links.",
        rule_growth_rate,
    ),
    Rule(
        "end_value",
        "A stated end figure, recomputed from its start figure and the stated rate or change.",
        rule_end_value,
    ),
    Rule(
        "cumulative_vs_cagr",
        "Cumulative growth over a year range, turned into an annual rate and compared with "
        "the CAGR stated for the same years.",
        rule_cumulative_vs_cagr,
    ),
    Rule(
        "implied_total",
        "The total implied by a part and its share, against the stated total or another "
        "implied total of the same whole.",
        rule_implied_total,
    ),
    Rule(
        "parts_sum",
        "Parts against their stated total (budget items), and shares of one whole that "
        "cannot exceed 100%.",
        rule_parts_sum,
    ),
    Rule(
        "budget_reconciliation",
        "Spending on one item given in several sections, budget lines against the items "
        "filed under them, shares of the budget against the lines, totals over horizons.",
        rule_budget_reconciliation,
    ),
    Rule(
        "magnitude",
        "Plausibility of size: a share times its base against the market the plan states, "
        "the plan's firm against the industry, a subgroup against its population, a "
        "delivery promise against the speed a vehicle can keep.",
        rule_magnitude,
    ),
    Rule(
        "repeated_passage",
        "A passage the plan tells in several sections: one finding listing every place; "
        "inconsistent when the retelling changes a figure or a date.",
        rule_repeated_passage,
    ),
    Rule(
        "reused_number",
        "The same number in two tellings of one passage with another meaning or unit "
        "(cases and a growth rate; people and yuan), or one case's result credited to two "
        "causes.",
        rule_reused_number_all,
    ),
    Rule(
        "same_figure",
        "One reported figure (same metric, subject, period and kind) stated in several "
        "sections: do the sections agree?",
        rule_same_figure,
    ),
    Rule(
        "competing_targets",
        "Several targets for the same metric: do they agree, or at least form a dated path "
        "with each later target further along?",
        rule_competing_targets,
    ),
    Rule(
        "target_already_met",
        "A target against the latest reported figure for the same metric: a target the "
        "market already meets sets no goal.",
        rule_target_already_met,
    ),
    Rule(
        "target_vs_history",
        "The annual rate a dated target implies, against the historical rate the plan "
        "reports: more than max_rate_ratio times it is far above history.",
        rule_target_vs_history,
    ),
    Rule(
        "time_frames",
        "One target dated to different phases in different sections, and phases that run "
        "beyond the plan's stated horizon.",
        rule_time_frames,
    ),
    Rule(
        "structural_gaps",
        "Sections that are empty, cut off or missing: what they would say cannot be checked.",
        rule_structural_gaps,
    ),
    Rule(
        "reciprocal",
        "Inverse measures of one thing (inventory turnover days and turns a year) against "
        "each other.",
        rule_reciprocal,
    ),
)
"""Every rule of the audit, in the order findings are listed."""


def rules_table() -> pd.DataFrame:
    """The rules as a table: name and description."""
    return pd.DataFrame(
        {"rule": [r.name for r in RULES], "description": [r.description for r in RULES]}
    )


def rule_names(rules: str | Sequence[str] | None, specs: Sequence[Rule] = RULES) -> list[str]:
    """The names of the chosen rules of ``specs`` (all when None); raises
    :class:`InputError` for an unknown name, suggesting the closest."""
    names = [r.name for r in specs]
    if rules is None:
        return names
    wanted = [rules] if isinstance(rules, str) else list(rules)
    for name in wanted:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError(f"unknown rule {name!r}; {hint}valid rules: {', '.join(names)}")
    return wanted
