"""The settings the chapters' own checks take, from a page's parameters or the schemas.

The checks of the one findings table (:data:`planbook.methods.audit.CHECK_SPECS`) take
their settings as plain arguments (:data:`planbook.methods.audit.SETTINGS`); their defaults
are the schemas' (chapter 4's ``days_per_year``, chapter 6's ``usd_cny_rate`` and
``three_year_reading``), so they are resolved here, where the schemas live.
"""

from __future__ import annotations

from typing import Any

from planbook.engine.params.schemas import ImplementationParams, ResourcesParams


def check_settings(params: object | None = None) -> dict[str, Any]:
    """The settings of the chapters' checks at a page's parameters.

    A setting the page's parameters carry (``params``: a chapter's parameters, or None)
    takes the page's value; the others take their schema's default.

    >>> check_settings()
    {'days_per_year': 365, 'usd_cny_rate': 7.1, 'three_year_reading': 'additional'}
    """
    defaults = {
        "days_per_year": ImplementationParams().days_per_year,
        "usd_cny_rate": ResourcesParams().usd_cny_rate,
        "three_year_reading": ResourcesParams().three_year_reading,
    }
    mine = {name: getattr(params, name, None) for name in defaults} if params is not None else {}
    return {
        name: default if mine.get(name) is None else mine[name]
        for name, default in defaults.items()
    }


__all__ = ["check_settings"]
