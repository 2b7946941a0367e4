"""The benefit stream: the plan's efficiency and cost promises (plan 8.1) turned into money.

One model shared by chapter 6 (it sets the stream against the plan's spending) and
chapter 8 (it values the promises and tests their sensitivity). The plan promises, in
plan 8.1, a set of "from X to Y" changes; four of them can be turned into money on an
explicit base of gross merchandise value (GMV):

``logistics``
    The logistics cost share of GMV falls from 15 % to 10 %: a saving of the cut (in
    percentage points) times GMV, every year.
``acquisition``
    The customer acquisition cost falls from 185 to 120 yuan per user: the same users cost
    that much less, so acquisition spending falls by ``cut / baseline`` of itself. The
    spending is the plan's first-year marketing budget (plan 6.3), scaled to the base.
``inventory``
    Inventory turns rise from 4 to 8 a year: the inventory needed to carry the cost of goods
    sold, ``GMV * (1 - gross margin)``, falls from ``1/4`` to ``1/8`` of it, and the capital,
    storage and shrinkage cost of the inventory no longer held is saved every year.
``commission``
    The platform commission rate falls from 12 % to 9 % of GMV. This moves money from
    platforms to merchants rather than saving it, so it is left out of the benefit unless
    asked for (``include_commission``).

The base is either one firm (``scope="firm"``, a GMV given as a parameter, matching the
budget of plan 6.3, which is one organisation's) or the whole industry (``scope="industry"``,
the 47.8 trillion yuan of plan 8.1). The plan mixes the two.

Money is in 100 million yuan (亿元, the unit of the plan's budgets) a year; shares, rates and
margins are in percent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Literal, Protocol

import pandas as pd

from planbook.data.plan import convert, pick

__all__ = [
    "COMPONENTS",
    "NUMERIC_FIELDS",
    "SCOPES",
    "TORNADO_DRIVERS",
    "Drivers",
    "annual_benefit",
    "benefit_stream",
    "component_values",
    "driver_table",
    "drivers_from_claims",
    "drivers_from_params",
    "ramp",
    "with_values",
]

Scope = Literal["firm", "industry"]
SCOPES: tuple[str, ...] = ("firm", "industry")

MONEY_UNIT = "100m_yuan"
"""Unit of every money amount of the stream (亿元)."""

COMPONENTS: dict[str, str] = {
    "logistics": "Logistics cost share cut",
    "acquisition": "Customer acquisition cost cut",
    "inventory": "Inventory turns raised",
    "commission": "Platform commission cut (a transfer)",
}
"""The stream's components and their labels."""


@dataclass(frozen=True)
class Drivers:
    """The inputs of the benefit stream: the plan's promised changes and the base.

    Attributes
    ----------
    scope : {"firm", "industry"}
        Whose GMV the promises are applied to.
    gmv : float
        Base GMV, 100 million yuan a year.
    logistics_cut_pp : float
        Cut of the logistics cost share of GMV, percentage points.
    commission_cut_pp : float
        Cut of the platform commission rate, percentage points of GMV.
    cac_from : float
        Customer acquisition cost now, yuan per user.
    cac_cut : float
        Cut of the customer acquisition cost, yuan per user.
    acquisition_spend : float
        Spending on customer acquisition at today's cost, 100 million yuan a year.
    turns_from, turns_to : float
        Inventory turns a year, now and promised.
    gross_margin_pct : float
        Gross margin, percent; ``1 - margin`` of GMV is the cost of goods carried as stock.
    carrying_cost_pct : float
        Annual cost of holding inventory, percent of its value.
    claim_ids : Mapping[str, str]
        For each field taken from the plan, the claims it comes from.
    """

    scope: Scope
    gmv: float
    logistics_cut_pp: float
    commission_cut_pp: float
    cac_from: float
    cac_cut: float
    acquisition_spend: float
    turns_from: float
    turns_to: float
    gross_margin_pct: float
    carrying_cost_pct: float
    claim_ids: Mapping[str, str]

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}; got {self.scope!r}")
        for name in ("gmv", "cac_from", "turns_from", "turns_to"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive; got {getattr(self, name)!r}")
        if not 0 <= self.gross_margin_pct < 100:
            raise ValueError(f"gross_margin_pct must be in [0, 100); got {self.gross_margin_pct!r}")


NUMERIC_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(Drivers) if f.name not in {"scope", "claim_ids"}
)

TORNADO_DRIVERS: dict[str, tuple[str, str]] = {
    "gmv": ("GMV base", "100m yuan"),
    "logistics_cut_pp": ("Logistics cost share cut", "pp of GMV"),
    "turns_from": ("Inventory turns now", "per year"),
    "turns_to": ("Inventory turns promised", "per year"),
    "gross_margin_pct": ("Gross margin", "percent"),
    "carrying_cost_pct": ("Inventory carrying cost", "percent a year"),
    "acquisition_spend": ("Acquisition spending base", "100m yuan a year"),
    "cac_cut": ("Acquisition cost cut", "yuan per user"),
    "commission_cut_pp": ("Commission cut", "pp of GMV"),
}
"""Fields of :class:`Drivers` a sensitivity analysis varies, with label and unit."""


def drivers_from_claims(
    claims: pd.DataFrame,
    scope: Scope,
    firm_gmv_trillion: float,
    carrying_cost_pct: float,
) -> Drivers:
    """Read the benefit drivers from the claims table (plan 8.1 and 6.3).

    Parameters
    ----------
    claims
        The claims table (:func:`planbook.data.plan.load_claims`).
    scope
        ``"firm"``: the base is one firm with GMV ``firm_gmv_trillion``; ``"industry"``:
        the base is the industry GMV of plan 8.1.
    firm_gmv_trillion
        The firm's GMV, trillion yuan a year. Also fixes the acquisition spending per unit
        of GMV (the plan's first-year marketing budget over this GMV) in both scopes.
    carrying_cost_pct
        Annual cost of holding inventory, percent of its value (not in the plan).
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}; got {scope!r}")
    if not firm_gmv_trillion > 0:
        raise ValueError(f"firm_gmv_trillion must be positive; got {firm_gmv_trillion!r}")

    def pair(metric: str) -> tuple[pd.Series, pd.Series]:
        return pick(claims, "8.1", metric, "current"), pick(claims, "8.1", metric, "unspecified")

    gmv_row = pick(claims, "8.1", "gmv", "current")
    industry_gmv = convert(float(gmv_row["value"]), gmv_row["unit"], MONEY_UNIT)
    firm_gmv = convert(firm_gmv_trillion, "trillion_yuan", MONEY_UNIT)
    gmv = firm_gmv if scope == "firm" else industry_gmv
    log_from, log_to = pair("logistics_cost_share")
    com_from, com_to = pair("platform_commission_rate")
    cac_from, cac_to = pair("customer_acquisition_cost")
    turns_from, turns_to = pair("inventory_turnover_rate")
    margin = pick(claims, "8.1", "gross_margin", "unspecified")
    marketing = pick(claims, "6.3", "marketing_budget", "year 1")
    marketing_spend = convert(float(marketing["value"]), marketing["unit"], MONEY_UNIT)

    def ids(*rows: pd.Series) -> str:
        return ", ".join(str(r["id"]) for r in rows)

    return Drivers(
        scope=scope,
        gmv=gmv,
        logistics_cut_pp=float(log_from["value"] - log_to["value"]),
        commission_cut_pp=float(com_from["value"] - com_to["value"]),
        cac_from=float(cac_from["value"]),
        cac_cut=float(cac_from["value"] - cac_to["value"]),
        acquisition_spend=marketing_spend * gmv / firm_gmv,
        turns_from=float(turns_from["value"]),
        turns_to=float(turns_to["value"]),
        gross_margin_pct=float(margin["value"]),
        carrying_cost_pct=float(carrying_cost_pct),
        claim_ids={
            "gmv": ids(gmv_row) if scope == "industry" else "parameter firm_gmv",
            "logistics_cut_pp": ids(log_from, log_to),
            "commission_cut_pp": ids(com_from, com_to),
            "cac_from": ids(cac_from),
            "cac_cut": ids(cac_from, cac_to),
            "acquisition_spend": ids(marketing),
            "turns_from": ids(turns_from),
            "turns_to": ids(turns_to),
            "gross_margin_pct": ids(margin),
            "carrying_cost_pct": "parameter carrying_cost_pct",
        },
    )


class _StreamParams(Protocol):
    benefit_scope: Scope
    firm_gmv: float
    carrying_cost_pct: float


def drivers_from_params(params: _StreamParams, claims: pd.DataFrame) -> Drivers:
    """:func:`drivers_from_claims` with the scope, firm GMV and carrying cost of a
    chapter's parameters (:class:`planbook.engine.params.BenefitStreamParams`)."""
    return drivers_from_claims(
        claims, params.benefit_scope, params.firm_gmv, params.carrying_cost_pct
    )


def component_values(drivers: Drivers) -> dict[str, float]:
    """Annual value of each component at full effect, 100 million yuan a year.

    >>> d = Drivers("firm", 100.0, 5, 3, 200, 50, 10, 4, 8, 20, 10, {})
    >>> {k: round(v, 3) for k, v in component_values(d).items()}
    {'logistics': 5.0, 'acquisition': 2.5, 'inventory': 1.0, 'commission': 3.0}
    """
    d = drivers
    cost_of_goods = d.gmv * (1 - d.gross_margin_pct / 100)
    stock_freed = cost_of_goods * (1 / d.turns_from - 1 / d.turns_to)
    return {
        "logistics": d.gmv * d.logistics_cut_pp / 100,
        "acquisition": d.acquisition_spend * d.cac_cut / d.cac_from,
        "inventory": stock_freed * d.carrying_cost_pct / 100,
        "commission": d.gmv * d.commission_cut_pp / 100,
    }


def _included(include_commission: bool) -> list[str]:
    return [c for c in COMPONENTS if include_commission or c != "commission"]


def annual_benefit(
    drivers: Drivers, realisation: float = 1.0, include_commission: bool = False
) -> float:
    """The headline benefit: the annual value of the promises at full effect, times the
    share realised (100 million yuan a year)."""
    if not 0 <= realisation <= 1:
        raise ValueError(f"realisation must be between 0 and 1; got {realisation!r}")
    values = component_values(drivers)
    return realisation * sum(values[c] for c in _included(include_commission))


def ramp(years: int, start_year: int, ramp_years: int) -> pd.Series:
    """Share of full effect in each plan year ``1 .. years``.

    Zero before ``start_year``; from it, a linear rise reaching full effect in the
    ``ramp_years``-th year of benefits (``ramp_years=1``: full effect at once).
    """
    if years < 1 or start_year < 1 or ramp_years < 1:
        raise ValueError("years, start_year and ramp_years must be at least 1")
    index = pd.RangeIndex(1, years + 1, name="year")
    shares = [0.0 if y < start_year else min(1.0, (y - start_year + 1) / ramp_years) for y in index]
    return pd.Series(shares, index=index, name="ramp")


def benefit_stream(
    drivers: Drivers,
    years: int,
    *,
    realisation: float = 1.0,
    start_year: int = 1,
    ramp_years: int = 1,
    include_commission: bool = False,
) -> pd.DataFrame:
    """The benefit in each plan year, by component, with the total.

    Returns
    -------
    pandas.DataFrame
        Indexed by plan year ``1 .. years``; one column per included component of
        :data:`COMPONENTS`, then ``ramp`` (share of full effect) and ``total`` (100 million
        yuan), all already multiplied by ``realisation``.
    """
    if not 0 <= realisation <= 1:
        raise ValueError(f"realisation must be between 0 and 1; got {realisation!r}")
    shares = ramp(years, start_year, ramp_years)
    values = component_values(drivers)
    columns = _included(include_commission)
    out = pd.DataFrame({c: shares * values[c] * realisation for c in columns})
    out["ramp"] = shares
    out["total"] = out[columns].sum(axis=1)
    return out


def driver_table(drivers: Drivers) -> pd.DataFrame:
    """The drivers with labels, units, values and sources, for display."""
    labels = {
        **{k: v[0] for k, v in TORNADO_DRIVERS.items()},
        "cac_from": "Acquisition cost now",
    }
    units = {**{k: v[1] for k, v in TORNADO_DRIVERS.items()}, "cac_from": "yuan per user"}
    rows = [
        {
            "driver": labels[name],
            "value": float(getattr(drivers, name)),
            "unit": units[name],
            "source": drivers.claim_ids.get(name, ""),
        }
        for name in NUMERIC_FIELDS
    ]
    return pd.DataFrame(rows)


def with_values(drivers: Drivers, **values: float) -> Drivers:
    """A copy of ``drivers`` with some numeric fields replaced (for sensitivity runs)."""
    unknown = set(values) - set(NUMERIC_FIELDS)
    if unknown:
        raise ValueError(f"unknown driver(s): {', '.join(sorted(unknown))}")
    return replace(drivers, **values)
