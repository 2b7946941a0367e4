"""How well each method forecast the official series, against the simple benchmarks.

:func:`backtest_table` scores every method on every series by rolling-origin backtest;
:func:`benchmark_comparison` sets the chosen method against the best simple benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from planbook.errors import InputError
from planbook.methods.forecast.backtesting import accuracy, backtest
from planbook.methods.forecast.benchmarks import BENCHMARKS
from planbook.methods.forecast.inputs import MIN_OBS
from planbook.methods.forecast.registry import DEFAULT_CANDIDATES
from planbook.methods.forecast.selection import select_method, training_window

#: Forecast origins a backtest keeps where the series allows (see :func:`training_window`).
MIN_ORIGINS = 3

#: A chosen method whose pooled MASE is within this fraction of the best benchmark's ties it.
TIE = 0.005

#: Every method the backtest table scores: the candidates :func:`select_method`
#: chooses from, plus ``mean_log_growth`` (a benchmark; it ties ``drift`` on MASE).
TABLE_METHODS: tuple[str, ...] = (*DEFAULT_CANDIDATES, "mean_log_growth")

TABLE_COLUMNS: tuple[str, ...] = (
    "series",
    "label",
    "n_obs",
    "first_year",
    "last_year",
    "min_train",
    "n_origins",
    "method",
    "benchmark",
    "chosen",
    "horizon",
    "n",
    "MAPE",
    "MASE",
    "coverage",
    "level",
    "winkler",
)
"""Columns of :func:`backtest_table`."""


def backtest_table(
    series_dict: Mapping[str, pd.Series],
    *,
    min_train: int = 7,
    horizon: int = 3,
    level: float = 0.9,
    seed: int = 0,
    min_origins: int = MIN_ORIGINS,
) -> pd.DataFrame:
    """Rolling-origin accuracy of every method on every series, per step ahead.

    For each series the first training window is ``training_window(n, min_train,
    min_origins)`` (shortened for short series); the methods scored are those that can be
    fitted on that window. The chosen method is the one :func:`select_method`
    picks among :data:`DEFAULT_CANDIDATES` on the same backtest (lowest MASE
    pooled over all steps).

    Parameters
    ----------
    series_dict : mapping of str to pandas.Series
        Series by key (e.g. :func:`~planbook.methods.forecast.official_series_all`);
        ``attrs['label']`` used if set.
    min_train : int, default 7
        Wanted first training window, in years.
    horizon : int, default 3
        Largest step ahead scored.
    level : float, default 0.9
        Coverage of the prediction intervals scored.
    seed : int, default 0
        Passed to the methods.
    min_origins : int, default 3
        Origins kept where possible when shortening the window.

    Returns
    -------
    pandas.DataFrame
        One row per series, method and step ahead, columns :data:`TABLE_COLUMNS`:
        ``benchmark`` and ``chosen`` flag the method; ``n`` counts the forecasts scored;
        MAPE in percent, MASE relative to the in-sample naive error, ``coverage`` the share
        of actuals inside the interval, ``winkler`` in the series' unit.

    Raises
    ------
    InputError
        If a series is too short to backtest (fewer than 3 years).
    """
    frames = []
    for key, series in series_dict.items():
        n = len(series)
        if n < 3:
            raise InputError(f"series {key!r} has {n} years; a backtest needs at least 3")
        window = int(training_window(n, min_train, min_origins))
        candidates = [m for m in DEFAULT_CANDIDATES if MIN_OBS[m] <= window]
        selection = select_method(
            series, candidates, min_train=window, horizon=horizon, level=level, seed=seed
        )
        extra = [m for m in TABLE_METHODS if m not in candidates and MIN_OBS[m] <= window]
        runs = selection.backtest
        if extra:
            more = backtest(series, extra, window, horizon, level, seed=seed)
            runs = pd.concat([runs, more], ignore_index=True)
        acc = accuracy(runs, series)
        acc.insert(0, "series", key)
        acc.insert(1, "label", series.attrs.get("label", key))
        acc.insert(2, "n_obs", n)
        acc.insert(3, "first_year", int(series.index.min()))
        acc.insert(4, "last_year", int(series.index.max()))
        acc.insert(5, "min_train", window)
        acc.insert(6, "n_origins", n - window)
        acc["benchmark"] = acc["method"].isin(BENCHMARKS)
        acc["chosen"] = acc["method"] == selection.method
        frames.append(acc)
    table = pd.concat(frames, ignore_index=True)[list(TABLE_COLUMNS)]
    order = {m: i for i, m in enumerate(TABLE_METHODS)}
    table = table.assign(_m=table["method"].map(order))
    keys = {k: i for i, k in enumerate(series_dict)}
    table = table.assign(_s=table["series"].map(keys))
    table = table.sort_values(["_s", "_m", "horizon"], kind="stable")
    return table.drop(columns=["_s", "_m"]).reset_index(drop=True)


def pooled_scores(table: pd.DataFrame) -> pd.DataFrame:
    """Scores pooled over steps ahead (forecast-weighted means), per series and method.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`backtest_table`.

    Returns
    -------
    pandas.DataFrame
        One row per series and method: the key columns of the table, ``n`` (forecasts) and
        the ``n``-weighted means of ``MAPE, MASE, coverage, winkler``.
    """
    weighted = table.assign(
        **{c: table[c] * table["n"] for c in ("MAPE", "MASE", "coverage", "winkler")}
    )
    keys = ["series", "label", "n_obs", "min_train", "n_origins", "method", "benchmark", "chosen"]
    sums = weighted.groupby(keys, sort=False)[["n", "MAPE", "MASE", "coverage", "winkler"]].sum()
    for c in ("MAPE", "MASE", "coverage", "winkler"):
        sums[c] = sums[c] / sums["n"]
    return sums.reset_index()


def _verdict(chosen: str, ratio: float) -> str:
    if chosen in BENCHMARKS:
        return "is a benchmark"
    return "beats the benchmarks" if ratio < 1 - TIE else "ties a benchmark"


def benchmark_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """The chosen method against the best simple benchmark, per series (pooled over steps).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`backtest_table`.

    Returns
    -------
    pandas.DataFrame
        One row per series: ``series, label, n_obs, min_train, n_origins, n`` (forecasts),
        ``chosen, chosen_MASE, chosen_coverage, best_benchmark, benchmark_MASE,
        benchmark_coverage``, ``mase_ratio`` (chosen over benchmark), ``verdict``
        (``beats the benchmarks`` when the ratio is below ``1 - TIE``, ``ties a benchmark``
        within :data:`TIE`, ``is a benchmark`` when the backtest chose one),
        ``methods_scored`` and ``left_out`` (methods the first window is too short for).
    """
    pooled = pooled_scores(table)
    rows = []
    for key, group in pooled.groupby("series", sort=False):
        chosen = group[group["chosen"]].iloc[0]
        bench = (
            group[group["benchmark"]]
            .assign(_mase=lambda g: g["MASE"].round(6))
            .sort_values(["_mase", "winkler"], kind="stable")
            .iloc[0]
        )
        scored = list(group["method"])
        ratio = float(chosen["MASE"]) / float(bench["MASE"])
        rows.append(
            {
                "series": key,
                "label": chosen["label"],
                "n_obs": int(chosen["n_obs"]),
                "min_train": int(chosen["min_train"]),
                "n_origins": int(chosen["n_origins"]),
                "n": int(chosen["n"]),
                "chosen": chosen["method"],
                "chosen_MASE": float(chosen["MASE"]),
                "chosen_coverage": float(chosen["coverage"]),
                "best_benchmark": bench["method"],
                "benchmark_MASE": float(bench["MASE"]),
                "benchmark_coverage": float(bench["coverage"]),
                "mase_ratio": ratio,
                "verdict": _verdict(str(chosen["method"]), ratio),
                "methods_scored": ", ".join(scored),
                "left_out": ", ".join(m for m in TABLE_METHODS if m not in scored),
            }
        )
    return pd.DataFrame(rows)
