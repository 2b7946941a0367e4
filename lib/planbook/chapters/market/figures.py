"""Chapter 1's figures: the plan's market sizes and shares, and official statistics.

Every function takes the claims table (and, where needed, official series) and returns
a small tidy table. The checks of these figures against each other are a spec of the
audit (:mod:`planbook.methods.audit.checks_market`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planbook.data import official
from planbook.data.amounts import people
from planbook.data.plan import convert, pick
from planbook.methods import arithmetic as A
from planbook.methods.forecast import basis_words


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
            "100m_persons",
            f"{people(users['value'])} / {users_share['value']:g}%",
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
