"""Choosing a method by rolling-origin backtest, and forecasting with the choice.

:func:`select_method` picks the candidate with the lowest backtest MASE (never the best
in-sample fit); :func:`forecast_with_fallback` forecasts with a named method, or with the
backtest's choice when the method is ``"auto"`` or the series is too short for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planbook.methods.forecast.backtesting import BACKTEST_COLUMNS, accuracy, backtest
from planbook.methods.forecast.inputs import MIN_OBS, as_history, check_horizon
from planbook.methods.forecast.registry import DEFAULT_CANDIDATES, METHODS, forecast, resolve
from planbook.methods.forecast.result import ForecastResult


@dataclass(frozen=True, eq=False)
class Selection:
    """Outcome of :func:`select_method`.

    Attributes
    ----------
    method : str
        Chosen method, a key of :data:`METHODS` (possibly ``"ensemble"``).
    members : tuple of str
        Members of the chosen ensemble; empty unless ``method == "ensemble"``.
    scores : pandas.DataFrame
        One row per candidate (and ``"ensemble"`` if considered), pooled over all backtest
        forecasts, best first: ``method, n, MAPE, MASE, coverage, level, winkler``.
    accuracy : pandas.DataFrame
        Per method and horizon, as returned by :func:`accuracy`.
    backtest : pandas.DataFrame
        The backtest rows, ensemble rows included.
    min_train, horizon : int
        Backtest settings.
    level : float
        Interval coverage used in the backtest.
    n_obs : int
        Length of the series.
    """

    method: str
    members: tuple[str, ...]
    scores: pd.DataFrame
    accuracy: pd.DataFrame
    backtest: pd.DataFrame
    min_train: int
    horizon: int
    level: float
    n_obs: int

    def forecast(self, series: pd.Series, horizon: int, level: float = 0.8) -> ForecastResult:
        """Forecast ``series`` with the chosen method (and ensemble members)."""
        options = {"members": self.members} if self.method == "ensemble" else {}
        return forecast(series, self.method, horizon, level, **options)


def _ensemble_rows(frame: pd.DataFrame, members: Sequence[str]) -> pd.DataFrame:
    """Backtest rows of the simple-average ensemble of ``members``."""
    keys = ["origin", "train_start", "n_train", "horizon", "year"]
    rows = frame[frame["method"].isin(members)]
    out = rows.groupby(keys, sort=True).agg(
        actual=("actual", "first"),
        forecast=("forecast", "mean"),
        lower=("lower", "mean"),
        upper=("upper", "mean"),
        level=("level", "first"),
        count=("method", "size"),
    )
    if (out["count"] != len(members)).any():
        raise ValueError("ensemble members were not backtested on the same origins")
    out = out.drop(columns="count").reset_index()
    out.insert(0, "method", "ensemble")
    out[["loc", "scale", "df"]] = np.nan  # several components: no single log-scale pair
    return out[list(BACKTEST_COLUMNS)]


def _rank(scores: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Sort by MASE (to 6 decimals), then Winkler score, then candidate order."""
    position = {m: i for i, m in enumerate(order)}
    ranked = scores.assign(_mase=scores["MASE"].round(6), _order=scores["method"].map(position))
    ranked = ranked.sort_values(["_mase", "winkler", "_order"], na_position="last", kind="stable")
    return ranked.drop(columns=["_mase", "_order"]).reset_index(drop=True)


def select_method(
    series: pd.Series,
    candidates: Sequence[str] | None = None,
    *,
    min_train: int | None = None,
    horizon: int = 3,
    level: float = 0.8,
    ensemble: bool = False,
    top_k: int | None = None,
    min_origins: int = 3,
    seed: int = 0,
) -> Selection:
    """Choose a method by rolling-origin backtest MASE, never by in-sample fit.

    Every candidate is backtested on the same origins; the score is MASE pooled over all
    backtest forecasts (all origins and steps). Ties on MASE (to 6 decimals) go to the lower
    Winkler score, then to the earlier candidate. With
    ``ensemble=True`` the simple average of the ``top_k`` best candidates (all candidates if
    ``top_k`` is None) is scored on the same backtest, from the members' backtest forecasts,
    and chosen if its MASE is lowest. Picking the top ``k`` on the same backtest that then
    scores the ensemble flatters the ensemble slightly; ``top_k=None`` avoids that.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years.
    candidates : sequence of str, optional
        Method names. By default :data:`DEFAULT_CANDIDATES` whose minimum length
        (:data:`MIN_OBS`) leaves at least ``min_origins`` backtest origins or, when
        ``min_train`` is given, fits in the first training window.
    min_train : int, optional
        First training window; by default the largest minimum length among the candidates.
        :func:`training_window` shortens a window to fit a short series.
    horizon : int, default 3
        Largest step ahead in the backtest.
    level : float, default 0.8
        Interval coverage in the backtest.
    ensemble : bool, default False
        Also consider the simple-average ensemble.
    top_k : int, optional
        Number of best candidates averaged in the ensemble (at least 2); all if None.
    min_origins : int, default 3
        Used only to filter the default candidates.
    seed : int, default 0
        Passed to the methods.

    Returns
    -------
    Selection

    Raises
    ------
    ValueError
        If the series is too short to backtest the candidates.
    """
    hist = as_history(series)
    if candidates is None:
        limit = hist.n - min_origins if min_train is None else min(min_train, hist.n - 1)
        candidates = [c for c in DEFAULT_CANDIDATES if MIN_OBS[c] <= limit]
        if not candidates:
            raise ValueError(
                f"select_method needs at least {MIN_OBS['naive'] + min_origins} observations "
                f"to backtest any method; got {hist.n}"
            )
    candidates = list(dict.fromkeys(candidates))
    resolve(candidates)
    if "ensemble" in candidates:
        raise ValueError("pass ensemble=True rather than 'ensemble' as a candidate")
    if min_train is None:
        min_train = max(MIN_OBS[c] for c in candidates)
    if min_train >= hist.n:
        raise ValueError(
            f"the series has {hist.n} observations; backtesting "
            f"{', '.join(candidates)} needs at least {min_train + 1}"
        )
    if top_k is not None and not 2 <= top_k <= len(candidates):
        raise ValueError(f"top_k must be between 2 and {len(candidates)}; got {top_k}")
    frame = backtest(series, candidates, min_train, horizon, level, seed=seed)
    scores = _rank(accuracy(frame, series, by=("method",)), candidates)
    members: tuple[str, ...] = ()
    order = list(candidates)
    if ensemble:
        members = tuple(scores["method"].head(top_k or len(candidates)))
        frame = pd.concat([frame, _ensemble_rows(frame, members)], ignore_index=True)
        order.append("ensemble")
        scores = _rank(accuracy(frame, series, by=("method",)), order)
    chosen = str(scores["method"].iloc[0])
    return Selection(
        method=chosen,
        members=members if chosen == "ensemble" else (),
        scores=scores,
        accuracy=accuracy(frame, series),
        backtest=frame,
        min_train=int(min_train),
        horizon=int(horizon),
        level=float(level),
        n_obs=hist.n,
    )


def training_window(n_obs: int, min_train: int | None, min_origins: int = 3) -> int | None:
    """First training window of a rolling-origin backtest on a series of ``n_obs`` years.

    ``min_train`` is shortened where the series is short, so that at least ``min_origins``
    forecast origins remain, but never below the 2 points the naive method needs.

    Parameters
    ----------
    n_obs : int
        Length of the series.
    min_train : int or None
        Wanted first window, in years; None leaves the choice to :func:`select_method`.
    min_origins : int, default 3
        Origins to keep where possible.

    Returns
    -------
    int or None

    Examples
    --------
    >>> training_window(12, 7), training_window(7, 7), training_window(4, 7)
    (7, 4, 2)
    """
    if min_train is None:
        return None
    if int(min_train) < MIN_OBS["naive"]:
        raise ValueError(f"min_train must be at least {MIN_OBS['naive']}; got {min_train}")
    return max(MIN_OBS["naive"], min(int(min_train), int(n_obs) - int(min_origins)))


def _min_obs(method: str) -> int:
    """Smallest series a method accepts (an ensemble of the defaults: its largest member's)."""
    if method == "ensemble":
        return max(MIN_OBS[c] for c in DEFAULT_CANDIDATES)
    return MIN_OBS[method]


def forecast_with_fallback(
    series: pd.Series,
    method: str,
    horizon: int,
    level: float = 0.8,
    seed: int = 0,
    *,
    min_train: int | None = None,
    backtest_horizon: int = 3,
) -> tuple[ForecastResult, str]:
    """Forecast with a named method, or with the backtest's choice (``"auto"``).

    A named method that needs more observations than the series has (:data:`MIN_OBS`) falls
    back to the backtest's choice, and the note says so. ``"auto"`` runs
    :func:`select_method` (no ensemble) with steps up to ``min(horizon, backtest_horizon)``
    and the first window ``training_window(len(series), min_train)``.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years.
    method : str
        ``"auto"`` or a key of :data:`METHODS`.
    horizon : int
        Number of years to forecast after the last observation.
    level : float, default 0.8
        Coverage of the prediction interval.
    seed : int, default 0
        Passed to the methods.
    min_train : int, optional
        First training window of the backtest, in years (see :func:`training_window`).
    backtest_horizon : int, default 3
        Largest step ahead scored in the backtest.

    Returns
    -------
    tuple of (ForecastResult, str)
        The forecast and a one-line note on how its method was chosen.

    Raises
    ------
    ValueError
        If ``method`` is unknown or the series is too short to backtest any method.
    """
    hist = as_history(series)
    fallback = ""
    if method != "auto":
        if method not in METHODS:
            raise ValueError(
                f"unknown method {method!r}; choose 'auto' or one of {', '.join(METHODS)}"
            )
        needed = _min_obs(method)
        if hist.n >= needed:
            return forecast(series, method, horizon, level, seed=seed), f"{method}, as set"
        fallback = f"{method} needs {needed} observations and this series has {hist.n}; "
    selection = select_method(
        series,
        horizon=min(check_horizon(horizon), backtest_horizon),
        level=level,
        seed=seed,
        min_train=training_window(hist.n, min_train),
    )
    result = selection.forecast(series, horizon, level)
    return result, f"{fallback}{result.method}, chosen by rolling-origin backtest MASE"
