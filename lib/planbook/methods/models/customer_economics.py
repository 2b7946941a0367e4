"""Customer economics: what an acquired customer is worth against what acquiring them cost.

The model (the same in chapters 2 and 3):

- A customer costs ``cac`` yuan to acquire and places a first order of ``order_value``
  yuan at acquisition.
- After every order the customer orders again with probability ``repurchase`` (the
  plan's *repurchase rate*, read as the chance of a next order), so the number of orders
  is geometric.
- A customer who keeps buying orders ``orders_per_year`` times a year: order ``i``
  (``i = 0, 1, ...``) falls ``i / orders_per_year`` years after acquisition. The
  relationship is cut off after ``lifetime_years``: orders at or after that time do not
  count, so at most ``ceil(lifetime_years * orders_per_year)`` orders.
- Each order earns ``margin`` of its value; money ``t`` years out is discounted by
  ``(1 + discount_rate) ** -t``.

So the lifetime value is

    LTV = order_value * margin * sum_i repurchase**i * (1 + discount_rate)**(-i / orders_per_year)

Rates and shares are fractions here (0.3 for 30 %); chapters convert from percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd
from scipy import optimize

from planbook.data.plan import pick
from planbook.errors import InputError

__all__ = [
    "CustomerEconomics",
    "Payback",
    "break_even_margin",
    "from_params",
    "break_even_repurchase",
    "evaluate",
    "expected_orders",
    "from_plan",
    "lifetime_value",
    "ltv_to_cac",
    "order_schedule",
    "payback",
    "sweep",
]

_FRACTIONS = ("margin", "repurchase")


@dataclass(frozen=True)
class CustomerEconomics:
    """The inputs of the customer-economics model (fractions for rates and shares).

    Attributes
    ----------
    cac : float
        Acquisition cost per customer, yuan; positive.
    order_value : float
        Revenue of one order, yuan; positive.
    margin : float
        Share of an order's revenue kept as profit, 0 to 1.
    repurchase : float
        Probability of a next order after each order, 0 to 1.
    orders_per_year : float
        Orders a year of a customer who keeps buying; positive.
    discount_rate : float
        Annual discount rate, a fraction above -1 (0.08 for 8 %).
    lifetime_years : float
        Years after acquisition within which orders count; positive.
    """

    cac: float
    order_value: float
    margin: float
    repurchase: float
    orders_per_year: float
    discount_rate: float
    lifetime_years: float

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not math.isfinite(value):
                raise InputError(f"customer economics: {f.name} must be a finite number")
        for name in ("cac", "order_value", "orders_per_year", "lifetime_years"):
            if getattr(self, name) <= 0:
                raise InputError(
                    f"customer economics: {name} must be positive (got {getattr(self, name)!r})"
                )
        for name in _FRACTIONS:
            if not 0 <= getattr(self, name) <= 1:
                raise InputError(
                    f"customer economics: {name} is a fraction from 0 to 1 "
                    f"(got {getattr(self, name)!r}); give 0.3 for 30%"
                )
        if self.discount_rate <= -1:
            raise InputError(
                f"customer economics: discount_rate must be above -1 (got {self.discount_rate!r})"
            )

    @property
    def max_orders(self) -> int:
        """Most orders a customer can place within the lifetime (at least the first)."""
        return max(1, math.ceil(self.lifetime_years * self.orders_per_year - 1e-9))

    @property
    def contribution_per_order(self) -> float:
        """Profit of one order, yuan: ``order_value * margin``."""
        return self.order_value * self.margin


def _times(econ: CustomerEconomics) -> np.ndarray:
    return np.arange(econ.max_orders, dtype=float) / econ.orders_per_year


def _discount(econ: CustomerEconomics) -> np.ndarray:
    return (1.0 + econ.discount_rate) ** -_times(econ)


def _survival(econ: CustomerEconomics) -> np.ndarray:
    return econ.repurchase ** np.arange(econ.max_orders, dtype=float)


def expected_orders(econ: CustomerEconomics) -> float:
    """Expected number of orders per acquired customer within the lifetime.

    ``sum_i repurchase**i`` over the orders that fit in the lifetime; with no cut-off it
    would be ``1 / (1 - repurchase)``.
    """
    return float(_survival(econ).sum())


def order_schedule(econ: CustomerEconomics) -> pd.DataFrame:
    """Order by order: when it falls, the chance it happens, and its discounted profit.

    Returns
    -------
    pandas.DataFrame
        One row per possible order ``order`` (1 = the first), with ``years`` after
        acquisition, ``probability`` that the customer places it, ``discount`` factor,
        ``expected_profit`` (discounted, weighted by the probability),
        ``cumulative_expected_profit``, and ``cumulative_profit_if_retained`` (discounted
        profit of a customer who places every order up to this one).
    """
    disc = _discount(econ)
    surv = _survival(econ)
    unit = econ.contribution_per_order
    out = pd.DataFrame(
        {
            "order": np.arange(1, econ.max_orders + 1),
            "years": _times(econ),
            "probability": surv,
            "discount": disc,
            "expected_profit": unit * surv * disc,
        }
    )
    out["cumulative_expected_profit"] = out["expected_profit"].cumsum()
    out["cumulative_profit_if_retained"] = (unit * disc).cumsum()
    return out


def lifetime_value(econ: CustomerEconomics) -> float:
    """Expected discounted profit of an acquired customer over the lifetime, yuan."""
    return float(econ.contribution_per_order * np.sum(_survival(econ) * _discount(econ)))


def ltv_to_cac(econ: CustomerEconomics) -> float:
    """Lifetime value divided by acquisition cost: above 1, acquisition pays back on average."""
    return lifetime_value(econ) / econ.cac


@dataclass(frozen=True)
class Payback:
    """When a customer has repaid their acquisition cost.

    Attributes
    ----------
    orders_undiscounted : float
        ``cac / (order_value * margin)``: orders needed if money were not discounted and
        the lifetime had no end (fractional; ``inf`` when the margin is zero).
    years_undiscounted : float
        When the order that completes ``orders_undiscounted`` falls, years after
        acquisition, for a customer who keeps buying: ``(ceil(orders_undiscounted) - 1) /
        orders_per_year``; may lie beyond the lifetime.
    probability_undiscounted : float
        Chance that an acquired customer places ``ceil(orders_undiscounted)`` orders.
    orders : float
        Orders a customer who keeps buying must place for the discounted profit to reach
        the acquisition cost, counting the first; ``inf`` if not within the lifetime.
    years : float
        When that order falls, years after acquisition; ``inf`` if never.
    probability : float
        Chance that an acquired customer places that many orders, ``repurchase**(orders-1)``;
        0 if never.
    """

    orders_undiscounted: float
    years_undiscounted: float
    probability_undiscounted: float
    orders: float
    years: float
    probability: float


def payback(econ: CustomerEconomics) -> Payback:
    """Payback of the acquisition cost, in orders and years, for a customer who keeps buying."""
    unit = econ.contribution_per_order
    undiscounted = econ.cac / unit if unit > 0 else math.inf
    if math.isfinite(undiscounted):
        last = max(math.ceil(undiscounted - 1e-9), 1) - 1  # zero-based index of that order
        years_u, prob_u = last / econ.orders_per_year, float(econ.repurchase**last)
    else:
        years_u, prob_u = math.inf, 0.0
    cumulative = unit * np.cumsum(_discount(econ))
    reached = np.flatnonzero(cumulative >= econ.cac * (1 - 1e-12))
    if reached.size == 0:
        return Payback(undiscounted, years_u, prob_u, math.inf, math.inf, 0.0)
    k = int(reached[0])  # zero-based index of the order that pays back
    return Payback(
        orders_undiscounted=undiscounted,
        years_undiscounted=years_u,
        probability_undiscounted=prob_u,
        orders=float(k + 1),
        years=k / econ.orders_per_year,
        probability=float(econ.repurchase**k),
    )


def break_even_margin(econ: CustomerEconomics) -> float:
    """The margin (fraction) at which the lifetime value equals the acquisition cost.

    May exceed 1, meaning no margin is enough at these order values and repurchase rate.
    """
    weight = float(np.sum(_survival(econ) * _discount(econ)))
    return econ.cac / (econ.order_value * weight)


def break_even_repurchase(econ: CustomerEconomics) -> float:
    """The repurchase rate (fraction) at which the lifetime value equals the acquisition cost.

    Returns
    -------
    float
        0 when the first order alone repays the cost; ``nan`` when even a customer who
        always reorders does not repay it within the lifetime.
    """

    def gap(r: float) -> float:
        return lifetime_value(replace(econ, repurchase=r)) - econ.cac

    if gap(0.0) >= 0:
        return 0.0
    if gap(1.0) < 0:
        return math.nan
    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-10))


def evaluate(econ: CustomerEconomics) -> dict[str, float]:
    """Every output of the model at once (yuan, fractions, orders, years).

    Keys: ``ltv``, ``cac``, ``ltv_to_cac``, ``profit_per_customer`` (LTV minus CAC),
    ``expected_orders``, ``payback_orders_undiscounted``, ``payback_years_undiscounted``,
    ``payback_probability_undiscounted``, ``payback_orders``, ``payback_years``,
    ``payback_probability`` (see :class:`Payback`), ``break_even_margin``,
    ``break_even_repurchase``.
    """
    ltv = lifetime_value(econ)
    pb = payback(econ)
    return {
        "ltv": ltv,
        "cac": econ.cac,
        "ltv_to_cac": ltv / econ.cac,
        "profit_per_customer": ltv - econ.cac,
        "expected_orders": expected_orders(econ),
        "payback_orders_undiscounted": pb.orders_undiscounted,
        "payback_years_undiscounted": pb.years_undiscounted,
        "payback_probability_undiscounted": pb.probability_undiscounted,
        "payback_orders": pb.orders,
        "payback_years": pb.years,
        "payback_probability": pb.probability,
        "break_even_margin": break_even_margin(econ),
        "break_even_repurchase": break_even_repurchase(econ),
    }


def sweep(econ: CustomerEconomics, name: str, values: list[float] | np.ndarray) -> pd.DataFrame:
    """The model's outputs as one input varies, the others held.

    Parameters
    ----------
    econ
        The base case.
    name
        The input to vary, a field of :class:`CustomerEconomics`.
    values
        Its values.

    Returns
    -------
    pandas.DataFrame
        One row per value: the value (column ``name``) and every key of :func:`evaluate`.
    """
    known = [f.name for f in fields(CustomerEconomics)]
    if name not in known:
        raise InputError(f"customer economics: cannot vary {name!r}; choose from {known}")
    rows = []
    for v in values:
        out = evaluate(replace(econ, **{name: float(v)}))
        rows.append({name: float(v), **out})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the plan's inputs

PLAN_SOURCES = {
    "cac": ("2.1", "customer_acquisition_cost", "2023"),
    "roas": ("5.2", "roas", "current"),
    "margin": ("2.1", "industry_profit_margin", "2023"),
    "repurchase": ("2.1", "repurchase_rate", "current"),
    "private_frequency": ("5.2", "private_domain_purchase_frequency", "unspecified"),
    "private_multiple": ("5.2", "private_vs_public_purchase_frequency_multiple", "unspecified"),
}
"""Where each input comes from when the chapter leaves it to the plan: (section, metric, period)."""


def from_params(
    claims: pd.DataFrame, params: object, **overrides: float | None
) -> tuple[CustomerEconomics, pd.DataFrame]:
    """:func:`from_plan` with the inputs a chapter's customer-economics parameters set.

    Parameters
    ----------
    claims
        The claims table.
    params
        An object with the shared customer-economics fields (``discount_rate_pct``,
        ``customer_lifetime_years``, ``order_value_yuan``, ``orders_per_year``,
        ``margin_pct``, ``repurchase_rate_pct``); a missing field counts as ``None``.
    overrides
        Inputs that replace the parameters' values (for example a repurchase rate the
        page takes from the plan).
    """
    inputs = {
        "discount_rate_pct": params.discount_rate_pct,
        "lifetime_years": params.customer_lifetime_years,
        "order_value_yuan": getattr(params, "order_value_yuan", None),
        "orders_per_year": getattr(params, "orders_per_year", None),
        "margin_pct": getattr(params, "margin_pct", None),
        "repurchase_rate_pct": getattr(params, "repurchase_rate_pct", None),
    }
    return from_plan(claims, **{**inputs, **overrides})


def from_plan(
    claims: pd.DataFrame,
    *,
    discount_rate_pct: float,
    lifetime_years: float,
    order_value_yuan: float | None = None,
    orders_per_year: float | None = None,
    margin_pct: float | None = None,
    repurchase_rate_pct: float | None = None,
    cac_yuan: float | None = None,
) -> tuple[CustomerEconomics, pd.DataFrame]:
    """The model's inputs from the plan's figures, each replaceable by a value of one's own.

    An input left at ``None`` is taken from the claims table:

    - acquisition cost: the 2023 figure of plan 2.1;
    - order value: that acquisition cost times the current return on ad spend of plan 5.2
      (revenue per yuan of acquisition spending), i.e. the revenue an acquired customer
      brings at acquisition. It is computed from the 2023 acquisition cost even when
      ``cac_yuan`` is given, so that a lower acquisition cost does not lower the order value;
    - margin: the 2023 industry average profit margin of plan 2.1;
    - repurchase rate: the industry average of plan 2.1 (stated as "under" that value);
    - orders a year: plan 5.2's target purchase frequency of private-domain users divided by
      the multiple by which it is said to exceed the public domain (the frequency of an
      ordinary customer, reading "3 times higher" as three times as high).

    Parameters
    ----------
    claims
        The claims table.
    discount_rate_pct, lifetime_years
        Annual discount rate (percent) and the customer lifetime (years); always given.
    order_value_yuan, orders_per_year, margin_pct, repurchase_rate_pct, cac_yuan
        Values that replace the plan's (``None``: take the plan's).

    Returns
    -------
    tuple
        The :class:`CustomerEconomics` (fractions) and a table of the inputs with columns
        ``input, value, unit, source``.
    """
    rows: list[dict[str, object]] = []

    def plan(key: str) -> pd.Series:
        section, metric, period = PLAN_SOURCES[key]
        return pick(claims, section, metric, period)

    cac_plan = plan("cac")
    if cac_yuan is None:
        cac = float(cac_plan["value"])
        cac_source = f"plan 2.1 ({cac_plan['id']})"
    else:
        cac, cac_source = float(cac_yuan), "parameter"
    rows.append({"input": "Acquisition cost", "value": cac, "unit": "yuan per customer"})
    rows[-1]["source"] = cac_source

    if order_value_yuan is None:
        roas = plan("roas")
        order_value = float(cac_plan["value"]) * float(roas["value"])
        ov_source = (
            "plan 2.1 acquisition cost x plan 5.2 return on ad spend "
            f"({cac_plan['id']}, {roas['id']})"
        )
    else:
        order_value, ov_source = float(order_value_yuan), "parameter"
    rows.append({"input": "Order value", "value": order_value, "unit": "yuan", "source": ov_source})

    if margin_pct is None:
        m = plan("margin")
        margin, m_source = float(m["value"]), f"plan 2.1, 2023 industry profit margin ({m['id']})"
    else:
        margin, m_source = float(margin_pct), "parameter"
    rows.append({"input": "Margin", "value": margin, "unit": "percent", "source": m_source})

    if repurchase_rate_pct is None:
        r = plan("repurchase")
        repurchase = float(r["value"])
        r_source = f"plan 2.1, industry average, stated as under this value ({r['id']})"
    else:
        repurchase, r_source = float(repurchase_rate_pct), "parameter"
    rows.append(
        {"input": "Repurchase rate", "value": repurchase, "unit": "percent", "source": r_source}
    )

    if orders_per_year is None:
        freq, mult = plan("private_frequency"), plan("private_multiple")
        per_year = float(freq["value"]) / float(mult["value"])
        f_source = (
            f"plan 5.2 private-domain frequency / stated multiple ({freq['id']}, {mult['id']})"
        )
    else:
        per_year, f_source = float(orders_per_year), "parameter"
    rows.append(
        {"input": "Orders a year", "value": per_year, "unit": "orders per year", "source": f_source}
    )
    rows.append(
        {
            "input": "Discount rate",
            "value": float(discount_rate_pct),
            "unit": "percent a year",
            "source": "parameter",
        }
    )
    rows.append(
        {
            "input": "Customer lifetime",
            "value": float(lifetime_years),
            "unit": "years",
            "source": "parameter",
        }
    )
    econ = CustomerEconomics(
        cac=cac,
        order_value=order_value,
        margin=margin / 100.0,
        repurchase=repurchase / 100.0,
        orders_per_year=per_year,
        discount_rate=float(discount_rate_pct) / 100.0,
        lifetime_years=float(lifetime_years),
    )
    return econ, pd.DataFrame(rows, columns=["input", "value", "unit", "source"])
