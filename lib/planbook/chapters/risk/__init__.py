"""Chapter 5 (risk assessment and responses): a risk register, availability, and a loss model.

Plan 5.1-5.4 names twelve risks in four groups (operational, market, technology, policy),
each with a figure as evidence, a response and a target. :mod:`.register` reads the
register (``data/plan/risks.csv``, :func:`risks`; ``RISKS`` is the book's) and scores it
with the chapter's likelihood and impact parameters (generated from the same register);
:mod:`.outages` turns the availability and recovery targets into hours and money
(:mod:`planbook.methods.models.availability`) and checks chapter 5's figures;
:mod:`.losses` builds the Monte Carlo model of annual loss
(:mod:`planbook.methods.models.risk_mc`) from the incident figures the plan reports;
:mod:`.result` gathers what the page shows (:func:`compute`).

Money in this package is in million yuan.
"""

from planbook.chapters.risk.losses import (
    MONEY,
    loss_events,
    loss_summary,
    realisation_sweep,
    simulate,
    tail_by_sigma,
    to_events,
)
from planbook.chapters.risk.outages import (
    CHECKS,
    availability_view,
    internal_checks,
    outage_figures,
)
from planbook.chapters.risk.register import (
    CATEGORIES,
    Risk,
    Spec,
    describe_value,
    heat_grid,
    rating,
    register,
    risks,
)
from planbook.chapters.risk.result import (
    FREQUENCIES,
    REALISATIONS,
    REGISTER_COLUMNS,
    SIGMAS,
    RiskResult,
    compute,
    headline,
)


def __getattr__(name: str) -> object:
    """``RISKS``: :func:`risks` of the book's register, read when first used."""
    if name == "RISKS":
        return risks()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CATEGORIES",
    "CHECKS",
    "FREQUENCIES",
    "MONEY",
    "REALISATIONS",
    "REGISTER_COLUMNS",
    "SIGMAS",
    "Risk",
    "RiskResult",
    "Spec",
    "availability_view",
    "compute",
    "describe_value",
    "heat_grid",
    "headline",
    "internal_checks",
    "loss_events",
    "loss_summary",
    "outage_figures",
    "rating",
    "realisation_sweep",
    "register",
    "risks",
    "simulate",
    "tail_by_sigma",
    "to_events",
]
