"""One-at-a-time sensitivity: a tornado table (drawn by :mod:`planbook.page.tornado`).

Each input is moved down and up by the same relative range while every other input stays
at its base value; the output's swing ranks the inputs, widest first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd

__all__ = ["tornado"]

COLUMNS = (
    "driver",
    "label",
    "base_value",
    "low_value",
    "high_value",
    "output_at_low",
    "output_at_high",
    "base_output",
    "swing",
)


def tornado(
    func: Callable[[Mapping[str, float]], float],
    base: Mapping[str, float],
    rel_range: float,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of ``func`` to each input of ``base``.

    Parameters
    ----------
    func
        Takes a mapping of input name to value (all of ``base``'s names) and returns the
        output.
    base
        Base value of every input.
    rel_range
        Relative move, a fraction in (0, 1): each input is set to ``base * (1 - rel_range)``
        and ``base * (1 + rel_range)`` in turn.
    labels
        Display label of each input (default: its name).

    Returns
    -------
    pandas.DataFrame
        One row per input, columns ``driver, label, base_value, low_value, high_value,
        output_at_low, output_at_high, base_output, swing`` (``swing`` = absolute difference of
        the two outputs), widest swing first; ties keep the order of ``base``.

    Raises
    ------
    ValueError
        If ``rel_range`` is not in (0, 1), ``base`` is empty or ``func`` returns a
        non-finite value.
    """
    if not 0 < rel_range < 1:
        raise ValueError(f"rel_range must be a fraction between 0 and 1; got {rel_range!r}")
    if not base:
        raise ValueError("base must hold at least one input")
    labels = labels or {}
    base = {k: float(v) for k, v in base.items()}
    centre = float(func(dict(base)))
    rows = []
    for name, value in base.items():
        low, high = value * (1 - rel_range), value * (1 + rel_range)
        out_low = float(func({**base, name: low}))
        out_high = float(func({**base, name: high}))
        for out in (centre, out_low, out_high):
            if not math.isfinite(out):
                raise ValueError(f"func returned {out!r} when varying {name!r}")
        rows.append(
            (
                name,
                labels.get(name, name),
                value,
                low,
                high,
                out_low,
                out_high,
                centre,
                abs(out_high - out_low),
            )
        )
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.sort_values("swing", ascending=False, kind="stable", ignore_index=True)
