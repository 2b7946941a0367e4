"""The predictive distribution of a forecast: quantiles, exact probabilities, draws.

A method's forecast for each step is a location-scale distribution on the log scale (normal or
Student t); an ensemble is the quantile average of several such distributions in levels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import optimize, stats

#: Probabilities closer than this to 0 or 1 are clipped before taking quantiles.
TINY = 1e-12


@dataclass(frozen=True, eq=False)
class Predictive:
    """Predictive distribution of the level at each forecast step.

    It is built from ``k`` components. Component ``i`` says that the log value at step ``j``
    is ``loc[i, j] + scale[i, j] * T`` where ``T`` is standard normal (``df[i]`` infinite) or
    Student t with ``df[i]`` degrees of freedom. The distribution of the level is the quantile
    average of the components in levels: ``Q(p) = mean_i exp(loc_i + scale_i * q_i(p))``. A
    single model has one component; an ensemble has one per member.

    Attributes
    ----------
    loc, scale : numpy.ndarray
        Arrays of shape ``(k, horizon)`` on the log scale; ``scale >= 0``.
    df : numpy.ndarray
        Shape ``(k,)``; ``inf`` for a normal component.
    spread : float, default 1.0
        Calibration factor (:mod:`planbook.methods.forecast.calibration`). The quantile at
        ``p`` is the fitted distribution's quantile at ``Phi(spread * Phi^-1(p))``: normal
        scores are stretched by ``spread``, so a normal component's scale is multiplied by
        it, and the median is unchanged. 1 is the distribution as fitted.
    """

    loc: np.ndarray
    scale: np.ndarray
    df: np.ndarray
    spread: float = 1.0

    @classmethod
    def single(
        cls, loc: Sequence[float], scale: Sequence[float], df: float = math.inf
    ) -> Predictive:
        """One location-scale component on logs (``df=inf`` for normal)."""
        loc_a = np.asarray(loc, dtype=float).reshape(1, -1)
        scale_a = np.asarray(scale, dtype=float).reshape(1, -1)
        if loc_a.shape != scale_a.shape:
            raise ValueError("loc and scale must have the same length")
        if np.any(~np.isfinite(loc_a)) or np.any(~np.isfinite(scale_a)) or np.any(scale_a < 0):
            raise ValueError("the fitted model gave a non-finite forecast or a negative scale")
        return cls(loc=loc_a, scale=scale_a, df=np.array([float(df)]))

    @classmethod
    def combine(cls, members: Sequence[Predictive]) -> Predictive:
        """Quantile-average several predictive distributions with equal weights."""
        if not members:
            raise ValueError("an ensemble needs at least one member")
        if len({m.loc.shape[1] for m in members}) != 1:
            raise ValueError("ensemble members must have the same horizon")
        if any(m.spread != 1.0 for m in members):
            raise ValueError("combine members as fitted, then calibrate the ensemble")
        return cls(
            loc=np.vstack([m.loc for m in members]),
            scale=np.vstack([m.scale for m in members]),
            df=np.concatenate([m.df for m in members]),
        )

    def calibrated(self, spread: float) -> Predictive:
        """The same distribution with its normal scores stretched by ``spread`` (> 0)."""
        if not (math.isfinite(spread) and spread > 0):
            raise ValueError(f"a calibration factor must be positive and finite; got {spread!r}")
        return Predictive(self.loc, self.scale, self.df, float(spread))

    @property
    def horizon(self) -> int:
        """Number of forecast steps."""
        return int(self.loc.shape[1])

    def _z(self, p: np.ndarray) -> np.ndarray:
        """Component quantiles of ``p``: shape ``(k, len(p))``."""
        p = np.asarray(p, dtype=float)
        if self.spread != 1.0:
            p = stats.norm.cdf(self.spread * stats.norm.ppf(p))
        p = np.clip(p, TINY, 1.0 - TINY)
        return stats.t.ppf(p[None, :], self.df[:, None])

    def ppf(self, p: np.ndarray | float, step: int) -> np.ndarray:
        """Quantiles of the level at forecast step ``step`` (1-based) for probabilities ``p``."""
        j = step - 1
        z = self._z(np.atleast_1d(p))
        levels = np.exp(self.loc[:, j, None] + self.scale[:, j, None] * z)
        return levels.mean(axis=0)

    def quantile(self, p: float) -> np.ndarray:
        """The ``p`` quantile of the level at every step, shape ``(horizon,)``."""
        z = self._z(np.array([p]))[:, 0]
        return np.exp(self.loc + self.scale * z[:, None]).mean(axis=0)

    def prob(self, x: float, step: int, bound: Literal["ge", "le"]) -> float:
        """Exact probability that the level at ``step`` is ``>= x`` (``"ge"``) or ``<= x``."""
        j = step - 1
        if np.all(self.scale[:, j] == 0):
            value = float(np.exp(self.loc[:, j]).mean())
            return float(value >= x) if bound == "ge" else float(value <= x)
        if self.loc.shape[0] == 1:
            z = (math.log(x) - self.loc[0, j]) / self.scale[0, j]
            score = float(normal_scores(np.array([z]), np.array([self.df[0]]))[0])
        else:
            base = Predictive(self.loc, self.scale, self.df)
            lo = float(base.ppf(TINY, step)[0])
            hi = float(base.ppf(1 - TINY, step)[0])
            if x <= lo:
                return 1.0 if bound == "ge" else 0.0
            if x >= hi:
                return 0.0 if bound == "ge" else 1.0
            cdf = optimize.brentq(
                lambda p: float(base.ppf(p, step)[0]) - x, TINY, 1 - TINY, xtol=1e-14
            )
            score = float(stats.norm.ppf(cdf))
        score /= self.spread
        return float(stats.norm.sf(score) if bound == "ge" else stats.norm.cdf(score))

    def sample(self, rng: np.random.Generator, draws: int, step: int) -> np.ndarray:
        """Draw ``draws`` levels at ``step`` by inverting the quantile function."""
        return self.ppf(rng.random(draws), step)


def normal_scores(z: np.ndarray, df: np.ndarray) -> np.ndarray:
    """Standard normal quantiles of ``T(df)``'s probabilities at ``z`` (``z`` itself where
    ``df`` is infinite), computed in the nearer tail so that far tails keep their precision.

    Parameters
    ----------
    z : numpy.ndarray
        Standardised values, ``(x - loc) / scale`` on the log scale.
    df : numpy.ndarray
        Degrees of freedom, broadcast against ``z``; ``inf`` for a normal component.

    Returns
    -------
    numpy.ndarray
        Normal scores, clipped to +-37 (where double precision runs out).
    """
    z, df = np.broadcast_arrays(np.asarray(z, dtype=float), np.asarray(df, dtype=float))
    out = z.copy()
    finite = np.isfinite(df)
    if finite.any():
        zf, dff = z[finite], df[finite]
        upper = stats.norm.isf(stats.t.sf(zf, dff))
        lower = stats.norm.ppf(stats.t.cdf(zf, dff))
        out[finite] = np.where(zf > 0, upper, lower)
    return np.clip(out, -37.0, 37.0)
