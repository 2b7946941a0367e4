"""The parameter schemas of the appendices: audit, methods, data sources, glossary."""

from __future__ import annotations

from typing import Literal

from planbook.engine.params.base import (
    ChapterParams,
    DrawsSetting,
    HistoryStartSetting,
    LevelTolerance,
    Param,
    RateTolerance,
    SeedSetting,
    SimulationSettings,
    Tolerances,
    like,
)

AuditSeverity = Literal["none", "low", "medium", "high"]
"""Severities of the audit (a test keeps them equal to planbook.methods.audit.SEVERITIES)."""


class AuditParams(Tolerances):
    """Appendix, audit of the plan: tolerances of the consistency checks."""

    # differ from Tolerances: the descriptions say why these values
    rate_tolerance_pp: float = like(
        RateTolerance,
        "rate_tolerance_pp",
        description="A recomputed rate this close to the stated one is 'within rounding'; "
        "0.5 allows for the plan rounding its inputs to one decimal or to whole percent.",
    )
    level_tolerance_pct: float = like(
        LevelTolerance,
        "level_tolerance_pct",
        description="A recomputed level this close (relative) is 'within rounding'; 2% "
        "covers figures rounded to two or three significant digits.",
    )

    sum_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="Shares of one whole may sum this far above 100% within rounding; "
        "0.5 allows each of a few one-decimal shares to be rounded up.",
    )
    max_rate_ratio: float = Param(
        2.0,
        ge=1.0,
        le=10.0,
        unit="times",
        description="A target's implied annual rate above this multiple of the historical "
        "rate is 'far above history'; 2 means twice the pace the plan reports for the past.",
    )
    medium_severity_pct: float = Param(
        10.0,
        ge=0.0,
        le=100.0,
        unit="percent",
        description="An inconsistency of at least this share of the stated figure is "
        "'medium' (below it 'low'); 10% is where a reader would act on a number.",
    )
    high_severity_pct: float = Param(
        25.0,
        ge=0.0,
        le=200.0,
        unit="percent",
        description="An inconsistency of at least this share of the stated figure is "
        "'high'; 25% changes the conclusion a reader draws from a figure.",
    )
    min_severity: AuditSeverity = Param(
        "low",
        unit="choice",
        description="Findings listed in the chapter tables: 'low' lists every "
        "inconsistency and gap, 'none' also lists the checks that hold.",
    )


class MethodsParams(HistoryStartSetting, SimulationSettings):
    """Appendix, methods: forecasting models, backtests and how claims were checked."""

    backtest_min_train: int = Param(
        7,
        ge=3,
        le=10,
        unit="years",
        description="First training window of the rolling-origin backtests; 7 lets ETS join "
        "on the 12-year series and is shortened so every series keeps 4 origins.",
    )
    horizon: int = Param(
        3,
        ge=1,
        le=5,
        unit="years",
        description="Largest step ahead scored in the backtests; 3 is the plan's own horizon.",
    )
    level: float = Param(
        0.9,
        ge=0.5,
        le=0.99,
        unit="fraction",
        description="Coverage of the worked example's interval (0.9 = 90%), as in chapter 1.",
    )
    # differs from SimulationSettings: draws' upper bound, unit and description; the
    # seed's upper bound and description
    draws: int = like(
        DrawsSetting,
        "draws",
        le=1_000_000,
        unit="simulated values",
        description="Monte Carlo draws behind a probability; 10,000 keeps its standard error "
        "under 0.5 percentage points.",
    )
    seed: int = like(
        SeedSetting,
        "seed",
        le=2**32 - 1,
        description="Seed of the random generator: the same seed gives the same numbers.",
    )
    # differs from HistoryStartSetting: the description
    history_start: int = like(
        HistoryStartSetting,
        "history_start",
        description="First official year the backtests see (2014: first NBS online-retail "
        "year; later series start when their data do).",
    )


class DataSourcesParams(ChapterParams):
    """Appendix, data sources: every table under data/ and where it comes from."""

    show_rows: int = Param(
        5,
        ge=0,
        le=50,
        unit="rows",
        description="Rows of each table shown as a preview; 5 shows the layout without "
        "flooding the page (0 hides the previews).",
    )
    top_sources: int = Param(
        3,
        ge=1,
        le=20,
        unit="sources",
        description="Most frequent sources named per official table; 3 names the main "
        "ones while keeping the table readable.",
    )


GlossarySort = Literal["chapter", "english", "term"]
"""Orders of the glossary (a test keeps them equal to planbook.data.glossary.SORT_CHOICES)."""


class GlossaryParams(ChapterParams):
    """Appendix, glossary of the plan's Chinese terms."""

    sort_by: GlossarySort = Param(
        "chapter",
        unit="choice",
        description="Order of the glossary: by the chapter where a term first appears "
        "(reads alongside the book), by English, or by pinyin ('term').",
    )
    top_terms: int = Param(
        15,
        ge=5,
        le=40,
        unit="terms",
        description="Most widespread terms shown in the charts; 15 fits one chart legibly.",
    )


__all__ = [
    "AuditParams",
    "AuditSeverity",
    "DataSourcesParams",
    "GlossaryParams",
    "GlossarySort",
    "MethodsParams",
]
