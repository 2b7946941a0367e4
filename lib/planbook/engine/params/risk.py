"""Chapter 5's parameter schema: one likelihood and one impact score per risk of the
register (``data/plan/risks.csv``), then the loss model's settings.

The scores are generated from the register (:func:`risk_params`), so a risk is declared
once, in the data: its row gives the two parameters' names (``likelihood_<key>``,
``impact_<key>``), defaults and descriptions. The schema is built when first asked for,
from the register of the checkout in use, so importing this module reads no file.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import create_model

from planbook.data.risks import SCORE_MAX, SCORE_MIN, RiskRow, read_register
from planbook.engine.params.base import (
    ChapterParams,
    DrawsSetting,
    LevelTolerance,
    Param,
    SeedSetting,
    SimulationSettings,
    like,
)

SCORE_UNIT = f"score {SCORE_MIN}-{SCORE_MAX}"

RISK_DOC = """Chapter 5, risk assessment and responses (plan 5.1-5.4).

    Likelihood and impact are scores from 1 (rare, minor) to 5 (almost certain, severe);
    the defaults are the book's judgement from the evidence the plan gives for each risk.
    """


class RiskModelParams(LevelTolerance, SimulationSettings):
    """Chapter 5's parameters besides the scores: the Monte Carlo of annual loss, the
    exchange rate of the euro fine and the tolerance of the internal checks."""

    freq_overstock: float = Param(
        0.1,
        ge=0.0,
        le=5.0,
        unit="events/year",
        description="Overstock write-downs the size of the plan's case: one a decade.",
    )
    freq_data_breach: float = Param(
        0.3,
        ge=0.0,
        le=5.0,
        unit="events/year",
        description="Serious data breaches: about one in three years for a large platform.",
    )
    freq_outage: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="events/year",
        description="Peak-season outages: one in two years (two big promotions a year).",
    )
    freq_privacy_fine: float = Param(
        0.2,
        ge=0.0,
        le=5.0,
        unit="events/year",
        description="Privacy fines: one in five years as enforcement rises.",
    )
    freq_tax_fine: float = Param(
        0.1,
        ge=0.0,
        le=5.0,
        unit="events/year",
        description="Cross-border tax fines: one a decade for a careful filer.",
    )
    freq_advertising_fine: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="events/year",
        description="Fines for false advertising by the platform's streamers: one in two years.",
    )
    severity_sigma: float = Param(
        1.0,
        ge=0.0,
        le=3.0,
        unit="log scale",
        description="Lognormal shape of each event's loss around the plan's figure; 1.0 puts "
        "the 95th percentile at about 3 times the mean.",
    )
    mitigation_realisation: float = Param(
        1.0,
        ge=0.0,
        le=1.0,
        unit="fraction",
        description="Share of the plan's claimed mitigation effects realised; 1 = the "
        "plan's targets at face value.",
    )
    tail_quantile: float = Param(
        0.95,
        ge=0.5,
        le=0.999,
        unit="fraction",
        description="Quantile of annual loss reported as the bad year (0.95 = 1 year in 20).",
    )
    eur_cny: float = Param(
        7.66,
        ge=5.0,
        le=10.0,
        unit="yuan per euro",
        description="Exchange rate for the euro fine; about the 2023 average.",
    )

    # differs from SimulationSettings: a larger default and range (simulated years, not
    # target probabilities), the unit and descriptions; the seed's default and upper bound
    draws: int = like(
        DrawsSetting,
        "draws",
        default=200_000,
        ge=10_000,
        le=5_000_000,
        unit="simulated years",
        description="Monte Carlo draws; 200,000 puts the standard error of the mean near 0.5%.",
    )
    seed: int = like(
        SeedSetting,
        "seed",
        default=2024,
        le=2**32 - 1,
        description="Seed of the random generator: the same seed gives the same numbers.",
    )
    # differs from LevelTolerance: the description
    level_tolerance_pct: float = like(
        LevelTolerance,
        "level_tolerance_pct",
        description="A recomputed figure this close (relative) to the stated one is "
        "'within rounding'; 2% as in chapters 1 and 4.",
    )


def score_fields(rows: tuple[RiskRow, ...]) -> dict[str, Any]:
    """The ``likelihood_<key>`` and ``impact_<key>`` fields of the register's risks, in order."""
    fields: dict[str, Any] = {}
    for row in rows:
        for kind, default, reason in (
            ("likelihood", row.likelihood, row.likelihood_reason),
            ("impact", row.impact, row.impact_reason),
        ):
            fields[f"{kind}_{row.key}"] = (
                int,
                Param(default, ge=SCORE_MIN, le=SCORE_MAX, unit=SCORE_UNIT, description=reason),
            )
    return fields


@functools.cache
def _schema(rows: tuple[RiskRow, ...]) -> type[ChapterParams]:
    scores = create_model(
        "RiskScores", __base__=ChapterParams, __module__=__name__, **score_fields(rows)
    )
    return create_model(
        "RiskParams",
        __base__=(RiskModelParams, scores),
        __module__="planbook.engine.params",
        __doc__=RISK_DOC,
    )


def risk_params(data_dir: Path | None = None) -> type[ChapterParams]:
    """Chapter 5's schema: the scores of the register under ``data_dir``, then
    :class:`RiskModelParams`.

    Built once per distinct register (the same rows give the same class).

    Raises
    ------
    DataFileError
        When the register is missing or a row breaks its schema.
    """
    return _schema(read_register(data_dir))


def __getattr__(name: str) -> Any:
    if name == "RiskParams":
        return risk_params()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["RiskModelParams", "risk_params", "score_fields"]
