"""Magnitude plausibility: share times base against the market, firm against industry,
subgroup against population, physical bounds."""

from __future__ import annotations

import pytest
from audit_claims import audit, claims, only


def market(share: float) -> list[dict]:
    return [
        {
            "section": "1.2",
            "metric": "ecommerce_transaction_volume",
            "entity": "industry",
            "period": "2023",
            "kind": "actual",
            "value": 47.8,
            "unit": "trillion_yuan",
        },
        {
            "section": "1.3",
            "metric": "metaverse_market",
            "entity": "industry",
            "period": "2023",
            "kind": "actual",
            "value": 120,
            "unit": "100m_yuan",
            "scope": "channel",
            "scope_of": "metaverse",
        },
        {
            "section": "1.3",
            "metric": "metaverse_market_growth",
            "entity": "industry",
            "period": "2023",
            "kind": "actual",
            "value": 85,
            "unit": "percent",
            "scope": "channel",
            "scope_of": "metaverse",
        },
        {
            "section": "8.1",
            "metric": "gmv",
            "period": "3 years",
            "kind": "target",
            "value": 80,
            "unit": "trillion_yuan",
        },
        {
            "section": "6.1",
            "metric": "metaverse_gmv_share",
            "period": "3 years",
            "kind": "target",
            "value": share,
            "unit": "percent",
            "scope": "channel",
            "scope_of": "metaverse",
        },
    ]


def test_a_channel_share_against_the_whole_channel_market() -> None:
    found = audit(claims(*market(15)), "magnitude")
    f = only(found[found["sections"].str.contains("6.1")])
    # 15% x 80 trillion = 12 trillion = 120,000 hundred million; the market grows from 120
    # at 85% a year for 2023 -> 2026 (3 years): 120 x 1.85^3 = 759.8 hundred million
    assert f["stated"] == pytest.approx(120_000)
    assert f["recomputed"] == pytest.approx(120 * 1.85**3)
    assert f["verdict"] == "inconsistent" and f["severity"] == "high"
    small = only(audit(claims(*market(0.05)), "magnitude").query("sections.str.contains('6.1')"))
    assert small["verdict"] == "consistent"  # 0.05% x 80 trillion = 400 < 759.8


def test_a_firm_as_large_as_its_industry() -> None:
    rows = [
        {
            "section": "1.2",
            "metric": "ecommerce_transaction_volume",
            "entity": "industry",
            "period": "2023",
            "kind": "actual",
            "value": 47.8,
            "unit": "trillion_yuan",
        },
        {
            "section": "8.1",
            "metric": "gmv",
            "period": "current",
            "kind": "actual",
            "value": 47.8,
            "unit": "trillion_yuan",
        },
    ]
    f = only(audit(claims(*rows), "magnitude"))
    assert f["detail"].count("47.8 / 47.8 = 100%") == 1 and f["verdict"] == "inconsistent"
    rows[1]["value"] = 4.78  # a tenth of the industry is plausible
    assert only(audit(claims(*rows), "magnitude"))["verdict"] == "consistent"


def users(cagr: float) -> list[dict]:
    seg = {"entity": "industry", "scope": "segment", "scope_of": "lower_tier"}
    return [
        {
            "section": "1.2",
            "metric": "lower_tier_users",
            "period": "2023",
            "kind": "actual",
            "value": 6.2,
            "unit": "100m_count",
            **seg,
        },
        {
            "section": "1.2",
            "metric": "lower_tier_share_of_users",
            "period": "2023",
            "kind": "actual",
            "value": 58.7,
            "unit": "percent",
            **seg,
        },
        {
            "section": "3.1",
            "metric": "lower_tier_users_cagr",
            "period": "3 years",
            "kind": "target",
            "value": cagr,
            "unit": "percent",
            "scope": "segment",
            "scope_of": "lower_tier",
        },
    ]


def test_a_subgroup_larger_than_its_population() -> None:
    found = audit(claims(*users(25)), "magnitude")
    f = only(found[found["sections"] == "1.2; 3.1"])
    # 6.2 x 1.25^3 = 12.11 hundred million against 6.2 / 58.7% = 10.56
    assert f["stated"] == pytest.approx(6.2 * 1.25**3)
    assert f["recomputed"] == pytest.approx(6.2 / 0.587)
    assert f["verdict"] == "inconsistent"
    ok = audit(claims(*users(8.9)), "magnitude")  # 6.2 x 1.089^3 = 8.01 < 10.56
    assert only(ok[ok["sections"] == "1.2; 3.1"])["verdict"] == "consistent"


def promise(radius: float, hours: float, service: str) -> list[dict]:
    base = {"period": "unspecified", "kind": "target", "scope": "service", "scope_of": service}
    return [
        {"section": "6.1", "metric": "delivery_radius", "value": radius, "unit": "km", **base},
        {"section": "6.1", "metric": "delivery_time", "value": hours, "unit": "hours", **base},
    ]


def test_a_delivery_promise_against_the_speed_of_a_vehicle() -> None:
    # 300 km in 2 hours = 150 km/h, faster than a delivery drone (100 km/h)
    f = only(audit(claims(*promise(300, 2, "drone_remote")), "magnitude"))
    assert (f["stated"], f["recomputed"], f["verdict"]) == (150, 100, "inconsistent")
    # 3 km in half an hour = 6 km/h for a courier: plausible
    ok = only(audit(claims(*promise(3, 0.5, "forward_warehouse")), "magnitude"))
    assert (ok["stated"], ok["verdict"]) == (6, "consistent")
