"""Chapter 3's lower-tier user target as a compounding path against a ceiling."""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import convert, pick
from planbook.errors import InputError
from planbook.methods import arithmetic as A
from planbook.methods.audit.checks_goals import implied_total_users, lower_tier_growth
from planbook.methods.models import saturation as S

NEAR_CEILING = 0.95
"""Share of the ceiling at which the logistic path counts as saturated."""


def user_ceiling(claims: pd.DataFrame, ceiling_100m: float | None) -> tuple[float, str]:
    """The ceiling of lower-tier users (hundred million) and where it comes from.

    ``None`` takes all e-commerce users as plan 1.2 implies them
    (:func:`planbook.methods.audit.checks_goals.implied_total_users`).
    """
    if ceiling_100m is not None:
        return float(ceiling_100m), "parameter"
    total, ids = implied_total_users(claims)
    return total, f"all e-commerce users implied by plan 1.2 ({', '.join(ids)})"


def lower_tier_saturation(
    claims: pd.DataFrame, ceiling_100m: float | None, years: int, steps_per_year: int = 1
) -> tuple[pd.DataFrame, dict[str, object]]:
    """The lower-tier user target of plan 3.1 as a compounding path against a ceiling.

    Starts from the 2023 count of plan 1.2 and the growth rate of plan 3.1
    (:func:`planbook.methods.audit.checks_goals.lower_tier_growth`, whose compound path
    chapter 3's check sets against all users); the logistic path has the same intrinsic
    rate (see :mod:`planbook.methods.models.saturation`).

    Returns
    -------
    tuple
        The paths (:func:`planbook.methods.models.saturation.paths`, hundred million users) and a
        summary: ``start, start_year, start_id, rate_pct, rate_id, horizon`` (the target's
        years), ``ceiling, ceiling_source, crossing_years, crossing_year``,
        ``compound_at_horizon, logistic_at_horizon, logistic_rate_pct`` (the logistic path's
        average rate over the horizon), ``logistic_95_years`` (years to
        :data:`NEAR_CEILING` of the ceiling), and the other lower-tier target of the plan
        (plan 6.2): ``other_id, other_target, other_rate_pct``.
    """
    growth = lower_tier_growth(claims)
    other = pick(claims, "6.2", "lower_tier_users", "3 years")
    start, rate = float(growth["start"]), float(growth["rate_pct"])
    start_year, horizon = int(growth["start_year"]), float(growth["horizon"])
    ceiling, source = user_ceiling(claims, ceiling_100m)
    if ceiling <= start:
        raise InputError(
            f"user_ceiling_100m={ceiling:g}: the ceiling must be above the {start_year} "
            f"lower-tier users ({start:g} hundred million, plan 1.2); raise it or leave it "
            "empty for the plan's own total"
        )
    frame = S.paths(start, rate, ceiling, start_year, max(int(years), 1), steps_per_year)
    crossing = S.crossing_time(start, rate, ceiling)
    logistic_h = float(S.logistic_path(start, rate, ceiling, [horizon])[0])
    other_value = convert(float(other["value"]), other["unit"], str(growth["unit"]))
    summary: dict[str, object] = {
        "start": start,
        "start_year": start_year,
        "start_id": growth["start_id"],
        "rate_pct": rate,
        "rate_id": growth["rate_id"],
        "horizon": growth["horizon"],
        "ceiling": ceiling,
        "ceiling_source": source,
        "crossing_years": crossing,
        "crossing_year": start_year + crossing,
        "compound_at_horizon": growth["compound_at_horizon"],
        "logistic_at_horizon": logistic_h,
        "logistic_rate_pct": A.cagr(start, logistic_h, horizon),
        "logistic_95_years": S.logistic_time_to_share(start, rate, ceiling, NEAR_CEILING),
        "other_id": other["id"],
        "other_target": other_value,
        "other_rate_pct": A.cagr(start, other_value, horizon),
    }
    return frame, summary
