"""What a forecasting method returns, and the signature every method shares.

:class:`ForecastResult` holds the median, the interval and the full predictive distribution of
one method's forecast; :class:`Method` is the call signature of the methods in
:data:`planbook.methods.forecast.METHODS`, and :func:`documented` fills the parts of their
docstrings they have in common.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import pandas as pd

from planbook.methods.forecast.distribution import Predictive
from planbook.methods.forecast.inputs import MIN_OBS, History

_F = TypeVar("_F", bound=Callable[..., "ForecastResult"])


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """Forecast of one method for the years after the last observation.

    Attributes
    ----------
    method : str
        Name of the method (a key of :data:`METHODS`).
    years : tuple of int
        Target years, ``history_end + 1 .. history_end + horizon``.
    median : pandas.Series
        Point forecast, indexed by target year: the predictive median in levels
        (``exp`` of the mean on logs), not the mean.
    lower, upper : pandas.Series
        Bounds of the equal-tailed prediction interval at ``level``, in levels.
    level : float
        Nominal coverage of the interval, e.g. 0.8.
    n_obs : int
        Number of annual observations the method saw.
    history_start, history_end : int
        First and last observed year.
    unit : str or None
        ``series.attrs['unit']`` of the input, if any.
    notes : tuple of str
        What was fitted (parameters, chosen order or break) and any convergence problems.
    members : tuple of str
        Members of an ensemble; empty for a single method.
    distribution : Predictive
        The full predictive distribution, used by :func:`probability_target_met`.
    """

    method: str
    years: tuple[int, ...]
    median: pd.Series
    lower: pd.Series
    upper: pd.Series
    level: float
    n_obs: int
    history_start: int
    history_end: int
    unit: str | None
    notes: tuple[str, ...]
    members: tuple[str, ...]
    distribution: Predictive = field(repr=False)

    @property
    def horizon(self) -> int:
        """Number of years forecast."""
        return len(self.years)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per target year.

        Returns
        -------
        pandas.DataFrame
            Columns ``method, year, horizon, median, lower, upper, level, n_obs,
            history_end, unit``.
        """
        return pd.DataFrame(
            {
                "method": self.method,
                "year": list(self.years),
                "horizon": range(1, self.horizon + 1),
                "median": self.median.to_numpy(),
                "lower": self.lower.to_numpy(),
                "upper": self.upper.to_numpy(),
                "level": self.level,
                "n_obs": self.n_obs,
                "history_end": self.history_end,
                "unit": self.unit,
            }
        )


def make_result(
    method: str,
    hist: History,
    level: float,
    dist: Predictive,
    notes: Sequence[str],
    members: Sequence[str] = (),
) -> ForecastResult:
    """The forecast of ``dist`` for the years after ``hist``, with its interval at ``level``."""
    end = int(hist.years[-1])
    years = tuple(end + h for h in range(1, dist.horizon + 1))
    index = pd.Index(years, name="year")
    tail = (1.0 - level) / 2.0
    return ForecastResult(
        method=method,
        years=years,
        median=pd.Series(dist.quantile(0.5), index=index, name="median"),
        lower=pd.Series(dist.quantile(tail), index=index, name="lower"),
        upper=pd.Series(dist.quantile(1.0 - tail), index=index, name="upper"),
        level=level,
        n_obs=hist.n,
        history_start=int(hist.years[0]),
        history_end=end,
        unit=hist.unit,
        notes=tuple(notes),
        members=tuple(members),
        distribution=dist,
    )


class Method(Protocol):
    """Signature shared by every forecasting method in :data:`METHODS`."""

    def __call__(
        self, series: pd.Series, horizon: int, level: float = ..., *, seed: int = ...
    ) -> ForecastResult: ...


_SHARED_DOC = {
    "series": """series : pandas.Series
        Positive annual values indexed by consecutive integer years; at least
        ``MIN_OBS[{name!r}]`` ({min_obs}) of them.""",
    "horizon": """horizon : int
        Number of years to forecast after the last observation.""",
    "level": """level : float, default 0.8
        Coverage of the prediction interval.""",
    "seed": """seed : int, default 0
        Unused (the interval is analytic); present so all methods share one signature.""",
    "returns": """Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        If the series is shorter than ``MIN_OBS[{name!r}]`` or cannot be fitted.""",
}


def documented(name: str) -> Callable[[_F], _F]:
    """Fill the shared parts of a method's numpydoc docstring (``{parameters}``, ``{returns}``,
    or one parameter: ``{series}``, ``{horizon}``, ``{level}``, ``{seed}``)."""

    def decorate(fn: _F) -> _F:
        parts = {
            key: text.format(name=name, min_obs=MIN_OBS.get(name))
            for key, text in _SHARED_DOC.items()
        }
        if name not in MIN_OBS:
            parts["series"] = parts["series"].split(";")[0] + "; enough for every member."
        shared = (parts[key] for key in ("series", "horizon", "level", "seed"))
        parts["parameters"] = "Parameters\n    ----------\n    " + "\n    ".join(shared)
        fn.__doc__ = (fn.__doc__ or "").format(**parts)
        return fn

    return decorate
