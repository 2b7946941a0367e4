"""Chapter 4 (implementation path): the initiatives, the uplifts they claim, and what stacks.

Plan 4.1-4.4 lists initiatives and, for most of them, a change they are said to bring:
some are the plan's own targets, most are results reported for a single other firm.
:mod:`.uplifts` puts those claims in one table and feeds the ones that move a driver of
GMV or a cost line into a driver tree (:mod:`planbook.methods.models.driver_tree`);
:mod:`.inventory` checks every inventory figure of the plan, days against turns
(:mod:`planbook.methods.models.inventory`); :mod:`.result` gathers what the page shows.
"""

from planbook.chapters.implementation.inventory import (
    INVENTORY_CHECKS,
    INVENTORY_METRICS,
    inventory_checks,
    inventory_figures,
    shein_days,
    working_capital,
)
from planbook.chapters.implementation.result import ImplementationResult, compute, headline
from planbook.chapters.implementation.uplifts import (
    CLAIMED,
    COST_LINES,
    GMV_DRIVERS,
    HAIRCUTS,
    INITIATIVES,
    LABELS,
    WEIGHTS,
    Initiative,
    claimed_uplifts,
    cost_lines,
    cost_target_coverage,
    cost_tree,
    gmv_tree,
    gmv_waterfall,
    sensitivity,
    tree_uplifts,
)

__all__ = [
    "CLAIMED",
    "COST_LINES",
    "GMV_DRIVERS",
    "HAIRCUTS",
    "INITIATIVES",
    "INVENTORY_CHECKS",
    "INVENTORY_METRICS",
    "LABELS",
    "WEIGHTS",
    "ImplementationResult",
    "Initiative",
    "claimed_uplifts",
    "compute",
    "cost_lines",
    "cost_target_coverage",
    "cost_tree",
    "gmv_tree",
    "gmv_waterfall",
    "headline",
    "inventory_checks",
    "inventory_figures",
    "sensitivity",
    "shein_days",
    "tree_uplifts",
    "working_capital",
]
