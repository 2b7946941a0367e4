"""Availability and recovery targets in hours of downtime and money lost.

A service available a fraction ``a`` of the time is down ``(1 - a)`` of the year. If
outages arrive at ``n`` a year and each lasts the recovery time ``r``, the downtime is
``n * r`` and the availability ``1 - n * r / year``; at a loss rate of ``L`` per hour of
outage, the expected annual loss is ``n * r * L``.
"""

from __future__ import annotations

import pandas as pd

from planbook.data.periods import HOURS_PER_YEAR

NINES = (99.0, 99.9, 99.95, 99.99, 99.999)
"""The usual availability levels ("two nines" to "five nines"), percent."""


def _pct(name: str, value: float) -> None:
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"{name} must be a percentage between 0 and 100, got {value}")


def _non_negative(name: str, value: float) -> None:
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def downtime_hours(availability_pct: float, hours_per_year: float = HOURS_PER_YEAR) -> float:
    """Hours a year a service at ``availability_pct`` may be down.

    >>> round(downtime_hours(99.99) * 60, 2)
    52.56
    """
    _pct("availability", availability_pct)
    return (1.0 - availability_pct / 100.0) * hours_per_year


def availability_pct(
    outages_per_year: float, recovery_hours: float, hours_per_year: float = HOURS_PER_YEAR
) -> float:
    """Availability (percent) given outages a year and the hours each takes to recover."""
    _non_negative("outages per year", outages_per_year)
    _non_negative("recovery time", recovery_hours)
    down = outages_per_year * recovery_hours
    if down > hours_per_year:
        raise ValueError(f"{down:g} hours of outage do not fit in a year of {hours_per_year:g}")
    return (1.0 - down / hours_per_year) * 100.0


def max_outages(
    availability: float, recovery_hours: float, hours_per_year: float = HOURS_PER_YEAR
) -> float:
    """Outages a year that fit in the downtime an availability target allows.

    >>> round(max_outages(99.99, 0.5), 3)
    1.752
    """
    if recovery_hours <= 0:
        raise ValueError(f"recovery time must be positive, got {recovery_hours}")
    return downtime_hours(availability, hours_per_year) / recovery_hours


def loss_rate(loss: float, hours: float) -> float:
    """Loss per hour of outage implied by one outage's loss and duration.

    >>> loss_rate(3.0, 4.0)
    0.75
    """
    if hours <= 0:
        raise ValueError(f"outage duration must be positive, got {hours}")
    return loss / hours


def expected_loss(outages_per_year: float, recovery_hours: float, rate_per_hour: float) -> float:
    """Expected annual outage loss: outages a year x hours each x loss per hour."""
    _non_negative("outages per year", outages_per_year)
    _non_negative("recovery time", recovery_hours)
    _non_negative("loss rate", rate_per_hour)
    return outages_per_year * recovery_hours * rate_per_hour


def downtime_table(
    levels: tuple[float, ...] = NINES,
    rate_per_hour: float | None = None,
    hours_per_year: float = HOURS_PER_YEAR,
) -> pd.DataFrame:
    """Downtime a year at each availability level, and its cost at a loss rate if given.

    Returns
    -------
    pandas.DataFrame
        ``availability_pct``, ``downtime_hours``, ``downtime_minutes`` and, with a rate,
        ``loss_at_rate`` (downtime hours x rate, in the rate's money unit).
    """
    out = pd.DataFrame({"availability_pct": list(levels)})
    out["downtime_hours"] = [downtime_hours(a, hours_per_year) for a in levels]
    out["downtime_minutes"] = out["downtime_hours"] * 60.0
    if rate_per_hour is not None:
        out["loss_at_rate"] = out["downtime_hours"] * rate_per_hour
    return out


__all__ = [
    "HOURS_PER_YEAR",
    "NINES",
    "availability_pct",
    "downtime_hours",
    "downtime_table",
    "expected_loss",
    "loss_rate",
    "max_outages",
]
