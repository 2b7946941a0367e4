"""Monte Carlo model of annual loss from risk events (a compound Poisson model).

Each risk ``i`` strikes ``N_i ~ Poisson(lambda_i)`` times a year; each event costs
``X = m_i * exp(sigma * Z - sigma^2 / 2)`` with ``Z`` standard normal, a lognormal loss
whose mean is the anchor ``m_i``. A year's loss from risk ``i`` is the sum of its
events' losses, and the total is the sum over risks, so ``E[loss] = sum_i lambda_i m_i``.

A mitigation either prevents a fraction of events (``frequency_cut``) or shrinks each
event's loss by a fraction (``severity_cut``); ``realisation`` scales both (1 = the
plan's claimed effect in full, 0 = no effect). Before and after use the same random
draws (an event the mitigation prevents is one of the events drawn before), so the loss
avoided in each simulated year is never negative.

Everything is vectorised and costs a few draws per *event*, not per year and risk: for
each risk one Poisson draw gives the number of events over all simulated years, each
event is placed in a year drawn uniformly (given the total, that makes the years' counts
independent Poisson variables with mean ``lambda_i``), each gets one normal and one
uniform draw, and :func:`numpy.bincount` adds the events up by year and risk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RiskEvent:
    """One kind of loss event.

    Attributes
    ----------
    key
        Short name.
    frequency
        Expected events a year (the Poisson mean), >= 0.
    severity_mean
        Mean loss of one event, >= 0, in the model's money unit.
    frequency_cut
        Fraction of events the mitigation prevents, in [0, 1].
    severity_cut
        Fraction of each event's loss the mitigation removes, in [0, 1].
    """

    key: str
    frequency: float
    severity_mean: float
    frequency_cut: float = 0.0
    severity_cut: float = 0.0

    def __post_init__(self) -> None:
        if not (self.frequency >= 0 and math.isfinite(self.frequency)):
            raise ValueError(f"{self.key}: frequency must be >= 0, got {self.frequency}")
        if not (self.severity_mean >= 0 and math.isfinite(self.severity_mean)):
            raise ValueError(f"{self.key}: severity must be >= 0, got {self.severity_mean}")
        for name in ("frequency_cut", "severity_cut"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{self.key}: {name} must be between 0 and 1, got {value}")


def expected_loss(events: Sequence[RiskEvent], realisation: float = 0.0) -> float:
    """Analytic expected annual loss, ``sum lambda (1 - r fc) m (1 - r sc)``.

    ``realisation = 0`` gives the loss before mitigation.
    """
    return sum(
        e.frequency
        * (1 - realisation * e.frequency_cut)
        * e.severity_mean
        * (1 - realisation * e.severity_cut)
        for e in events
    )


@dataclass(frozen=True)
class Simulation:
    """Simulated annual losses, one row per simulated year and one column per risk."""

    keys: tuple[str, ...]
    before: np.ndarray
    after: np.ndarray
    seed: int
    sigma: float
    realisation: float

    @property
    def draws(self) -> int:
        """Number of simulated years."""
        return int(self.before.shape[0])

    @property
    def total_before(self) -> np.ndarray:
        """Total loss of each simulated year without the mitigations."""
        return self.before.sum(axis=1)

    @property
    def total_after(self) -> np.ndarray:
        """Total loss of each simulated year with the mitigations."""
        return self.after.sum(axis=1)

    def summary(self, quantile: float = 0.95) -> dict[str, float]:
        """Expected loss, the ``quantile`` of the loss, and the loss avoided.

        Returns
        -------
        dict
            ``expected_before``, ``expected_after``, ``quantile_before``,
            ``quantile_after``, ``avoided_expected`` (mean of before - after),
            ``avoided_share_pct``, ``standard_error_before`` (of the mean),
            ``p_no_loss_before`` (share of years without a loss event).
        """
        if not 0.0 < quantile < 1.0:
            raise ValueError(f"quantile must be between 0 and 1, got {quantile}")
        tb, ta = self.total_before, self.total_after
        eb, ea = float(tb.mean()), float(ta.mean())
        return {
            "expected_before": eb,
            "expected_after": ea,
            "quantile_before": float(np.quantile(tb, quantile)),
            "quantile_after": float(np.quantile(ta, quantile)),
            "avoided_expected": eb - ea,
            "avoided_share_pct": (eb - ea) / eb * 100.0 if eb > 0 else math.nan,
            "standard_error_before": float(tb.std(ddof=1) / math.sqrt(self.draws)),
            "p_no_loss_before": float((tb == 0).mean()),
        }

    def tail_drivers(self, quantile: float = 0.95) -> pd.DataFrame:
        """Which risk causes the bad years: in the years whose loss before mitigation is at
        or above its ``quantile``, the share in which each risk is the largest loss."""
        if not 0.0 < quantile < 1.0:
            raise ValueError(f"quantile must be between 0 and 1, got {quantile}")
        tb = self.total_before
        tail = self.before[tb >= np.quantile(tb, quantile)]
        largest = np.bincount(tail.argmax(axis=1), minlength=len(self.keys))
        return pd.DataFrame(
            {"risk": list(self.keys), "share_of_tail_years": largest / max(len(tail), 1)}
        )

    def by_risk(self) -> pd.DataFrame:
        """Mean annual loss of each risk, before and after, and the loss avoided."""
        out = pd.DataFrame(
            {
                "risk": list(self.keys),
                "expected_before": self.before.mean(axis=0),
                "expected_after": self.after.mean(axis=0),
            }
        )
        out["avoided"] = out["expected_before"] - out["expected_after"]
        return out


def simulate(
    events: Sequence[RiskEvent],
    *,
    draws: int,
    seed: int,
    sigma: float,
    realisation: float = 1.0,
) -> Simulation:
    """Simulate ``draws`` years of losses, before and after the mitigations.

    Parameters
    ----------
    events
        The risks (at least one).
    draws
        Simulated years, >= 1.
    seed
        Seed of :func:`numpy.random.default_rng`: the same seed gives the same numbers.
    sigma
        Lognormal shape of every event's loss (0 = every event costs exactly its mean).
    realisation
        Share of the claimed mitigation effects realised, in [0, 1].
    """
    if not events:
        raise ValueError("simulate needs at least one risk event")
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0, got {sigma}")
    if not 0.0 <= realisation <= 1.0:
        raise ValueError(f"realisation must be between 0 and 1, got {realisation}")
    k = len(events)
    lam = np.array([e.frequency for e in events], dtype=float)
    mean = np.array([e.severity_mean for e in events], dtype=float)
    keep_p = 1.0 - realisation * np.array([e.frequency_cut for e in events], dtype=float)
    scale = 1.0 - realisation * np.array([e.severity_cut for e in events], dtype=float)

    rng = np.random.default_rng(seed)
    totals = rng.poisson(lam * draws)
    risk = np.repeat(np.arange(k), totals)
    n = risk.size
    cell = rng.integers(0, draws, size=n, dtype=np.int64) * k + risk
    loss = mean[risk] * np.exp(sigma * rng.standard_normal(n) - 0.5 * sigma * sigma)
    kept = rng.random(n) < keep_p[risk]
    loss_after = np.where(kept, loss * scale[risk], 0.0)
    size = draws * k
    before = np.bincount(cell, weights=loss, minlength=size).reshape(draws, k)
    after = np.bincount(cell, weights=loss_after, minlength=size).reshape(draws, k)
    return Simulation(
        keys=tuple(e.key for e in events),
        before=before,
        after=after,
        seed=seed,
        sigma=sigma,
        realisation=realisation,
    )


def exceedance(totals: np.ndarray, points: int = 200) -> pd.DataFrame:
    """The exceedance curve of simulated losses: ``P(loss > x)`` on a grid of ``x``."""
    x = np.linspace(0.0, float(np.quantile(totals, 0.999)), points)
    ordered = np.sort(totals)
    above = 1.0 - np.searchsorted(ordered, x, side="right") / ordered.size
    return pd.DataFrame({"loss": x, "p_exceed": above})


__all__ = ["RiskEvent", "Simulation", "exceedance", "expected_loss", "simulate"]
