"""The fitted models: ETS, ARIMA and the log-linear trend (with a possible break), on logs.

ETS and ARIMA are fitted with statsmodels and give analytic normal intervals on logs with the
fitted parameters treated as known; the trend is an OLS line with a Student-t prediction
interval that includes parameter uncertainty. Warnings statsmodels emits while fitting short
series are silenced here; convergence problems go into :attr:`ForecastResult.notes`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from planbook.methods.forecast.distribution import Predictive
from planbook.methods.forecast.inputs import prepare, quiet
from planbook.methods.forecast.result import ForecastResult, documented, make_result

#: Break year used by :func:`trend_break` (the 2020 pandemic year).
DEFAULT_BREAK_YEAR = 2020


def _ets(series: pd.Series, horizon: int, level: float, damped: bool) -> ForecastResult:
    name = "ets_damped" if damped else "ets"
    hist, horizon, level, _ = prepare(series, name, horizon, level)
    with quiet():
        model = ETSModel(
            hist.log_series(),
            error="add",
            trend="add",
            damped_trend=damped,
            initialization_method="estimated",
        )
        fit = model.fit(disp=False)
        pred = fit.get_prediction(start=hist.n, end=hist.n + horizon - 1)
        loc = np.asarray(pred.predicted_mean, dtype=float)
        scale = np.sqrt(np.maximum(np.asarray(pred.forecast_variance, dtype=float), 0.0))
    # ETSResults.params comes back with an integer index: pair it with param_names.
    params = dict(zip(fit.param_names, np.asarray(fit.params, dtype=float), strict=True))
    shown = ", ".join(
        f"{label} = {params[key]:.3g}"
        for key, label in (
            ("smoothing_level", "alpha"),
            ("smoothing_trend", "beta"),
            ("damping_trend", "phi"),
        )
        if key in params
    )
    notes = [
        f"ETS(A,{'Ad' if damped else 'A'},N) on logs: {shown}; analytic normal interval on "
        "logs, parameters treated as known"
    ]
    if not fit.mle_retvals.get("converged", True):
        notes.append("the ETS optimizer did not report convergence")
    return make_result(name, hist, level, Predictive.single(loc, scale), notes)


@documented("ets")
def ets(series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0) -> ForecastResult:
    """ETS(A,A,N) on logs: Holt's linear trend with additive errors (statsmodels ``ETSModel``).

    The interval is analytic, normal on logs, with the parameters treated as known.

    {parameters}

    {returns}
    """
    return _ets(series, horizon, level, damped=False)


@documented("ets_damped")
def ets_damped(
    series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0
) -> ForecastResult:
    """ETS(A,Ad,N) on logs: additive errors and a damped additive trend.

    statsmodels bounds the damping parameter ``phi`` to ``[0.8, 0.98]``. The interval is
    analytic, normal on logs, with the parameters treated as known.

    {parameters}

    {returns}
    """
    return _ets(series, horizon, level, damped=True)


@documented("arima")
def arima(
    series: pd.Series,
    horizon: int,
    level: float = 0.8,
    *,
    max_p: int = 1,
    max_q: int = 1,
    max_order: int = 1,
    seed: int = 0,
) -> ForecastResult:
    """ARIMA(p,1,q) on logs, with or without drift, chosen by AICc.

    The search covers ``p = 0..max_p``, ``q = 0..max_q`` with ``p + q <= max_order`` and
    drift on/off (statsmodels ``trend="t"``, which with ``d=1`` is a constant growth rate).
    By default that is six models: the random walk, AR(1) and MA(1) on the growth rates,
    each with and without drift; ARMA(1,1) on growth rates is left out, since 5 to 12
    annual points cannot identify it (its AICc is rarely finite) and it is the slowest to
    fit. ``d`` is fixed at 1 because
    AICc values of models with different ``d`` are not comparable. Orders whose AICc would be
    infinite on this sample (too many parameters) are skipped. The interval is Gaussian on
    logs with parameters treated as known.

    Parameters
    ----------
    {series}
    {horizon}
    {level}
    max_p, max_q : int, default 1
        Largest autoregressive and moving-average orders tried.
    max_order : int, default 1
        Largest ``p + q`` tried.
    {seed}

    {returns}
    """
    hist, horizon, level, _ = prepare(series, "arima", horizon, level)
    y = hist.log_series()
    n_eff = hist.n - 1
    best, best_aicc, best_order, tried = None, math.inf, None, 0
    with quiet():
        for p, q, trend_term in itertools.product(range(max_p + 1), range(max_q + 1), "nt"):
            if p + q > max_order:
                continue
            k = p + q + (trend_term == "t") + 1
            if n_eff - k - 1 <= 0:
                continue
            try:
                fit = ARIMA(y, order=(p, 1, q), trend=trend_term).fit(cov_type="none")
            except (ValueError, np.linalg.LinAlgError):
                continue
            tried += 1
            if np.isfinite(fit.aicc) and fit.aicc < best_aicc:
                best, best_aicc, best_order = fit, float(fit.aicc), (p, q, trend_term)
        if best is None or best_order is None:
            raise ValueError(f"ARIMA: no order could be fitted to {hist.n} observations")
        pred = best.get_forecast(horizon)
        loc = np.asarray(pred.predicted_mean, dtype=float)
        scale = np.asarray(pred.se_mean, dtype=float)
    p, q, trend_term = best_order
    notes = [
        f"ARIMA({p},1,{q}){' with drift' if trend_term == 't' else ''} on logs, lowest AICc "
        f"({best_aicc:.2f}) of {tried} orders; Gaussian interval on logs, parameters treated "
        "as known"
    ]
    if not best.mle_retvals.get("converged", True):
        notes.append("the ARIMA optimizer did not report convergence for the chosen order")
    return make_result("arima", hist, level, Predictive.single(loc, scale), notes)


def _trend_design(t: np.ndarray, years: np.ndarray, variant: str, break_year: int) -> np.ndarray:
    columns = [np.ones_like(t), t]
    if "level" in variant:
        columns.append((years >= break_year).astype(float))
    if "slope" in variant:
        columns.append(np.maximum(years - break_year, 0).astype(float))
    return np.column_stack(columns)


def _ols_aicc(llf: float, n: int, n_params: int) -> float:
    k = n_params + 1  # the variance counts as a parameter
    if n - k - 1 <= 0:
        return math.inf
    return -2.0 * llf + 2.0 * k + 2.0 * k * (k + 1) / (n - k - 1)


def _break_variants(years: np.ndarray, break_year: int | None) -> list[str]:
    """Break variants the data can identify: >= 3 years before the break and enough after."""
    if break_year is None or np.sum(years < break_year) < 3:
        return []
    on_or_after, after = int(np.sum(years >= break_year)), int(np.sum(years > break_year))
    variants = []
    if on_or_after >= 2:
        variants.append("level")
    if after >= 2:
        variants.append("slope")
    if on_or_after >= 3 and after >= 2:
        variants.append("level+slope")
    return variants


def _trend(
    series: pd.Series, horizon: int, level: float, break_year: int | None, name: str
) -> ForecastResult:
    hist, horizon, level, h = prepare(series, name, horizon, level)
    t = (hist.years - hist.years[0]).astype(float)
    future_years = hist.years[-1] + h
    t_future = (future_years - hist.years[0]).astype(float)
    b = 0 if break_year is None else int(break_year)
    best = None
    scores: list[str] = []
    with quiet():
        for variant in ["none", *_break_variants(hist.years, break_year)]:
            design = _trend_design(t, hist.years, variant, b)
            fit = OLS(hist.logs, design).fit()
            aicc = _ols_aicc(float(fit.llf), hist.n, design.shape[1])
            scores.append(f"{variant} {aicc:.2f}")
            if best is None or aicc < best[0]:
                best = (aicc, variant, fit)
        assert best is not None
        _, variant, fit = best
        pred = fit.get_prediction(_trend_design(t_future, future_years, variant, b))
        loc = np.asarray(pred.predicted_mean, dtype=float)
        scale = np.asarray(pred.se_obs, dtype=float)
    slope = float(fit.params[1])
    notes = [
        f"OLS line on logs, slope {slope:.4g} (growth {math.expm1(slope):.2%} a year); "
        f"Student-t interval with {fit.df_resid:g} df including parameter uncertainty"
    ]
    if break_year is not None and len(scores) == 1:
        notes.append(f"break at {b} not identifiable from years {hist.years[0]}-{hist.years[-1]}")
    elif break_year is not None:
        chosen = "no break" if variant == "none" else f"{variant} break at {b}"
        notes.append(f"break at {b} considered by AICc ({'; '.join(scores)}): {chosen}")
    dist = Predictive.single(loc, scale, df=float(fit.df_resid))
    return make_result(name, hist, level, dist, notes)


@documented("trend")
def trend(
    series: pd.Series,
    horizon: int,
    level: float = 0.8,
    *,
    break_year: int | None = None,
    seed: int = 0,
) -> ForecastResult:
    """Log-linear trend (constant growth) fitted by OLS, optionally with a break.

    Without a break the model is ``log y_t = a + b t + e_t``. With ``break_year=B`` the
    candidates are: no break; a level shift ``1{{year >= B}}``; a slope change
    ``max(year - B, 0)``; both. A candidate is only considered when the data can identify it
    (3 years before ``B``, 2 years on or after it for a shift, 2 years after it for a slope
    change, 3 and 2 for both), and a break is kept only when it gives a strictly lower AICc
    than the simpler alternatives. The interval is the OLS prediction interval (Student t,
    parameter uncertainty included) on logs.

    Parameters
    ----------
    {series}
    {horizon}
    {level}
    break_year : int, optional
        Year from which a level shift applies and after which a slope change applies.
    {seed}

    {returns}
    """
    return _trend(series, horizon, level, break_year, "trend")


@documented("trend_break")
def trend_break(
    series: pd.Series,
    horizon: int,
    level: float = 0.8,
    *,
    break_year: int = DEFAULT_BREAK_YEAR,
    seed: int = 0,
) -> ForecastResult:
    """Log-linear trend with a possible break at ``break_year`` (default 2020), by AICc.

    Same as :func:`trend` with ``break_year`` set; identical to ``trend`` whenever the break
    is not identifiable (e.g. in backtest windows ending before 2021) or does not lower AICc.

    Parameters
    ----------
    {series}
    {horizon}
    {level}
    break_year : int, default 2020
        Candidate break year.
    {seed}

    {returns}
    """
    return _trend(series, horizon, level, break_year, "trend_break")
