"""Typed parameters of every chapter, scenario files and ``--set`` overrides.

This module is the single place that declares each chapter's parameters: name, type,
default, allowed range or choices, unit and a one-line description. The notebooks'
``parameters`` cells hold the same names and defaults (a test keeps them equal), the
CLI lists them, and every value is validated here before any kernel starts.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from planbook.engine.registry import CHAPTERS, Chapter, get_chapter
from planbook.errors import InputError
from planbook.paths import display_path


def Param(default: Any, *, unit: str, description: str, **constraints: Any) -> Any:  # noqa: N802
    """Declare a chapter parameter: a pydantic field that also carries its unit."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


class ChapterParams(BaseModel):
    """Base class of the parameter schemas: unknown names are refused."""

    model_config = ConfigDict(extra="forbid", validate_default=True, frozen=True)


ForecastMethod = Literal[
    "auto",
    "naive",
    "drift",
    "mean_log_growth",
    "ets",
    "ets_damped",
    "arima",
    "trend",
    "trend_break",
    "ensemble",
]
"""'auto' or a method of :data:`planbook.methods.forecast.METHODS` (a test keeps them equal)."""


class MarketParams(ChapterParams):
    """Chapter 1, market background (plan 1.1-1.5)."""

    forecast_horizon: int = Param(
        3,
        ge=1,
        le=10,
        unit="years",
        description="Years forecast beyond the last official year; 3 matches the plan's horizon.",
    )
    confidence: float = Param(
        0.9,
        ge=0.5,
        le=0.99,
        unit="fraction",
        description="Coverage of the prediction intervals (0.9 = 90% interval).",
    )
    forecast_method: ForecastMethod = Param(
        "auto",
        unit="choice",
        description="Forecast method; 'auto' picks the one with the lowest backtest MASE.",
    )
    history_start: int = Param(
        2014,
        ge=2014,
        le=2019,
        unit="year",
        description="First year of official history the forecast sees (2014: first NBS year).",
    )
    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="A recomputed rate this close to the stated one is 'within rounding'.",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="A recomputed level this close (relative) is 'within rounding'.",
    )


class _CustomerEconomicsParams(ChapterParams):
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


SeverityMeasure = Literal["log_ratio", "relative_gap"]
"""How chapter 2 puts unlike gaps on one scale (see planbook.chapters.challenges.severity)."""


class ChallengesParams(_CustomerEconomicsParams):
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
    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="A recomputed rate this close to the stated one is 'within rounding'.",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="A recomputed level this close (relative) is 'within rounding'.",
    )


class GoalsParams(_CustomerEconomicsParams):
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
    confidence: float = Param(
        0.9,
        ge=0.5,
        le=0.99,
        unit="fraction",
        description="Coverage of the forecast intervals (0.9 = 90% interval).",
    )
    backtest_window: int = Param(
        7,
        ge=3,
        le=10,
        unit="years",
        description="First training window of the backtest that picks the method; 7 leaves "
        "a few origins in the short official series.",
    )
    forecast_method: ForecastMethod = Param(
        "auto",
        unit="choice",
        description="Forecast method; 'auto' picks the one with the lowest backtest MASE.",
    )
    draws: int = Param(
        10_000,
        ge=1_000,
        le=200_000,
        unit="draws",
        description="Simulated values behind each target probability; 10,000 keeps the "
        "Monte Carlo error under half a point.",
    )
    seed: int = Param(
        0,
        ge=0,
        le=2**31 - 1,
        unit="integer",
        description="Seed of the random draws (any value; fixed so pages reproduce).",
    )
    history_start: int = Param(
        2014,
        ge=2014,
        le=2019,
        unit="year",
        description="First year of official history the forecasts see (2014: first NBS year).",
    )
    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="A recomputed rate this close to the stated one is 'within rounding'.",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="A recomputed level this close (relative) is 'within rounding'.",
    )


PathShape = Literal["linear", "geometric"]
"""Shape of a path from a baseline to a target: equal steps or equal percentage steps."""


class TimelineParams(ChapterParams):
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
    seed: int = Param(
        2024,
        ge=0,
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


class BenefitsParams(BenefitStreamParams):
    """Chapter 8, expected effects and value (plan 8.1-8.3)."""

    forecast_method: ForecastMethod = Param(
        "auto",
        unit="choice",
        description="Forecast method for transaction volume; 'auto' picks the one with the "
        "lowest backtest MASE.",
    )
    confidence: float = Param(
        0.9,
        ge=0.5,
        le=0.99,
        unit="fraction",
        description="Coverage of the prediction interval (0.9 = 90% interval).",
    )
    draws: int = Param(
        10_000,
        ge=1_000,
        le=200_000,
        unit="draws",
        description="Simulated values behind each target probability; 10,000 keeps the "
        "Monte Carlo error under half a point.",
    )
    seed: int = Param(
        0,
        ge=0,
        le=2**31 - 1,
        unit="integer",
        description="Seed of the random draws (any value; fixed so pages reproduce).",
    )
    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="A recomputed rate this close to the stated one is 'within rounding'.",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="A recomputed level this close (relative) is 'within rounding'.",
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


class ImplementationParams(ChapterParams):
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
        365,
        ge=360,
        le=366,
        unit="days",
        description="Days in turns = days per year / days of stock; 365 calendar days "
        "(360 is the banker's convention).",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="An inventory figure this close (relative) to the recomputed one is "
        "'within rounding'; 2% as in chapter 1.",
    )


class RiskParams(ChapterParams):
    """Chapter 5, risk assessment and responses (plan 5.1-5.4).

    Likelihood and impact are scores from 1 (rare, minor) to 5 (almost certain, severe);
    the defaults are the book's judgement from the evidence the plan gives for each risk.
    """

    likelihood_inventory: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Overstock: likely, the plan's industry unsold rate (5.1) is high.",
    )
    impact_inventory: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Overstock: major, the plan's case lost most of a year's profit.",
    )
    likelihood_logistics: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Late delivery: likely, one delivery in five missed its time in 2023.",
    )
    impact_logistics: int = Param(
        2,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Late delivery: minor per event (a late parcel, some spoilage).",
    )
    likelihood_cost: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Cost squeeze: likely, commissions have already risen by half (5.1).",
    )
    impact_cost: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Cost squeeze: moderate, it erodes thin margins, but slowly.",
    )
    likelihood_traffic: int = Param(
        5,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Dearer traffic: almost certain, acquisition cost rose by two-thirds.",
    )
    impact_traffic: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Dearer traffic: moderate, ad spend still returns more than it costs.",
    )
    likelihood_competition: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Concentration: likely, the plan says the HHI keeps rising.",
    )
    impact_competition: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Concentration: moderate for the plan's platform, severe for small sellers.",
    )
    likelihood_demand: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Price sensitivity: likely, shoppers compare prices ever more often (5.2).",
    )
    impact_demand: int = Param(
        2,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Price sensitivity: minor, it shaves margins rather than causing losses.",
    )
    likelihood_tech_obsolescence: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Outdated algorithms: possible; the plan cites one platform's case.",
    )
    impact_tech_obsolescence: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Outdated algorithms: moderate, the plan's case lost a fifth of sales.",
    )
    likelihood_data_breach: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Data breach: possible, incidents grew by about a third in 2023.",
    )
    impact_data_breach: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Data breach: major, hundreds of millions of yuan per event (5.3).",
    )
    likelihood_system_outage: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Outage at peak: possible, failure rates jump during big promotions.",
    )
    impact_system_outage: int = Param(
        4,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Outage at peak: major, hundreds of millions of yuan in hours (5.3).",
    )
    likelihood_privacy_regulation: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Privacy enforcement: possible, cases more than doubled under the new law.",
    )
    impact_privacy_regulation: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Privacy enforcement: moderate, a fine of tens of millions plus reputation.",
    )
    likelihood_cross_border: int = Param(
        2,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Cross-border tax: unlikely for a careful filer, fines follow errors.",
    )
    impact_cross_border: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="Cross-border tax: moderate, a fine of millions of euros in the plan's case.",
    )
    likelihood_false_advertising: int = Param(
        3,
        ge=1,
        le=5,
        unit="score 1-5",
        description="False advertising: possible, complaints about live selling keep growing.",
    )
    impact_false_advertising: int = Param(
        2,
        ge=1,
        le=5,
        unit="score 1-5",
        description="False advertising: minor, a fine of a few million yuan in the plan's case.",
    )
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
    draws: int = Param(
        200_000,
        ge=10_000,
        le=5_000_000,
        unit="simulated years",
        description="Monte Carlo draws; 200,000 puts the standard error of the mean near 0.5%.",
    )
    seed: int = Param(
        2024,
        ge=0,
        le=2**32 - 1,
        unit="integer",
        description="Seed of the random generator: the same seed gives the same numbers.",
    )
    eur_cny: float = Param(
        7.66,
        ge=5.0,
        le=10.0,
        unit="yuan per euro",
        description="Exchange rate for the euro fine; about the 2023 average.",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="A recomputed figure this close (relative) to the stated one is "
        "'within rounding'; 2% as in chapters 1 and 4.",
    )


AuditSeverity = Literal["none", "low", "medium", "high"]
"""Severities of the audit (a test keeps them equal to planbook.methods.audit.SEVERITIES)."""


class AuditParams(ChapterParams):
    """Appendix, audit of the plan: tolerances of the consistency checks."""

    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="A recomputed rate this close to the stated one is 'within rounding'; "
        "0.5 allows for the plan rounding its inputs to one decimal or to whole percent.",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
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


class MethodsParams(ChapterParams):
    """Appendix, methods: forecasting models, backtests and how claims were checked."""

    backtest_min_train: int = Param(
        7,
        ge=3,
        le=10,
        unit="years",
        description="First training window of the rolling-origin backtests; 7 lets ETS join "
        "on the 10-12-year series and is shortened so every series keeps 3 origins.",
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
        description="Coverage of the prediction intervals scored (0.9 = 90%), as in chapter 1.",
    )
    draws: int = Param(
        10_000,
        ge=1_000,
        le=1_000_000,
        unit="simulated values",
        description="Monte Carlo draws behind a probability; 10,000 keeps its standard error "
        "under 0.5 percentage points.",
    )
    seed: int = Param(
        0,
        ge=0,
        le=2**32 - 1,
        unit="integer",
        description="Seed of the random generator: the same seed gives the same numbers.",
    )
    history_start: int = Param(
        2014,
        ge=2014,
        le=2019,
        unit="year",
        description="First official year the backtests see (2014: first NBS online-retail "
        "year; later series start when their data do).",
    )


class ConclusionsParams(ChapterParams):
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
    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="Audit tolerance for rates, as in the audit appendix (0.5: one-decimal "
        "rounding of both figures).",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="Audit tolerance for levels, as in the audit appendix.",
    )
    forecast_method: ForecastMethod = Param(
        "auto",
        unit="choice",
        description="Forecast method for the targets' odds; 'auto' picks by backtest MASE.",
    )
    draws: int = Param(
        10_000,
        ge=1_000,
        le=200_000,
        unit="draws",
        description="Simulated values per target (10,000: the odds move by under 1 point).",
    )
    seed: int = Param(
        0,
        ge=0,
        unit="seed",
        description="Seed of the random draws (fixed so the page reproduces).",
    )


SCHEMAS: dict[str, type[ChapterParams]] = {
    "market": MarketParams,
    "challenges": ChallengesParams,
    "goals": GoalsParams,
    "implementation": ImplementationParams,
    "risk": RiskParams,
    "resources": ResourcesParams,
    "benefits": BenefitsParams,
    "timeline": TimelineParams,
    "innovation": InnovationParams,
    "conclusions": ConclusionsParams,
    "audit": AuditParams,
    "data_sources": DataSourcesParams,
    "glossary": GlossaryParams,
    "methods": MethodsParams,
}


# --------------------------------------------------------------------------- describing


@dataclass(frozen=True)
class ParamInfo:
    """What ``planbook params`` prints for one parameter."""

    name: str
    type: str
    default: Any
    allowed: str
    unit: str
    description: str


def _choice_items(annotation: Any) -> tuple[Any, ...] | None:
    """The choices of a tuple or list of Literal values (a multi-choice parameter), else None."""
    if typing.get_origin(annotation) in (tuple, list):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        if len(args) == 1 and typing.get_origin(args[0]) is Literal:
            return typing.get_args(args[0])
    return None


def _type_name(annotation: Any) -> str:
    if typing.get_origin(annotation) is Literal:
        return "choice"
    if _choice_items(annotation) is not None:
        return "choices"
    if isinstance(annotation, types.GenericAlias | types.UnionType):
        return str(annotation)
    return getattr(annotation, "__name__", str(annotation))


def _allowed(annotation: Any, metadata: list[Any]) -> str:
    if typing.get_origin(annotation) is Literal:
        return ", ".join(str(a) for a in typing.get_args(annotation))
    if (items := _choice_items(annotation)) is not None:
        return "any of " + ", ".join(str(a) for a in items)
    low = high = None
    for m in metadata:
        if isinstance(m, annotated_types.Ge | annotated_types.Gt):
            low = (
                m.ge if isinstance(m, annotated_types.Ge) else m.gt,
                isinstance(m, annotated_types.Gt),
            )
        if isinstance(m, annotated_types.Le | annotated_types.Lt):
            high = (
                m.le if isinstance(m, annotated_types.Le) else m.lt,
                isinstance(m, annotated_types.Lt),
            )
    if low and high:
        lo = f"> {low[0]}" if low[1] else f"{low[0]}"
        hi = f"< {high[0]}" if high[1] else f"{high[0]}"
        return f"{lo} to {hi}"
    if low:
        return f"{'>' if low[1] else '>='} {low[0]}"
    if high:
        return f"{'<' if high[1] else '<='} {high[0]}"
    return "any"


def schema_for(chapter: Chapter | str) -> type[ChapterParams]:
    """Return the parameter schema of a chapter (by object, slug or number)."""
    ch = chapter if isinstance(chapter, Chapter) else get_chapter(chapter)
    return SCHEMAS[ch.slug]


def describe(chapter: Chapter | str) -> list[ParamInfo]:
    """List a chapter's parameters with type, default, allowed values, unit, description."""
    schema = schema_for(chapter)
    out = []
    for name, info in schema.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        out.append(
            ParamInfo(
                name=name,
                type=_type_name(info.annotation),
                default=info.default,
                allowed=_allowed(info.annotation, list(info.metadata)),
                unit=str(extra.get("unit", "")),
                description=info.description or "",
            )
        )
    return out


def defaults(chapter: Chapter | str) -> dict[str, Any]:
    """The default parameter values of a chapter, as plain Python values."""
    return schema_for(chapter)().model_dump(mode="json")


# --------------------------------------------------------------------------- validating


def _shown(text: object) -> str:
    """User text for a one-line message: line breaks and control characters escaped."""
    s = str(text)
    return s if s.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in s)


_TYPE_WORDS = {"int": "whole number", "float": "number", "bool": "true or false", "str": "text"}


def _fix_hint(info: ParamInfo) -> str:
    if info.type == "choice":
        return f"use one of: {info.allowed}"
    if info.type == "choices":
        return f"use a comma-separated list of {info.allowed.removeprefix('any of ')} (or 'all')"
    base, _, rest = info.type.partition(" | ")
    word = _TYPE_WORDS.get(base, base) + (" (or null for the plan's own value)" if rest else "")
    if info.allowed != "any":
        return f"use a {word} from {info.allowed} ({info.unit})"
    return f"use a {word} ({info.unit})"


def _explain(err: dict[str, Any], info: ParamInfo) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "must be a whole number"
    if kind in {"float_parsing", "float_type"}:
        return "must be a number"
    if kind in {"bool_parsing", "bool_type"}:
        return "must be true or false"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "greater_than":
        return f"must be more than {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "less_than":
        return f"must be less than {ctx.get('lt')}"
    if kind == "literal_error":
        return "is not one of the allowed choices"
    return str(err.get("msg", "is not valid")).lower()


def unknown_name_message(name: str, valid: list[str], where: str) -> str:
    """One line for an unknown parameter: the valid names and the closest one."""
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{where}: unknown parameter {name!r}; {hint}valid names: {', '.join(valid)}"


_NULL_WORDS = {"null", "none", "~"}


def _null(value: Any, annotation: Any) -> Any:
    """``--set name=null`` gives None for a parameter that accepts None."""
    optional = type(None) in typing.get_args(annotation)
    if optional and isinstance(value, str) and value.strip().lower() in _NULL_WORDS:
        return None
    return value


def validate_params(
    chapter: Chapter | str, values: dict[str, Any], source: dict[str, str] | None = None
) -> ChapterParams:
    """Validate a chapter's parameter values (missing ones take their defaults).

    Parameters
    ----------
    chapter
        The chapter (object, slug or number).
    values
        Parameter values; strings from the command line are parsed by the schema's types.
    source
        For each name, where its value came from (``--set confidence=high``,
        ``scenarios/x.yml: market.confidence``), used in error messages.

    Raises
    ------
    InputError
        On an unknown name, a wrong type or a value out of range; one line naming the
        input and the fix.
    """
    ch = chapter if isinstance(chapter, Chapter) else get_chapter(chapter)
    schema = SCHEMAS[ch.slug]
    source = source or {}
    valid = list(schema.model_fields)
    for name in values:
        if name not in schema.model_fields:
            where = source.get(name, f"chapter {ch.slug}")
            raise InputError(unknown_name_message(name, valid, where))
    values = {k: _null(v, schema.model_fields[k].annotation) for k, v in values.items()}
    try:
        return schema(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "?"
        info = next(i for i in describe(ch) if i.name == name)
        where = source.get(name, f"chapter {ch.slug} parameter {name}")
        raise InputError(
            f"{where}: {name} {_explain(err, info)} (got {values.get(name)!r}); {_fix_hint(info)}"
        ) from None


# --------------------------------------------------------------------------- --set parsing


def parse_set(items: list[str], chapter: Chapter | None = None) -> dict[str, dict[str, str]]:
    """Parse ``--set`` items into ``{chapter_slug: {name: raw_value}}``.

    ``name=value`` applies to ``chapter`` (when running one chapter); ``chapter.name=value``
    names the chapter explicitly (slug or number). Values stay strings here: the schema
    parses them, so ``007`` stays ``"007"`` for a text parameter.
    """
    out: dict[str, dict[str, str]] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--set {item!r}: expected name=value (e.g. --set confidence=0.9)")
        key, raw = item.split("=", 1)
        key = key.strip()
        if not key:
            raise InputError(f"--set {item!r}: the parameter name is empty; use name=value")
        if "." in key:
            ch_name, name = key.split(".", 1)
            ch = get_chapter(ch_name)
        elif chapter is not None:
            ch, name = chapter, key
        else:
            raise InputError(
                f"--set {item!r}: name the chapter when building the whole book, "
                f"e.g. --set market.{_shown(key)}={_shown(raw)}"
            )
        out.setdefault(ch.slug, {})[name] = raw.strip()
    return out


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values for any subset of chapters."""

    name: str
    path: Path | None
    description: str = ""
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)


def scenario_names(scenarios_dir: Path) -> list[str]:
    """The scenario files shipped in ``scenarios/``, by name."""
    return sorted(p.stem for p in scenarios_dir.glob("*.yml"))


def load_scenario(name_or_path: str, scenarios_dir: Path) -> Scenario:
    """Load and check a scenario file, given by name (from ``scenarios/``) or path.

    Every chapter and parameter it sets is checked against the schemas here, so a bad
    file is refused before any kernel starts.
    """
    candidate = Path(name_or_path)
    looks_like_path = candidate.suffix in {".yml", ".yaml"} or len(candidate.parts) > 1
    path = candidate if looks_like_path else scenarios_dir / f"{name_or_path}.yml"
    shown = _shown(display_path(path))
    if not path.is_file():
        names = ", ".join(scenario_names(scenarios_dir)) or "none"
        raise InputError(
            f"scenario {name_or_path!r}: file {shown} not found; use a name from scenarios/ "
            f"({names}) or the path to a .yml file"
        )
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputError(f"{shown}: not valid YAML{where} ({problem}); fix the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{shown}: cannot be read ({exc}); fix the file") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(
            f"{shown}: expected a mapping of chapter names to parameters "
            f"(e.g. 'market:' then '  confidence: 0.9'), got {type(doc).__name__}"
        )
    description = doc.pop("description", "") or ""
    if not isinstance(description, str):
        raise InputError(f"{shown}: 'description' must be text")
    settings: dict[str, dict[str, Any]] = {}
    for ch_name, values in doc.items():
        try:
            ch = get_chapter(str(ch_name))
        except InputError as exc:
            raise InputError(f"{shown}: {exc}") from None
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise InputError(
                f"{shown}: chapter {ch_name!r} must map parameter names to values, "
                f"got {type(values).__name__}"
            )
        source = {str(k): f"{shown}: {ch.slug}.{_shown(k)}" for k in values}
        clean = {str(k): v for k, v in values.items()}
        validate_params(ch, clean, source)
        settings[ch.slug] = clean
    return Scenario(name=path.stem, path=path, description=description, settings=settings)


def resolve(
    chapter: Chapter,
    scenario: Scenario | None = None,
    overrides: dict[str, dict[str, str]] | None = None,
    base: dict[str, Any] | None = None,
) -> ChapterParams:
    """Resolve a chapter's parameters: defaults, then ``base``, then scenario, then ``--set``.

    ``base`` carries values the chapter was last run with (the main book keeps them).
    """
    values: dict[str, Any] = {}
    source: dict[str, str] = {}
    if base:
        values.update(base)
    if scenario is not None:
        values.update(scenario.settings.get(chapter.slug, {}))
        where = _shown(display_path(scenario.path)) if scenario.path else _shown(scenario.name)
        source.update({k: f"{where}: {chapter.slug}.{k}" for k in values})
    for name, raw in (overrides or {}).get(chapter.slug, {}).items():
        values[name] = raw
        source[name] = f"--set {_shown(name)}={_shown(raw)}"
    return validate_params(chapter, values, source)


def check_overrides(overrides: dict[str, dict[str, str]]) -> None:
    """Validate ``--set`` values against their chapters' schemas on their own."""
    for slug, values in overrides.items():
        ch = get_chapter(slug)
        source = {k: f"--set {_shown(k)}={_shown(v)}" for k, v in values.items()}
        validate_params(ch, values, source)


__all__ = [
    "CHAPTERS",
    "AuditParams",
    "ChapterParams",
    "MarketParams",
    "MethodsParams",
    "ChallengesParams",
    "GoalsParams",
    "TimelineParams",
    "InnovationParams",
    "BenefitStreamParams",
    "ResourcesParams",
    "BenefitsParams",
    "ParamInfo",
    "Scenario",
    "SCHEMAS",
    "check_overrides",
    "defaults",
    "describe",
    "load_scenario",
    "parse_set",
    "resolve",
    "schema_for",
    "validate_params",
]
