"""Chapter 1's checks: the arithmetic the plan's own market figures imply.

The check of the ``market_checks`` spec (:data:`planbook.methods.audit.specs.CHECK_SPECS`)
and the category mix it sums; chapter 1's page shows the same table
(:mod:`planbook.chapters.market`).
"""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import CATEGORIES, pick
from planbook.methods import arithmetic as A

YEARS_2020_2023 = 3
"""The plan's comparison base: 2020 to 2023 is three years of growth."""


OTHER_CATEGORIES = "All other categories"
"""The row of :func:`category_mix` for what the three core categories leave."""


def category_mix(claims: pd.DataFrame) -> pd.DataFrame:
    """The three core categories' GMV shares in 2023 and the remainder the plan leaves out."""
    records = []
    for label, metric in CATEGORIES:
        row = pick(claims, "1.2", metric, "2023")
        records.append({"category": label, "claim_id": row["id"], "share_pct": row["value"]})
    stated = sum(r["share_pct"] for r in records)
    records.append({"category": OTHER_CATEGORIES, "claim_id": "", "share_pct": 100 - stated})
    return pd.DataFrame(records)


def market_checks(
    claims: pd.DataFrame, rate_tolerance_pp: float, level_tolerance_pct: float
) -> pd.DataFrame:
    """Recompute the arithmetic that chapter 1's own figures imply.

    - the 2020-2023 CAGR against the cumulative growth over the same years;
    - the 2023 transaction volume in 1.1 against the same figure in 1.2;
    - online retail implied by live commerce and its share, against the stated figure;
    - the three category shares, which together cannot exceed 100%.
    """
    cum = pick(claims, "1.2", "ecommerce_transaction_volume_growth", "2020-2023")
    rate = pick(claims, "1.2", "ecommerce_transaction_volume_cagr", "2020-2023")
    recomputed = A.cagr_from_cumulative(cum["value"], YEARS_2020_2023)
    checks = [
        A.compare_rate(
            "CAGR 2020-2023 against cumulative growth",
            [rate["id"], cum["id"]],
            rate["value"],
            recomputed,
            rate_tolerance_pp,
            f"(1 + {cum['value']:g}%)^(1/{YEARS_2020_2023}) - 1 = {recomputed:.2f}%",
        )
    ]
    v11 = pick(claims, "1.1", "ecommerce_transaction_volume", "2023")
    v12 = pick(claims, "1.2", "ecommerce_transaction_volume", "2023")
    checks.append(
        A.compare_level(
            "2023 market size in 1.1 against 1.2",
            [v12["id"], v11["id"]],
            v12["value"],
            v11["value"],
            "trillion_yuan",
            level_tolerance_pct,
            f"1.1 states {v11['value']:g}, 1.2 states {v12['value']:g} trillion yuan",
        )
    )
    live = pick(claims, "1.5", "live_commerce_gmv", "2023")
    live_share = pick(claims, "1.5", "live_commerce_share_of_online_retail", "2023")
    online = pick(claims, "1.2", "online_retail_sales", "2023")
    implied = A.implied_total(live["value"], live_share["value"])
    checks.append(
        A.compare_level(
            "Online retail implied by live commerce and its share",
            [online["id"], live["id"], live_share["id"]],
            online["value"],
            implied,
            "trillion_yuan",
            level_tolerance_pct,
            f"{live['value']:g} / {live_share['value']:g}% = {implied:.2f} trillion yuan",
        )
    )
    mix = category_mix(claims)
    named = mix[mix["claim_id"] != ""]
    total = float(named["share_pct"].sum())
    checks.append(
        A.compare_at_most(
            "Core category shares sum to at most 100%",
            list(named["claim_id"]),
            100.0,
            total,
            " + ".join(f"{v:g}" for v in named["share_pct"]) + f" = {total:.1f}%",
        )
    )
    return A.checks_frame(checks)


__all__ = ["OTHER_CATEGORIES", "YEARS_2020_2023", "category_mix", "market_checks"]
