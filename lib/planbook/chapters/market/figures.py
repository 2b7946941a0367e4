"""Chapter 1's figures: the plan's market sizes and shares, their checks, official statistics.

Every function takes the claims table (and, where needed, official series) and returns
a small tidy table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planbook.data import official
from planbook.data.plan import CATEGORIES, convert, pick
from planbook.methods import arithmetic as A
from planbook.methods.forecast import basis_words

YEARS_2020_2023 = 3
"""The plan's comparison base: 2020 to 2023 is three years of growth."""


def headline_sizes(claims: pd.DataFrame) -> pd.DataFrame:
    """The 2023 market sizes the plan states, in trillion yuan, largest first."""
    rows = [
        (
            "E-commerce transaction volume",
            pick(claims, "1.2", "ecommerce_transaction_volume", "2023"),
        ),
        ("Online retail sales", pick(claims, "1.2", "online_retail_sales", "2023")),
        ("Live-commerce GMV", pick(claims, "1.5", "live_commerce_gmv", "2023")),
        ("Fresh-food e-commerce GMV", pick(claims, "1.2", "fresh_produce_gmv", "2023")),
    ]
    out = pd.DataFrame(
        {
            "measure": [label for label, _ in rows],
            "claim_id": [r["id"] for _, r in rows],
            "value": [convert(r["value"], r["unit"], "trillion_yuan") for _, r in rows],
            "unit": "trillion_yuan",
        }
    )
    return out.sort_values("value", ascending=False, ignore_index=True)


SHARE_SHIFTS = (
    ("Online share of total retail", "online_retail_share_of_total_retail"),
    ("B2C share of e-commerce", "b2c_share"),
    ("Lower-tier cities' share of GMV", "lower_tier_gmv_share"),
)


def share_shifts(claims: pd.DataFrame) -> pd.DataFrame:
    """Shares stated for 2023 with their change since 2020, and the 2020 level implied."""
    records = []
    for label, metric in SHARE_SHIFTS:
        now = pick(claims, "1.2", metric, "2023")
        change = pick(claims, "1.2", f"{metric}_change", "2020-2023")
        records.append(
            {
                "measure": label,
                "claim_ids": f"{now['id']}, {change['id']}",
                "share_2020_implied": now["value"] - change["value"],
                "share_2023": now["value"],
                "change_pp": change["value"],
            }
        )
    return pd.DataFrame(records)


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


def internal_checks(
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


FIGURES = {
    "tv_2020": "E-commerce transaction volume, 2020 (implied by the plan)",
    "online_2023": "Online retail sales, 2023",
    "total_2023": "Total retail sales, 2023 (implied by the online share)",
    "physical_share_2023": "Online share of total retail, 2023 (official: physical goods)",
    "all_online_share_2023": "Online share of total retail, 2023 (official: all online retail)",
    "share_2020": "Online share of total retail, 2020 (implied by the plan)",
    "users": "E-commerce users, 2023 (implied by the lower-tier share)",
}
"""The rows of :func:`official_comparison` (column ``figure``), by a short name."""


def official_comparison(
    claims: pd.DataFrame,
    transaction_volume: pd.Series,
    online_retail: pd.Series,
    total_retail: pd.Series,
    physical_share: pd.Series,
    online_shoppers: pd.Series,
) -> pd.DataFrame:
    """The plan's chapter-1 figures (stated or implied) beside official statistics.

    All series are official annual preferred values indexed by year (see
    :func:`planbook.data.official.annual_series`). Levels use the units of the official series.
    Column ``official_basis`` says which basis each official figure is on (published
    levels or shares, never the chain-linked index of the forecasts), so the plan's figure
    is compared with the basis the row names.
    """
    tv = pick(claims, "1.2", "ecommerce_transaction_volume", "2023")
    cum = pick(claims, "1.2", "ecommerce_transaction_volume_growth", "2020-2023")
    orr = pick(claims, "1.2", "online_retail_sales", "2023")
    osh = pick(claims, "1.2", "online_retail_share_of_total_retail", "2023")
    osh_change = pick(claims, "1.2", "online_retail_share_of_total_retail_change", "2020-2023")
    users = pick(claims, "1.2", "lower_tier_users", "2023")
    users_share = pick(claims, "1.2", "lower_tier_share_of_users", "2023")

    def official(series: pd.Series, year: int) -> float:
        return float(series.get(year, float("nan")))

    rows = [
        (
            FIGURES["tv_2020"],
            f"{tv['id']}, {cum['id']}",
            A.base_from_growth(tv["value"], cum["value"]),
            official(transaction_volume, 2020),
            basis_words(transaction_volume),
            "trillion yuan",
            f"{tv['value']:g} / (1 + {cum['value']:g}%)",
        ),
        (
            FIGURES["online_2023"],
            orr["id"],
            orr["value"],
            official(online_retail, 2023),
            basis_words(online_retail),
            "trillion yuan",
            "stated",
        ),
        (
            FIGURES["total_2023"],
            f"{orr['id']}, {osh['id']}",
            A.implied_total(orr["value"], osh["value"]),
            official(total_retail, 2023),
            basis_words(total_retail),
            "trillion yuan",
            f"{orr['value']:g} / {osh['value']:g}%",
        ),
        (
            FIGURES["physical_share_2023"],
            osh["id"],
            osh["value"],
            official(physical_share, 2023),
            basis_words(physical_share),
            "percent",
            "stated",
        ),
        (
            FIGURES["all_online_share_2023"],
            osh["id"],
            osh["value"],
            A.share(official(online_retail, 2023), official(total_retail, 2023)),
            f"ratio of {basis_words(online_retail)}",
            "percent",
            "stated; official = online retail / total retail",
        ),
        (
            FIGURES["share_2020"],
            f"{osh['id']}, {osh_change['id']}",
            osh["value"] - osh_change["value"],
            official(physical_share, 2020),
            basis_words(physical_share),
            "percent",
            f"{osh['value']:g} - {osh_change['value']:g} points",
        ),
        (
            FIGURES["users"],
            f"{users['id']}, {users_share['id']}",
            A.implied_total(users["value"], users_share["value"]),
            official(online_shoppers, 2023),
            basis_words(online_shoppers),
            "100 million people",
            f"{users['value']:g} / {users_share['value']:g}%",
        ),
    ]
    columns = ["figure", "claim_ids", "plan", "official", "official_basis", "unit"]
    out = pd.DataFrame(rows, columns=[*columns, "plan_arithmetic"])
    out["difference"] = out["plan"] - out["official"]
    out["difference_pct"] = out["difference"] / out["official"] * 100
    return out


def plan_path(claims: pd.DataFrame, last_year: int) -> pd.Series:
    """The transaction volume path the plan implies: 2020 base, 2023 value, then the stated
    2020-2023 CAGR continued to ``last_year`` (trillion yuan, indexed by year)."""
    tv = pick(claims, "1.2", "ecommerce_transaction_volume", "2023")
    cum = pick(claims, "1.2", "ecommerce_transaction_volume_growth", "2020-2023")
    rate = pick(claims, "1.2", "ecommerce_transaction_volume_cagr", "2020-2023")
    base = A.base_from_growth(tv["value"], cum["value"])
    years = range(2020, last_year + 1)
    values = [
        base * (1 + cum["value"] / 100) ** ((y - 2020) / 3)
        if y <= 2023
        else A.grow(tv["value"], rate["value"], y - 2023)
        for y in years
    ]
    return pd.Series(values, index=pd.Index(list(years), name="year"), name="plan_path")


def official_tables(
    data_dir: Path | None = None,
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """The official series :func:`official_comparison` takes, in its argument order.

    Transaction volume, online retail and total retail sales (published levels), the share
    of physical goods online in total retail, and CNNIC online shoppers.
    """
    return (
        official.annual_series("ecommerce_transaction_volume", data_dir=data_dir),
        official.annual_series("online_retail_sales", data_dir=data_dir),
        official.annual_series("total_retail_sales", data_dir=data_dir),
        official.annual_series("physical_goods_online_retail", "share_pct", data_dir=data_dir),
        official.annual_series("online_shoppers", data_dir=data_dir),
    )
