"""Budget reconciliation: spending on one item across sections, lines against items,
shares against lines, totals over horizons."""

from __future__ import annotations

from audit_claims import audit, claims, only


def money(section: str, value: float, item: str, period: str = "unspecified", **kw) -> dict:
    return {
        "section": section,
        "metric": kw.pop("metric", "investment"),
        "period": period,
        "kind": "target",
        "value": value,
        "unit": "100m_yuan",
        "scope_of": item,
        **kw,
    }


def test_spending_on_one_item_is_set_side_by_side() -> None:
    # the same automated warehouses: 20 (3.4) against 45 (6.1), 25 apart
    table = claims(
        money("3.4", 20, "supply_chain.warehouses"), money("6.1", 45, "technology.warehouses")
    )
    f = only(audit(table, "budget_reconciliation"))
    assert (f["stated"], f["recomputed"], f["verdict"]) == (20, 45, "inconsistent")
    assert "filed under supply chain and technology" in f["detail"]
    same = claims(money("3.4", 30, "technology.ai"), money("7.1", 30, "technology.ai", "year 1"))
    assert only(audit(same, "budget_reconciliation"))["verdict"] == "consistent"


def test_a_floor_and_a_figure_touch_within_rounding() -> None:
    # "more than 5" against 5: they touch at the open end only
    table = claims(
        money("3.4", 5, "people.training", bound="gt"), money("6.2", 5, "people.training")
    )
    assert only(audit(table, "budget_reconciliation"))["verdict"] == "within rounding"


def test_a_line_against_its_items() -> None:
    line = money("6.3", 45, "technology", "year 1")
    dated = money("7.1", 30, "technology.ai", "year 1")
    undated = money("6.1", 45, "technology.warehouses")
    # 30 dated in year 1 fits in 45; with the undated 45 the items make 75: unverifiable
    f = only(
        audit(claims(line, dated, undated), "budget_reconciliation").query(
            "sections == '6.1; 6.3; 7.1'"
        )
    )
    assert (f["stated"], f["recomputed"], f["verdict"]) == (45, 75, "unverifiable")
    # two items dated in year 1 that overflow the line: 30 + 20 = 50 > 45
    over = money("7.2", 20, "technology.cloud", "year 1")
    found = audit(claims(line, dated, over), "budget_reconciliation")
    row = only(found[found["detail"].str.startswith("The technology line")])
    assert (row["recomputed"], row["verdict"]) == (50, "inconsistent")


def test_a_share_of_the_budget_against_the_line() -> None:
    # 35% of the annual budget against 45 / 120 = 37.5%: 2.5 points, beyond 0.5
    table = claims(
        {
            "section": "3.4",
            "metric": "rnd_share_of_budget",
            "period": "annual",
            "kind": "target",
            "value": 35,
            "unit": "percent",
            "scope_of": "technology",
        },
        money("6.3", 120, "total", "year 1", metric="budget_total"),
        money("6.3", 45, "technology", "year 1", metric="technology_budget"),
    )
    found = audit(table, "budget_reconciliation")
    f = only(found[found["unit"] == "percent"])
    assert f["recomputed"] == 37.5 and f["verdict"] == "inconsistent"
    assert "45 / 120 = 37.5%" in f["detail"]


def test_totals_over_horizons() -> None:
    # 120 in year 1 + 300 added within 3 years = 420, within the 800 of 5 years
    table = claims(
        money("6.3", 120, "total", "year 1", metric="budget_total"),
        money("6.3", 300, "total", "3 years", metric="additional_funding"),
        money("6.3", 800, "total", "5 years", metric="budget_total"),
    )
    found = audit(table, "budget_reconciliation")
    f = only(found[found["detail"].str.contains("120 \\+ 300")])
    assert (f["recomputed"], f["stated"], f["verdict"]) == (420, 800, "consistent")
    small = table.copy()
    small.loc[2, "value"] = 400
    found = audit(small, "budget_reconciliation")
    assert only(found[found["detail"].str.contains("120 \\+ 300")])["verdict"] == "inconsistent"


def test_one_item_at_two_prices_says_what_each_sum_is_for() -> None:
    from planbook.data import plan as D
    from planbook.methods import audit as AU

    found = AU.run_audit(D.load_claims(), D.load_sections(), rules="budget_reconciliation")
    warehouses = found[found["detail"].str.startswith("Spending on automated warehouses")]
    assert len(warehouses) == 1 and warehouses["verdict"].iloc[0] == "inconsistent"
    detail = warehouses["detail"].iloc[0]
    assert "20 hundred million yuan (3.4" in detail and "45 hundred million yuan (6.1" in detail
    assert "investment in smart warehousing and cold chain (3.4)" in detail  # the plan's words
    assert "cannot both be its cost" in detail
