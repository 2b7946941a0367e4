"""The official series the forecasts use, each a consecutive annual run.

Every series here is an annual run of official figures (:mod:`planbook.data.official`) with
consecutive years, ready for the forecasting methods. Two bases:

``chain_linked``
    The official year-on-year growth rates chained into an index and anchored at the latest
    *final* published level (:func:`planbook.data.official.chain_linked_index`). Used where the
    agency restates its comparison base, so that published levels do not chain but growth
    rates do (online retail, express parcels, cross-border e-commerce).
``levels``
    The published levels, leaving out figures that are not statistics (estimates, plan
    baselines, lower bounds). Used where no consecutive run of growth rates exists
    (transaction volume), or none is published (survey counts, shares).

In both cases the series is the latest run of consecutive years (at least :data:`MIN_RUN`
of them; a lone figure after a gap is left out), starting no earlier than
``history_start``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from planbook.data import official
from planbook.errors import InputError

#: Statuses and qualifiers that make a published figure unusable as a level.
_NOT_A_STATISTIC = {"estimate", "plan_baseline"}
_NOT_A_LEVEL = {"lower_bound"}


@dataclass(frozen=True)
class SeriesSpec:
    """How one official series is turned into a forecastable annual run.

    Attributes
    ----------
    key : str
        Name used in the book (``online_retail_sales`` ...).
    label : str
        Short English name for tables and charts.
    table : str
        Official table (:data:`planbook.data.official.TABLE_NAMES`).
    measure : str
        ``level`` or ``share_pct`` (the measure whose values are forecast).
    basis : {"chain_linked", "levels"}
        See the module docstring.
    why : str
        One sentence: why this basis for this series.
    """

    key: str
    label: str
    table: str
    measure: str
    basis: Literal["chain_linked", "levels"]
    why: str


SERIES: Mapping[str, SeriesSpec] = {
    spec.key: spec
    for spec in (
        SeriesSpec(
            "online_retail_sales",
            "Online retail sales",
            "online_retail_sales",
            "level",
            "chain_linked",
            "the NBS restates its comparison base every year, so published levels do not "
            "chain (2024 levels imply +0.6% against the official +7.2%); the official growth "
            "rates are the consistent part",
        ),
        SeriesSpec(
            "ecommerce_transaction_volume",
            "E-commerce transaction volume",
            "ecommerce_transaction_volume",
            "level",
            "levels",
            "official growth rates exist for five scattered years only and cannot be chained; "
            "the published report figures are used, the earlier estimates and plan baseline "
            "left out",
        ),
        SeriesSpec(
            "online_share_of_retail",
            "Online share of retail (physical goods)",
            "physical_goods_online_retail",
            "share_pct",
            "levels",
            "a share is published as such; the NBS share of physical goods sold online in "
            "total retail is the official reading closest to the plan's online share",
        ),
        SeriesSpec(
            "online_shoppers",
            "Online shoppers (CNNIC)",
            "online_shoppers",
            "level",
            "levels",
            "a survey count with no published growth rates: CNNIC year-end surveys (March "
            "2020 stands in for 2019; recent years from one secondary compilation)",
        ),
        SeriesSpec(
            "express_parcels",
            "Express parcels",
            "express_parcels",
            "level",
            "chain_linked",
            "the 2024 level is not comparable with 2023 (levels +32.6% against the official "
            "+21%), so the official growth rates are chained",
        ),
        SeriesSpec(
            "cross_border_ecommerce",
            "Cross-border e-commerce",
            "cross_border_ecommerce",
            "level",
            "chain_linked",
            "the customs full-scope series starts in 2020 and is revised every year, so its "
            "levels and growth rates disagree; the official growth rates are chained",
        ),
    )
}
"""The official series the book forecasts, by key."""


#: Fewest consecutive years a run needs to be forecast; a shorter run after a gap (a lone
#: latest figure) is left out in favour of the latest run that is long enough.
MIN_RUN = 5


def _last_run(years: np.ndarray, min_run: int = MIN_RUN) -> np.ndarray:
    """The latest run of consecutive years with at least ``min_run`` years (the last run if
    none is that long)."""
    years = np.sort(np.asarray(years, dtype=np.int64))
    runs = np.split(years, np.nonzero(np.diff(years) != 1)[0] + 1)
    long_enough = [run for run in runs if run.size >= min_run]
    return long_enough[-1] if long_enough else runs[-1]


def _chain_linked(spec: SeriesSpec, data_dir: Path | None) -> tuple[pd.Series, str, dict]:
    growth = official.annual_series(spec.table, "yoy_pct", data_dir)
    growth = growth.loc[_last_run(growth.index.to_numpy())]
    levels = official.annual_series(spec.table, "level", data_dir)
    first, last = int(growth.index.min()) - 1, int(growth.index.max())
    final = [
        y
        for y in levels.index
        if first <= y <= last
        and levels.attrs["status"][y] == "final"
        and levels.attrs["qualifier"][y] in {"exact", "rounded"}
    ]
    if not final:
        raise InputError(f"{spec.table}: no final published level in {first}-{last} to anchor")
    anchor = int(max(final))
    index = official.chain_linked_index(growth, anchor, float(levels.loc[anchor]))
    flagged = {
        int(y): f"{growth.attrs['status'][y]}/{growth.attrs['qualifier'][y]}"
        for y in growth.index
        if growth.attrs["status"][y] != "final" or growth.attrs["qualifier"][y] != "exact"
    }
    detail = f"official growth rates {int(growth.index.min())}-{last} chained, anchored at the "
    detail += f"final {anchor} level ({levels.loc[anchor]:g})"
    if flagged:
        detail += f"; growth not final/exact in {', '.join(map(str, flagged))}"
    index.attrs["anchor"] = anchor
    return index, detail, flagged


def _levels(spec: SeriesSpec, data_dir: Path | None) -> tuple[pd.Series, str, dict]:
    levels = official.annual_series(spec.table, spec.measure, data_dir)
    status, qualifier = levels.attrs["status"], levels.attrs["qualifier"]
    usable = [
        y
        for y in levels.index
        if status[y] not in _NOT_A_STATISTIC and qualifier[y] not in _NOT_A_LEVEL
    ]
    kept = levels.loc[_last_run(np.asarray(usable))]
    flagged = {
        int(y): f"{status[y]}/{qualifier[y]}"
        for y in kept.index
        if status[y] != "final" or qualifier[y] != "exact"
    }
    detail = f"published {'shares' if spec.measure == 'share_pct' else 'levels'}"
    if flagged:
        detail += "; not final/exact: " + ", ".join(f"{y} {f}" for y, f in flagged.items())
    return kept, detail, flagged


def official_series(key: str, history_start: int = 2014, data_dir: Path | None = None) -> pd.Series:
    """One official series, ready to forecast.

    Parameters
    ----------
    key : str
        A key of :data:`SERIES`.
    history_start : int, default 2014
        First year kept (the series may start later: see the module docstring).
    data_dir : pathlib.Path, optional
        The ``data/`` directory; default the repository's.

    Returns
    -------
    pandas.Series
        Positive values indexed by consecutive integer years. ``attrs``: ``unit`` (official
        unit), ``key``, ``label``, ``basis``, ``measure`` (of the official table),
        ``anchor`` (the year of the published level a chain-linked index meets; None for
        levels), ``why``, ``detail`` (anchor, flagged years) and ``flagged`` (year ->
        ``status/qualifier`` of figures used that are not final/exact). :func:`basis_words`
        says in words which basis the values are on.

    Raises
    ------
    InputError
        If ``key`` is unknown or fewer than 3 years remain after ``history_start``.
    """
    if key not in SERIES:
        raise InputError(f"unknown series {key!r}; choose one of {', '.join(SERIES)}")
    spec = SERIES[key]
    builder = _chain_linked if spec.basis == "chain_linked" else _levels
    full, detail, flagged = builder(spec, data_dir)
    anchor = full.attrs.get("anchor")
    unit = official.annual_series(spec.table, spec.measure, data_dir).attrs["unit"]
    series = full.loc[int(history_start) :].astype(float).rename(key)
    if len(series) < 3:
        raise InputError(
            f"history_start={history_start} leaves {len(series)} years of {spec.label} "
            f"(data {int(full.index.min())}-{int(full.index.max())}); use an earlier year"
        )
    series.index = pd.Index(series.index.astype("int64"), name="year")
    series.attrs = {
        "unit": unit,
        "key": key,
        "label": spec.label,
        "basis": spec.basis,
        "measure": spec.measure,
        "anchor": anchor,
        "why": spec.why,
        "detail": detail,
        "flagged": {y: f for y, f in flagged.items() if y >= int(series.index.min())},
    }
    return series


_MEASURE_WORDS = {
    "level": "published levels",
    "share_pct": "published shares",
    "yoy_pct": "official growth rates",
}


def basis_words(series: pd.Series) -> str:
    """Which basis an official series' values are on, in words, for a legend, a column or
    a caption.

    A series of :func:`official_series` carries its basis; one of
    :func:`planbook.data.official.annual_series` carries its measure. A chain-linked index
    is "chain-linked index of official growth rates, at the 2025 published level" (it meets
    the published figures only in its anchor year); published figures are "published
    levels" or "published shares".

    >>> s = pd.Series([1.0, 1.1], index=[2024, 2025])
    >>> s.attrs = {"basis": "chain_linked", "anchor": 2025}
    >>> basis_words(s)
    'chain-linked index of official growth rates, at the 2025 published level'

    Raises
    ------
    InputError
        If ``series`` says neither its basis nor its measure (it is not an official
        series as the loaders return it).
    """
    attrs = series.attrs
    if attrs.get("basis") == "chain_linked":
        anchor = attrs.get("anchor")
        at = f", at the {int(anchor)} published level" if anchor is not None else ""
        return f"chain-linked index of official growth rates{at}"
    measure = attrs.get("measure")
    if measure in _MEASURE_WORDS and attrs.get("basis") in (None, "levels"):
        return _MEASURE_WORDS[measure]
    name = series.name or "the series"
    raise InputError(
        f"{name}: no basis or measure in its attrs; load it with "
        "planbook.data.official.annual_series or planbook.methods.forecast.official_series"
    )


def basis_label(name: str, series: pd.Series) -> str:
    """``name`` with the basis of ``series`` in brackets (see :func:`basis_words`), for a
    legend entry: ``"Official online retail sales (published levels)"``."""
    return f"{name} ({basis_words(series)})"


def official_series_all(
    history_start: int = 2014, data_dir: Path | None = None
) -> dict[str, pd.Series]:
    """Every series of :data:`SERIES`, by key (see :func:`official_series`)."""
    return {key: official_series(key, history_start, data_dir) for key in SERIES}
