"""How often a month-to-month alert rule fires on noise alone.

Plan 7.3 asks for a review whenever the conversion rate moves by more than a threshold
(in percent) from one month to the next. If nothing real changes, the rate still moves:
this module simulates that noise and counts the alerts.

Two noise models, both on logs (so that a rise and a fall of the same size are equally
likely and the rate stays positive):

- ``random_walk``: the monthly log change is normal, mean 0, sd ``sigma``;
- ``iid_level``: the log level is normal around a fixed mean with sd ``sigma``, so the
  monthly log change is normal with sd ``sigma * sqrt(2)`` (and consecutive changes are
  negatively correlated).

A relative change above ``h`` means a log change above ``ln(1 + h)`` or below
``ln(1 - h)``; for normal log changes with sd ``s`` the chance per month is
``P = Phi(ln(1 - h) / s) + 1 - Phi(ln(1 + h) / s)`` (:func:`analytic_rate`).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

NoiseModel = Literal["random_walk", "iid_level"]
NOISE_MODELS: tuple[str, ...] = ("random_walk", "iid_level")


def _check(sigma: float, threshold: float, noise_model: str) -> None:
    if noise_model not in NOISE_MODELS:
        raise ValueError(f"unknown noise model {noise_model!r}; use one of: {NOISE_MODELS}")
    if not sigma > 0:
        raise ValueError(f"the noise sd must be positive, got {sigma}")
    if not 0 < threshold < 1:
        raise ValueError(f"the threshold is a fraction between 0 and 1, got {threshold}")


def change_sd(sigma: float, noise_model: NoiseModel = "random_walk") -> float:
    """The sd of the monthly log change under a noise model."""
    return sigma * (math.sqrt(2.0) if noise_model == "iid_level" else 1.0)


def analytic_rate(sigma: float, threshold: float, noise_model: NoiseModel = "random_walk") -> float:
    """Chance per month that the rule fires on noise alone (closed form).

    Parameters
    ----------
    sigma
        Noise sd on the log scale (0.05 for about 5%).
    threshold
        Relative change that fires the alert, as a fraction (0.1 for 10%).
    noise_model
        ``"random_walk"`` or ``"iid_level"``.
    """
    _check(sigma, threshold, noise_model)
    s = change_sd(sigma, noise_model)
    norm = NormalDist()
    return norm.cdf(math.log(1.0 - threshold) / s) + 1.0 - norm.cdf(math.log(1.0 + threshold) / s)


def simulate_log_levels(
    sigma: float,
    months: int,
    draws: int,
    seed: int,
    noise_model: NoiseModel = "random_walk",
) -> np.ndarray:
    """Simulated log conversion rates (relative to the start), ``draws x (months + 1)``.

    The noise is drawn once as standard normals and scaled by ``sigma``, so that curves
    over several noise levels with the same seed use common random numbers.
    """
    if months < 1 or draws < 1:
        raise ValueError(f"months and draws must be at least 1, got {months} and {draws}")
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((draws, months + 1))
    if noise_model == "random_walk":
        z[:, 0] = 0.0
        return sigma * np.cumsum(z, axis=1)
    if noise_model == "iid_level":
        return sigma * z
    raise ValueError(f"unknown noise model {noise_model!r}; use one of: {NOISE_MODELS}")


def alerts(log_levels: np.ndarray, threshold: float) -> np.ndarray:
    """Whether the rule fires in each month: ``|rate_t / rate_(t-1) - 1| > threshold``."""
    if not 0 < threshold < 1:
        raise ValueError(f"the threshold is a fraction between 0 and 1, got {threshold}")
    change = np.diff(log_levels, axis=1)
    return (change > math.log1p(threshold)) | (change < math.log1p(-threshold))


def simulate(
    sigma: float,
    threshold: float,
    months: int,
    draws: int,
    seed: int,
    noise_model: NoiseModel = "random_walk",
) -> dict[str, float]:
    """Simulate ``draws`` runs of ``months`` monthly reviews with no real change.

    Returns
    -------
    dict
        ``rate``: share of monthly reviews that fire; ``rate_se``: its binomial standard
        error; ``any_alarm``: share of runs with at least one alert; ``mean_alarms``:
        alerts per run; ``analytic``: the closed-form rate.
    """
    _check(sigma, threshold, noise_model)
    fired = alerts(simulate_log_levels(sigma, months, draws, seed, noise_model), threshold)
    rate = float(fired.mean())
    return {
        "rate": rate,
        "rate_se": math.sqrt(rate * (1.0 - rate) / fired.size),
        "any_alarm": float(fired.any(axis=1).mean()),
        "mean_alarms": float(fired.sum(axis=1).mean()),
        "analytic": analytic_rate(sigma, threshold, noise_model),
    }


def rate_curve(
    sigmas: np.ndarray | list[float],
    threshold: float,
    months: int,
    draws: int,
    seed: int,
    noise_model: NoiseModel = "random_walk",
) -> pd.DataFrame:
    """False-alarm rates over a grid of noise levels (common random numbers).

    Returns
    -------
    pandas.DataFrame
        Columns ``sigma``, ``rate`` (simulated, per month), ``analytic``, ``any_alarm``
        (share of runs of ``months`` months with at least one alert), ``mean_alarms``.
    """
    sigmas = np.asarray(sigmas, dtype=float)
    if sigmas.size == 0 or (sigmas <= 0).any():
        raise ValueError("sigmas must be a non-empty list of positive noise levels")
    base = simulate_log_levels(1.0, months, draws, seed, noise_model)
    rows = []
    for s in sigmas:
        fired = alerts(s * base, threshold)
        rows.append(
            {
                "sigma": float(s),
                "rate": float(fired.mean()),
                "analytic": analytic_rate(float(s), threshold, noise_model),
                "any_alarm": float(fired.any(axis=1).mean()),
                "mean_alarms": float(fired.sum(axis=1).mean()),
            }
        )
    return pd.DataFrame(rows)


def sigma_for_rate(rate: float, threshold: float, noise_model: NoiseModel = "random_walk") -> float:
    """The noise sd at which the rule fires with chance ``rate`` per month (bisection)."""
    if not 0 < rate < 1:
        raise ValueError(f"rate must be a fraction between 0 and 1, got {rate}")
    lo, hi = 1e-6, 10.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if analytic_rate(mid, threshold, noise_model) < rate:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


__all__ = [
    "NOISE_MODELS",
    "NoiseModel",
    "alerts",
    "analytic_rate",
    "change_sd",
    "rate_curve",
    "sigma_for_rate",
    "simulate",
    "simulate_log_levels",
]
