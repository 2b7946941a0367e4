"""The parameter schemas of chapters 1-4 and 6-10 (chapter 5's: :mod:`.risk`).

Each schema takes the shared groups of :mod:`.base` it needs and declares its own
parameters; a shared parameter whose default, range, unit or description differs in a
chapter is restated there with :func:`~.base.like`, under a comment naming the difference.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from planbook.data.periods import DAYS_PER_YEAR
from planbook.engine.params.base import (
    ChapterParams,
    ConfidenceSetting,
    DrawsSetting,
    ForecastMethod,
    ForecastMethodSetting,
    ForecastSettings,
    HistoryStartSetting,
    LevelTolerance,
    Param,
    RateTolerance,
    SeedSetting,
    SimulationSettings,
    Tolerances,
    like,
)


class CustomerEconomicsParams(ChapterParams):
    """Inputs of the customer-economics model (models/customer_economics.py), shared by
    chapters 2 and 3 so that both value a customer the same way (not a chapter of its own)."""

    order_value_yuan: float | None = Param(
        None,
        ge=1.0,
        le=10_000.0,
        unit="yuan",
        description="Revenue of one order; None: the plan's acquisition cost (2.1) times its "
        "return on ad spend (5.2), the revenue an acquired customer brings.",
    )
    orders_per_year: float | None = Param(
        None,
        ge=0.25,
        le=52.0,
        unit="orders per year",
        description="Orders a year of a customer who keeps buying; None: the ordinary "
        "(public-domain) frequency implied by plan 5.2.",
    )
    margin_pct: float | None = Param(
        None,
        ge=0.0,
        le=100.0,
        unit="percent of order value",
        description="Profit kept per order; None: the plan's 2023 industry profit margin "
        "(2.1), a net margin, so a severe reading.",
    )
    discount_rate_pct: float = Param(
        8.0,
        ge=0.0,
        le=30.0,
        unit="percent a year",
        description="Discount rate of future orders; 8 is about the cost of capital of a large "
        "listed Chinese retailer.",
    )
    customer_lifetime_years: float = Param(
        5.0,
        ge=0.5,
        le=20.0,
        unit="years",
        description="Years after acquisition within which orders count; 5 is the plan's "
        "longest horizon (3.1).",
    )


class MarketParams(Tolerances, ForecastSettings):
    """Chapter 1, market background (plan 1.1-1.5)."""

    forecast_horizon: int = Param(
        3,
        ge=1,
        le=10,
        unit="years",
        description="Years forecast beyond the last official year; 3 matches the plan's horizon.",
    )


SeverityMeasure = Literal["log_ratio", "relative_gap"]
"""How chapter 2 puts unlike gaps on one scale (see planbook.chapters.challenges.severity)."""


class ChallengesParams(Tolerances, CustomerEconomicsParams):
    """Chapter 2, core problems and challenges (plan 2.1-2.5)."""

    severity_measure: SeverityMeasure = Param(
        "log_ratio",
        unit="choice",
        description="Scale of the gap ranking: 'log_ratio' |ln(current/benchmark)| treats x2 "
        "and x1/2 alike; 'relative_gap' divides the gap by the benchmark.",
    )
    repurchase_rate_pct: float | None = Param(
        None,
        ge=0.0,
        le=99.0,
        unit="percent",
        description="Chance of a next order after each order; None: the plan's industry "
        "average (2.1), stated as an upper bound.",
    )


class GoalsParams(Tolerances, SimulationSettings, ForecastSettings, CustomerEconomicsParams):
    """Chapter 3, goals and strategy (plan 3.1-3.4)."""

    unspecified_horizon_years: int = Param(
        3,
        ge=1,
        le=10,
        unit="years",
        description="Horizon assumed for targets with no date, to state their annual rates; "
        "3 is the plan's medium term (3.1).",
    )
    user_ceiling_100m: float | None = Param(
        None,
        ge=1.0,
        le=20.0,
        unit="hundred million users",
        description="Ceiling of lower-tier users; None: all e-commerce users, as the plan's "
        "lower-tier count and share imply (1.2).",
    )
    path_years: int = Param(
        5,
        ge=3,
        le=15,
        unit="years",
        description="Years the user-growth paths run; 5 is the plan's longest horizon.",
    )
    plan_base_year: int = Param(
        2023,
        ge=2020,
        le=2025,
        unit="year",
        description="Year the plan's relative horizons count from; 2023 is its last data year.",
    )
    # differs from ForecastSettings: the description
    confidence: float = like(
        ConfidenceSetting,
        "confidence",
        description="Coverage of the forecast intervals (0.9 = 90% interval).",
    )
    backtest_window: int = Param(
        7,
        ge=3,
        le=10,
        unit="years",
        description="First training window of the backtests that pick the method and "
        "calibrate the intervals; 7, as in the methods appendix, so the forecasts agree.",
    )
    # differs from ForecastSettings: the description
    history_start: int = like(
        HistoryStartSetting,
        "history_start",
        description="First year of official history the forecasts see (2014: first NBS year).",
    )


Initiative = Literal[
    "ar_try_on",
    "recommendation",
    "simple_sign_up",
    "decision_platform",
    "unmanned_warehouse",
    "smart_dispatch",
    "sell_to_order",
    "cold_chain",
]
"""Initiatives of chapter 4's driver tree (a test keeps them equal to
:data:`planbook.chapters.implementation.INITIATIVES`)."""


def _choice_list(value: Any) -> Any:
    """Read ``--set initiatives=a,b`` as a list: split text on commas; 'all', 'none'."""
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == "all":
            return typing.get_args(Initiative)
        if text.lower() in {"", "none"}:
            return ()
        value = [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return tuple(dict.fromkeys(value))
    return value


InitiativeSet = Annotated[tuple[Initiative, ...], BeforeValidator(_choice_list)]


class ImplementationParams(LevelTolerance):
    """Chapter 4, implementation path (plan 4.1-4.4)."""

    initiatives: InitiativeSet = Param(
        typing.get_args(Initiative),
        unit="initiatives",
        description="Initiatives stacked in the driver tree (comma-separated, or 'all'); "
        "all eight by default, as the plan counts them all.",
    )
    overlap_haircut: float = Param(
        0.5,
        ge=0.0,
        le=1.0,
        unit="fraction",
        description="Each uplift after the largest on the same driver counts at (1 - haircut); "
        "0 = independent, 1 = fully redundant; 0.5 as they work on one funnel.",
    )
    case_study_weight: float = Param(
        0.5,
        ge=0.0,
        le=1.0,
        unit="fraction",
        description="Share of one other firm's reported result assumed to carry over; "
        "0.5 as a single case is weak evidence (1 = take it at face value).",
    )
    days_per_year: int = Param(
        DAYS_PER_YEAR,
        ge=360,
        le=366,
        unit="days",
        description="Days in turns = days per year / days of stock; 365 calendar days "
        "(360 is the banker's convention).",
    )
    # differs from LevelTolerance: the description
    level_tolerance_pct: float = like(
        LevelTolerance,
        "level_tolerance_pct",
        description="An inventory figure this close (relative) to the recomputed one is "
        "'within rounding'; 2% as in chapter 1.",
    )


class BenefitStreamParams(ChapterParams):
    """Parameters of the benefit stream (models/benefit_stream.py), shared by chapters 6
    and 8 so that both value the plan's promises the same way (not a chapter of its own)."""

    benefit_scope: Literal["firm", "industry"] = Param(
        "firm",
        unit="choice",
        description="Base of the efficiency and cost promises: one firm's GMV ('firm', as the "
        "budget of plan 6.3 is one organisation's) or the industry's (plan 8.1).",
    )
    firm_gmv: float = Param(
        1.0,
        ge=0.01,
        le=20.0,
        unit="trillion yuan a year",
        description="GMV of the firm the plan is for (it names none); 1 trillion is a large "
        "platform, the scale plan 6.3's five-year budget implies.",
    )
    benefit_realisation: float = Param(
        1.0,
        ge=0.0,
        le=1.0,
        unit="fraction",
        description="Share of the promised benefits realised; 1 takes the plan at its word.",
    )
    carrying_cost_pct: float = Param(
        20.0,
        ge=5.0,
        le=40.0,
        unit="percent of inventory a year",
        description="Yearly cost of holding inventory (capital, storage, shrinkage); 20 is the "
        "low end of the usual 20-30.",
    )
    commission_cut_as_benefit: bool = Param(
        False,
        unit="true/false",
        description="Count the commission cut (plan 8.1) as a benefit; off because it moves "
        "money from platforms to merchants rather than saving it.",
    )


class ResourcesParams(BenefitStreamParams):
    """Chapter 6, resource needs and allocation (plan 6.1-6.4)."""

    discount_rate_pct: float = Param(
        8.0,
        ge=0.0,
        le=30.0,
        unit="percent a year",
        description="Discount rate of the appraisal; 8 is about the cost of capital of a large "
        "listed platform (the plan's ROE target, plan 6.3, is a harsher test).",
    )
    usd_cny_rate: float = Param(
        7.1,
        ge=6.0,
        le=8.0,
        unit="yuan per US dollar",
        description="Rate converting the M&A fund, stated in US dollars (plan 6.3), to yuan; "
        "7.1 is about the 2023-2024 average.",
    )
    three_year_reading: Literal["additional", "cumulative"] = Param(
        "additional",
        unit="choice",
        description="Plan 6.3's three-year money: 'additional' to year 1 (the plan says "
        "追加, to add) or the 'cumulative' three-year total.",
    )
    appraisal_years: int = Param(
        5,
        ge=3,
        le=15,
        unit="years",
        description="Years appraised; 5 is the plan's longest horizon (plan 6.3). Later years "
        "have no spending and benefits at full effect.",
    )
    benefit_start_year: int = Param(
        2,
        ge=1,
        le=5,
        unit="plan year",
        description="First plan year with benefits; 2 because warehouses and systems bought "
        "in year 1 (plan 6.1) cannot save money before they run.",
    )
    ramp_years: int = Param(
        3,
        ge=1,
        le=5,
        unit="years",
        description="Years from the first benefit to full effect; 3 is the horizon of the "
        "plan's dated targets (plan 8.1).",
    )


class BenefitsParams(
    Tolerances, SimulationSettings, ConfidenceSetting, ForecastMethodSetting, BenefitStreamParams
):
    """Chapter 8, expected effects and value (plan 8.1-8.3)."""

    # differs from ForecastMethodSetting: the description
    forecast_method: ForecastMethod = like(
        ForecastMethodSetting,
        "forecast_method",
        description="Forecast method for transaction volume; 'auto' uses the nested backtest's "
        "choice (a model only where it beat the benchmarks out of sample).",
    )
    # differs from ConfidenceSetting: the description
    confidence: float = like(
        ConfidenceSetting,
        "confidence",
        description="Coverage of the prediction interval (0.9 = 90% interval).",
    )

    target_horizon_years: int = Param(
        3,
        ge=1,
        le=10,
        unit="years",
        description="Years assumed for targets with no date, to state their annual rates; "
        "3 is the horizon of the plan's dated targets.",
    )
    sensitivity_range_pct: float = Param(
        25.0,
        ge=5.0,
        le=75.0,
        unit="percent",
        description="Relative move of each driver in the tornado chart (down and up).",
    )


PathShape = Literal["linear", "geometric"]
"""Shape of a path from a baseline to a target: equal steps or equal percentage steps."""


class TimelineParams(SeedSetting):
    """Chapter 7, timeline and phases (plan 7.1-7.4, with the phasing of 3.2)."""

    plan_start_year: int = Param(
        2024,
        ge=2020,
        le=2030,
        unit="year",
        description="Calendar year of month 0; the plan's latest figures are for 2023, so 2024.",
    )
    milestone_year: int = Param(
        1,
        ge=1,
        le=3,
        unit="plan year",
        description="Plan year of the quarterly milestones of 7.3 (1: technology comes first).",
    )
    path_shape: PathShape = Param(
        "linear",
        unit="choice",
        description="KPI glide path: 'linear' equal monthly steps, 'geometric' equal % steps.",
    )
    kpi_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=50.0,
        unit="percent",
        description="A KPI this close (relative) to the path's value agrees with it.",
    )
    noise_pct: float = Param(
        5.0,
        ge=0.5,
        le=50.0,
        unit="percent (sd)",
        description="Month-to-month noise of the conversion rate, sd of its log change x 100.",
    )
    noise_model: Literal["random_walk", "iid_level"] = Param(
        "random_walk",
        unit="choice",
        description="Noise on the monthly log change ('random_walk') or on the log level.",
    )
    alert_threshold_pct: float | None = Param(
        None,
        ge=1.0,
        le=50.0,
        unit="percent",
        description="Relative month-to-month change that fires the alert; None: the plan's (7.3).",
    )
    sim_months: int = Param(
        12,
        ge=2,
        le=120,
        unit="months",
        description="Months of monitoring simulated per draw (12: one year of monthly reviews).",
    )
    sim_draws: int = Param(
        20000,
        ge=1000,
        le=200000,
        unit="draws",
        description="Simulated runs of sim_months reviews; 20000 keep the rate's se below 0.1.",
    )
    # differs from SeedSetting: default, upper bound, unit and description
    seed: int = like(
        SeedSetting,
        "seed",
        default=2024,
        le=2**32 - 1,
        unit="seed",
        description="Seed of the random generator, so the simulated rates are reproducible.",
    )


class InnovationParams(ChapterParams):
    """Chapter 9, innovation and sustainable development (plan 9.1-9.4)."""

    as_of_year: int = Param(
        2026,
        ge=2024,
        le=2035,
        unit="year",
        description="Year of reading (2026: the book's writing year); earlier deadlines passed.",
    )
    plan_start_year: int = Param(
        2024,
        ge=2020,
        le=2030,
        unit="year",
        description="Calendar year the plan starts; its latest figures are for 2023, so 2024.",
    )
    unstated_deadline_years: int | None = Param(
        None,
        ge=1,
        le=10,
        unit="years",
        description="Deadline assumed for targets without one; None: the plan's own cycle (7.1).",
    )
    path_shape: PathShape = Param(
        "linear",
        unit="choice",
        description="Path of a cut: 'linear' equal yearly steps, 'geometric' equal % steps.",
    )
    content_aov_ratio: float = Param(
        1.0,
        ge=0.2,
        le=5.0,
        unit="ratio",
        description="Order value of content-driven buyers over other buyers (1: the same).",
    )


class ConclusionsParams(SimulationSettings, ForecastMethodSetting, Tolerances):
    """Chapter 10, conclusions and recommendations (absent from the plan)."""

    n_problems: int = Param(
        5,
        ge=1,
        le=15,
        unit="findings",
        description="How many of the most material audit findings to list (5: a page's worth).",
    )
    likely_pct: float = Param(
        50.0,
        ge=0.0,
        le=100.0,
        unit="percent",
        description="A target at least this probable is 'likely' (50: better than even odds).",
    )
    unlikely_pct: float = Param(
        10.0,
        ge=0.0,
        le=100.0,
        unit="percent",
        description="A target less probable than this is 'unlikely' (10: one chance in ten).",
    )
    # differ from Tolerances, ForecastMethodSetting and SimulationSettings: descriptions;
    # the seed also has no upper bound and the unit 'seed'
    rate_tolerance_pp: float = like(
        RateTolerance,
        "rate_tolerance_pp",
        description="Audit tolerance for rates, as in the audit appendix (0.5: one-decimal "
        "rounding of both figures).",
    )
    level_tolerance_pct: float = like(
        LevelTolerance,
        "level_tolerance_pct",
        description="Audit tolerance for levels, as in the audit appendix.",
    )
    forecast_method: ForecastMethod = like(
        ForecastMethodSetting,
        "forecast_method",
        description="Forecast method for the targets' odds; 'auto' uses the nested "
        "backtest's choice, as in chapter 3.",
    )
    draws: int = like(
        DrawsSetting,
        "draws",
        description="Simulated values per target (10,000: the odds move by under 1 point).",
    )
    seed: int = like(
        SeedSetting,
        "seed",
        le=None,
        unit="seed",
        description="Seed of the random draws (fixed so the page reproduces).",
    )


__all__ = [
    "BenefitStreamParams",
    "BenefitsParams",
    "ChallengesParams",
    "ConclusionsParams",
    "CustomerEconomicsParams",
    "GoalsParams",
    "ImplementationParams",
    "Initiative",
    "InitiativeSet",
    "InnovationParams",
    "MarketParams",
    "PathShape",
    "ResourcesParams",
    "SeverityMeasure",
    "TimelineParams",
]
