"""The book's forecast of an official series: one function, used by every page that shows one.

:func:`evaluate_official` runs the nested evaluation and calibration of every official
series once (a chapter calls it once per run); :func:`official_forecast` then gives the
forecast of one series from that evaluation: the series and window, the method (the
evaluation's choice, or the one a parameter sets), the calibrated interval at the page's
level, and a one-line note on how the method was chosen. Chapter 1, the goals chapter's
targets, the benefits chapter and the methods appendix all call it, so a series has the
same forecast on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from planbook.errors import InputError
from planbook.memo import fingerprint, memo_dir, memoized
from planbook.methods.forecast import calibration as C
from planbook.methods.forecast.evaluation import Evaluation, evaluate
from planbook.methods.forecast.inputs import MIN_OBS
from planbook.methods.forecast.official_data import official_series_all
from planbook.methods.forecast.registry import DEFAULT_CANDIDATES, METHODS, forecast
from planbook.methods.forecast.result import ForecastResult
from planbook.methods.forecast.target_odds import TargetOdds, odds_from_forecast

#: First training window of the book's backtests, in years (shortened for short series).
DEFAULT_MIN_TRAIN = 7

#: Largest step ahead the book's backtests score: the plan's three-year horizon.
BACKTEST_HORIZON = 3


def evaluate_official(
    history_start: int = 2014,
    min_train: int = DEFAULT_MIN_TRAIN,
    horizon: int = BACKTEST_HORIZON,
    seed: int = 0,
    data_dir: Path | None = None,
) -> Evaluation:
    """The nested evaluation and calibration of every official series (a few seconds;
    kept in the build's memo, :mod:`planbook.memo`, for the other chapters of the run).

    Parameters
    ----------
    history_start : int, default 2014
        First year of every series (:func:`official_series_all`).
    min_train : int, default DEFAULT_MIN_TRAIN
        Wanted first training window.
    horizon : int, default BACKTEST_HORIZON
        Largest step ahead scored.
    seed : int, default 0
        Passed to the methods.
    data_dir : pathlib.Path, optional
        The ``data/`` directory; default the repository's.
    """
    series = official_series_all(history_start, data_dir)
    return memoized(
        "evaluate_official",
        fingerprint(series, min_train, horizon, seed),
        lambda: evaluate(series, min_train=min_train, horizon=horizon, seed=seed),
        memo_dir(),
    )


class Evaluations:
    """The evaluations one chapter run needs, each computed once, when first asked for.

    A page that forecasts under several settings (the conclusions page's scenario table,
    the benefits page's scenarios) creates one and passes it along, so two calls with the
    same settings share one evaluation. Nothing is kept beyond the object's life.

    Parameters
    ----------
    data_dir : pathlib.Path, optional
        The ``data/`` directory; default the repository's.
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self._data_dir = data_dir
        self._done: dict[tuple[int, int, int], Evaluation] = {}

    def get(
        self,
        history_start: int = 2014,
        min_train: int = DEFAULT_MIN_TRAIN,
        horizon: int = BACKTEST_HORIZON,
    ) -> Evaluation:
        """:func:`evaluate_official` under these settings (computed on the first call)."""
        key = (int(history_start), int(min_train), int(horizon))
        if key not in self._done:
            self._done[key] = evaluate_official(*key, data_dir=self._data_dir)
        return self._done[key]


@dataclass(frozen=True, eq=False)
class OfficialForecast:
    """The book's forecast of one official series.

    Attributes
    ----------
    key : str
        The series' key.
    series : pandas.Series
        The history forecast.
    result : ForecastResult
        The forecast with its calibrated interval and predictive distribution.
    method : str
        The method used.
    how : str
        One line: how the method was chosen (and, under ``"auto"``, what the nested
        evaluation found).
    factor : float
        Calibration factor applied to the method's normal scores.
    verdict : str
        The evaluation's verdict for the series (:class:`nested.Choice`).
    """

    key: str
    series: pd.Series = field(repr=False)
    result: ForecastResult = field(repr=False)
    method: str
    how: str
    factor: float
    verdict: str

    @property
    def n_obs(self) -> int:
        """Annual points the method saw."""
        return self.result.n_obs


def _auto_note(evaluation: Evaluation, key: str) -> str:
    """How the evaluation chose the method for ``key``, in one line."""
    choice = evaluation.choices[key]
    if choice.verdict == "too short to evaluate":
        return f"{choice.method}, the backtest's choice (too few years to score it out of sample)"
    scores = (
        f"MASE {choice.selected_mase:.2f} against {choice.benchmark_mase:.2f} for the best "
        f"benchmark, over {choice.n_oos} forecasts"
    )
    if choice.uses_model:
        return f"{choice.method}, a model that beat the simple benchmarks out of sample ({scores})"
    if choice.verdict == "the backtest chooses a benchmark":
        return f"{choice.method}, a simple benchmark that the backtest prefers to every model"
    return (
        f"{choice.method}, the best simple benchmark: out of sample no model beat the "
        f"benchmarks (choosing among all methods scored {scores}; on all the data the "
        f"backtest would pick {choice.selected})"
    )


def _set_method(evaluation: Evaluation, key: str, method: str, n_obs: int) -> tuple[str, str]:
    """The method used when a parameter sets one, and the note."""
    if method not in METHODS:
        choices = ", ".join(METHODS)
        raise InputError(f"forecast_method={method!r}: choose 'auto' or one of {choices}")
    need = max(MIN_OBS[m] for m in DEFAULT_CANDIDATES) if method == "ensemble" else MIN_OBS[method]
    if n_obs >= need:
        return method, f"{method}, as set"
    fallback = evaluation.choices[key].method
    note = f"{method} needs {need} observations and this series has {n_obs}; "
    return fallback, note + _auto_note(evaluation, key)


def official_forecast(
    evaluation: Evaluation,
    key: str,
    end_year: int,
    level: float,
    method: str = "auto",
    seed: int = 0,
) -> OfficialForecast:
    """The forecast of series ``key`` up to ``end_year``, calibrated, at interval ``level``.

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`evaluate_official` (or :func:`evaluate` on other series).
    key : str
        A series of the evaluation.
    end_year : int
        Last year forecast; after the series' last year.
    level : float
        Coverage of the interval.
    method : str, default "auto"
        ``"auto"``: the evaluation's choice (a model only where it beat the benchmarks out
        of sample); or a method of :data:`METHODS`, which falls back to the evaluation's
        choice when the series is too short for it.
    seed : int, default 0
        Passed to the method.

    Returns
    -------
    OfficialForecast

    Raises
    ------
    InputError
        On an unknown series or method, or an ``end_year`` not after the last year.
    """
    if key not in evaluation.backtests:
        known = ", ".join(evaluation.backtests)
        raise InputError(f"no evaluated series {key!r}; choose one of {known}")
    series = evaluation.backtests[key].series
    last = int(series.index.max())
    if int(end_year) <= last:
        raise InputError(f"end_year={end_year} is not after the last year of {key} ({last})")
    if method == "auto":
        used, how = evaluation.choices[key].method, _auto_note(evaluation, key)
    else:
        used, how = _set_method(evaluation, key, method, len(series))
    raw = forecast(series, used, int(end_year) - last, level, seed=seed)
    factor, rests_on = C.factor_for(evaluation.factors, used)
    return OfficialForecast(
        key=key,
        series=series,
        result=C.calibrated(raw, factor, rests_on),
        method=used,
        how=how,
        factor=factor,
        verdict=evaluation.choices[key].verdict,
    )


def target_odds(
    official: OfficialForecast,
    target_value: float,
    target_year: int,
    bound: Literal["ge", "le"] = "ge",
    draws: int = 10_000,
    seed: int = 0,
) -> TargetOdds:
    """The probability that a plan target is met, on the book's forecast of its series.

    Every page that prints the odds of a target calls this, with the forecast of
    :func:`official_forecast` (calibrated) and the page's ``draws`` and ``seed``; the
    wording is :attr:`TargetOdds.text` (:func:`probability_text`).

    Parameters
    ----------
    official : OfficialForecast
        The forecast; its years must include ``target_year``.
    target_value : float
        The target, in the series' unit.
    target_year : int
        The year whose value is compared with the target.
    bound : {"ge", "le"}, default "ge"
        Met when the value is at least (``ge``) or at most (``le``) the target.
    draws : int, default 10000
        Simulated values.
    seed : int, default 0
        Seed of the simulation.
    """
    return odds_from_forecast(
        official.result,
        official.series,
        target_value,
        target_year,
        bound,
        draws,
        seed,
        official.how,
    )


__all__ = [
    "BACKTEST_HORIZON",
    "DEFAULT_MIN_TRAIN",
    "Evaluations",
    "OfficialForecast",
    "evaluate_official",
    "official_forecast",
    "target_odds",
]
