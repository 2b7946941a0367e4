"""How well the methods forecast a set of series, honestly: nested backtests and calibration.

:func:`evaluate` backtests every candidate and benchmark on every series once, then derives
from those forecasts everything the book reports about its methods:

- the nested out-of-sample scores of the selection against each benchmark and against the
  best benchmark chosen the same way (:mod:`~planbook.methods.forecast.nested`), per series
  and step ahead, and the method the book uses for each series (a model only where it
  beat the benchmarks out of sample);
- the calibration factor of each method, pooled over the series, and the cross-validated
  coverage of the calibrated intervals (:mod:`~planbook.methods.forecast.calibration`);
- every method's plain backtest accuracy, for reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from planbook.errors import InputError
from planbook.methods.forecast import calibration as C
from planbook.methods.forecast import nested as N
from planbook.methods.forecast.benchmarks import BENCHMARKS
from planbook.methods.forecast.registry import DEFAULT_CANDIDATES

#: Every method the accuracy table scores: the candidates, then ``mean_log_growth``.
TABLE_METHODS: tuple[str, ...] = (*DEFAULT_CANDIDATES, "mean_log_growth")

#: Columns of :attr:`Evaluation.accuracy`.
ACCURACY_COLUMNS: tuple[str, ...] = (
    "series",
    "label",
    "method",
    "benchmark",
    "horizon",
    "n",
    "MAPE",
    "MASE",
)

#: Columns of :attr:`Evaluation.summary`.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "series",
    "label",
    "n_obs",
    "first_year",
    "last_year",
    "window",
    "n_origins",
    "n_oos",
    "selected_MASE",
    "best_benchmark_MASE",
    "naive_MASE",
    "drift_MASE",
    "mean_log_growth_MASE",
    "ratio",
    "verdict",
    "selected",
    "benchmark",
    "method",
    "candidates",
    "left_out",
)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The nested evaluation and calibration of a set of series.

    Attributes
    ----------
    min_train, horizon, seed : int
        Settings: wanted first window, largest step ahead, seed.
    backtests : dict of str to SeriesBacktest
        Each series' backtest, by key.
    rows : pandas.DataFrame
        Every backtest row of every series (scored).
    oos : pandas.DataFrame
        Out-of-sample rows of the nested evaluation (:func:`nested.nested_rows`).
    scores : pandas.DataFrame
        :func:`nested.nested_scores` per series and step ahead.
    summary : pandas.DataFrame
        One row per series, columns :data:`SUMMARY_COLUMNS`: the out-of-sample scores pooled
        over steps, the verdict and the method the book uses.
    choices : dict of str to Choice
        The method used for each series, and why.
    factors : pandas.DataFrame
        Calibration factor by method (:func:`calibration.spread_factors`).
    coverage : pandas.DataFrame
        Cross-validated coverage per row (:func:`calibration.cross_validated_coverage`).
    accuracy : pandas.DataFrame
        Plain backtest accuracy of every method, per series and step (in-sample choice
        not involved); columns :data:`ACCURACY_COLUMNS`.
    """

    min_train: int
    horizon: int
    seed: int
    backtests: dict[str, N.SeriesBacktest] = field(repr=False)
    rows: pd.DataFrame = field(repr=False)
    oos: pd.DataFrame = field(repr=False)
    scores: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    choices: dict[str, N.Choice] = field(repr=False)
    factors: pd.DataFrame = field(repr=False)
    coverage: pd.DataFrame = field(repr=False)
    accuracy: pd.DataFrame = field(repr=False)

    def coverage_by(self, by: str = "series") -> pd.DataFrame:
        """Coverage of the intervals as fitted and calibrated, per ``by`` and pooled."""
        return C.coverage_table(self.coverage, by)


def _accuracy(backtests: Mapping[str, N.SeriesBacktest]) -> pd.DataFrame:
    frames = []
    for key, bt in backtests.items():
        table = bt.rows.groupby(["method", "horizon"], sort=False).agg(
            n=("ase", "size"), MAPE=("ape", "mean"), MASE=("ase", "mean")
        )
        table = table.reset_index()
        table.insert(0, "series", key)
        table.insert(1, "label", bt.series.attrs.get("label", key))
        table["benchmark"] = table["method"].isin(BENCHMARKS)
        order = {m: i for i, m in enumerate(TABLE_METHODS)}
        table = table.assign(_m=table["method"].map(order)).sort_values(["_m", "horizon"])
        frames.append(table.drop(columns="_m"))
    return pd.concat(frames, ignore_index=True)[list(ACCURACY_COLUMNS)]


def _summary_row(bt: N.SeriesBacktest, pooled: pd.Series | None, choice: N.Choice) -> dict:
    years = bt.series.index
    row = {
        "series": bt.key,
        "label": bt.series.attrs.get("label", bt.key),
        "n_obs": len(bt.series),
        "first_year": int(years.min()),
        "last_year": int(years.max()),
        "window": bt.window,
        "n_origins": int(bt.rows["origin"].nunique()),
        "n_oos": choice.n_oos,
        "verdict": choice.verdict,
        "selected": choice.selected,
        "benchmark": choice.benchmark,
        "method": choice.method,
        "candidates": ", ".join(bt.candidates),
        "left_out": ", ".join(m for m in DEFAULT_CANDIDATES if m not in bt.candidates),
    }
    for column in ("selected_MASE", "best_benchmark_MASE", "ratio"):
        row[column] = float(pooled[column]) if pooled is not None else float("nan")
    for b in BENCHMARKS:
        column = f"{b}_MASE"
        has = pooled is not None and column in pooled.index
        row[column] = float(pooled[column]) if has else float("nan")
    return row


def evaluate(
    series_dict: Mapping[str, pd.Series],
    *,
    min_train: int = 7,
    horizon: int = 3,
    seed: int = 0,
) -> Evaluation:
    """Backtest, evaluate (nested) and calibrate every series of ``series_dict``.

    Parameters
    ----------
    series_dict : mapping of str to pandas.Series
        Series by key (``attrs['label']`` used if set).
    min_train : int, default 7
        Wanted first training window; shortened for short series
        (:func:`nested.first_window`).
    horizon : int, default 3
        Largest step ahead forecast and scored.
    seed : int, default 0
        Passed to the methods.

    Returns
    -------
    Evaluation

    Raises
    ------
    InputError
        If a series is too short to backtest (fewer than 3 years).
    """
    backtests = {}
    for key, series in series_dict.items():
        if len(series) < 3:
            raise InputError(f"series {key!r} has {len(series)} years; a backtest needs 3")
        backtests[key] = N.backtest_series(
            series, key=key, min_train=min_train, horizon=horizon, seed=seed
        )
    rows = pd.concat([bt.rows for bt in backtests.values()], ignore_index=True)
    oos = pd.concat([N.nested_rows(bt) for bt in backtests.values()], ignore_index=True)
    scores = N.nested_scores(oos) if len(oos) else pd.DataFrame()
    pooled = N.nested_scores(oos, by=("series",)).set_index("series") if len(oos) else None
    choices, summary = {}, []
    for key, bt in backtests.items():
        mine = pooled.loc[key] if pooled is not None and key in pooled.index else None
        choices[key] = N.use_model(bt, mine)
        summary.append(_summary_row(bt, mine, choices[key]))
    return Evaluation(
        min_train=int(min_train),
        horizon=int(horizon),
        seed=int(seed),
        backtests=backtests,
        rows=rows,
        oos=oos,
        scores=scores,
        summary=pd.DataFrame(summary, columns=list(SUMMARY_COLUMNS)),
        choices=choices,
        factors=C.spread_factors(rows),
        coverage=C.cross_validated_coverage(rows),
        accuracy=_accuracy(backtests),
    )


__all__ = ["ACCURACY_COLUMNS", "SUMMARY_COLUMNS", "TABLE_METHODS", "Evaluation", "evaluate"]
