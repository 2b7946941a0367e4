"""How much each key number moves with each swept parameter.

Two measures, one per design, both read from the tidy table (ok points, numeric values):

- a grid gives **main effects**: the mean of a number at each level of a parameter
  (averaged over the other parameters' levels); the effect is the range of those means,
  in the number's own unit, and its standardized form divides it by the number's range
  over all points (0: the parameter does not move it; 1: it moves it as far as the
  whole grid does);
- a sample gives **standardized regression coefficients** (SRC) from an OLS fit
  (statsmodels) of the number on every swept parameter: ``b * sd(x) / sd(y)``, signed,
  about -1 to 1; the effect is ``b`` times the parameter's sampled range, in the number's
  unit, and ``r_squared`` says how much of the number's spread the linear fit explains.

Both give ``spread``, the number's range over the points. The result has one row per
(parameter, number), largest standardized effect first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from planbook.engine.sweep.table import OK

COLUMNS = (
    "parameter",
    "number",
    "method",
    "effect",
    "standardized",
    "spread",
    "r_squared",
    "points",
)
MAIN_EFFECT = "main effect"
SRC = "standardized regression coefficient"


def numeric_wide(table: pd.DataFrame, swept: Sequence[str]) -> pd.DataFrame:
    """The ok points' numeric values, one row per point: the swept parameters, then one
    column per number (text numbers and failed points left out)."""
    ok = table[(table["status"] == OK) & table["value"].notna()]
    if ok.empty:
        return pd.DataFrame(columns=["point", *swept])
    values = ok.pivot_table(index="point", columns="number", values="value", aggfunc="first")
    values.columns = [str(c) for c in values.columns]
    params = ok.drop_duplicates("point").set_index("point")[list(swept)]
    return params.join(values).reset_index()


RELATIVE_TOLERANCE = 1e-9
"""A number whose range over the points is below this share of its size does not vary
(rounding noise of the last digits is not an effect)."""


def _varies(y: pd.Series) -> bool:
    """Whether ``y`` moves by more than rounding noise."""
    if len(y) < 2:
        return False
    size = max(1.0, float(y.abs().max()))
    return float(y.max() - y.min()) > RELATIVE_TOLERANCE * size


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("effect", "standardized", "spread", "r_squared"):
        out[col] = out[col].astype(float)
    out["points"] = out["points"].astype(int)
    order = out["standardized"].abs().fillna(-1.0)
    return out.loc[order.sort_values(ascending=False, kind="stable").index].reset_index(drop=True)


def main_effects(wide: pd.DataFrame, swept: Sequence[str], numbers: Sequence[str]) -> pd.DataFrame:
    """Main effects of a grid: per (parameter, number), the range of the number's mean
    over the parameter's levels, and that range over the number's range (see module)."""
    rows: list[dict[str, object]] = []
    for number in numbers:
        data = wide[[*swept, number]].dropna(subset=[number])
        if data.empty:
            continue
        y = data[number]
        moves = _varies(y)
        spread = float(y.max() - y.min()) if moves else 0.0
        for param in swept:
            means = y.groupby(data[param].astype(str), sort=False).mean()
            effect = float(means.max() - means.min()) if moves and len(means) > 1 else 0.0
            rows.append(
                {
                    "parameter": param,
                    "number": number,
                    "method": MAIN_EFFECT,
                    "effect": effect,
                    "standardized": effect / spread if spread > 0 else 0.0,
                    "spread": spread,
                    "r_squared": math.nan,
                    "points": len(y),
                }
            )
    return _frame(rows)


def regression_effects(
    wide: pd.DataFrame, swept: Sequence[str], numbers: Sequence[str]
) -> pd.DataFrame:
    """Standardized regression coefficients of a sample (see module), from statsmodels
    OLS of each number on all swept parameters. A number that does not vary gets 0; one
    with too few points for the fit (no more than the parameters plus one) gets NaN."""
    import statsmodels.api as sm

    rows: list[dict[str, object]] = []
    for number in numbers:
        data = wide[[*swept, number]].dropna(subset=[number])
        if data.empty:
            continue
        x = data[list(swept)].astype(float)
        y = data[number].astype(float)
        moves = _varies(y)
        spread = float(y.max() - y.min()) if moves else 0.0
        sd_y = float(y.std(ddof=1)) if moves else 0.0
        fit_ok = len(y) > len(swept) + 1 and sd_y > 0
        if fit_ok:
            fit = sm.OLS(y.to_numpy(), sm.add_constant(x.to_numpy(), has_constant="add")).fit()
            coefs, r2 = np.asarray(fit.params)[1:], float(fit.rsquared)
        else:
            coefs, r2 = np.full(len(swept), 0.0 if sd_y == 0 else math.nan), math.nan
        for j, param in enumerate(swept):
            b = float(coefs[j])
            sd_x = float(x[param].std(ddof=1)) if len(x) > 1 else 0.0
            src = b * sd_x / sd_y if fit_ok else (0.0 if sd_y == 0 else math.nan)
            rows.append(
                {
                    "parameter": param,
                    "number": number,
                    "method": SRC,
                    "effect": b * float(x[param].max() - x[param].min()) if moves else 0.0,
                    "standardized": src,
                    "spread": spread,
                    "r_squared": r2,
                    "points": len(y),
                }
            )
    return _frame(rows)


def sensitivity(table: pd.DataFrame, swept: Sequence[str], kind: str) -> pd.DataFrame:
    """Sensitivity of every numeric glued number to every swept parameter.

    Parameters
    ----------
    table
        The sweep's tidy table (:func:`planbook.engine.sweep.table.tidy_table`).
    swept
        The swept parameters (columns of ``table``).
    kind
        ``"grid"`` (main effects) or ``"sample"`` (standardized regression coefficients).
    """
    wide = numeric_wide(table, swept)
    numbers = [c for c in wide.columns if c not in {"point", *swept}]
    if kind == "grid":
        return main_effects(wide, swept, numbers)
    if kind == "sample":
        return regression_effects(wide, swept, numbers)
    raise ValueError(f"unknown design {kind!r}; expected 'grid' or 'sample'")


__all__ = [
    "COLUMNS",
    "MAIN_EFFECT",
    "RELATIVE_TOLERANCE",
    "SRC",
    "main_effects",
    "numeric_wide",
    "regression_effects",
    "sensitivity",
]
