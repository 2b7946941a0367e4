"""Typed parameters of every chapter, scenario files and ``--set`` overrides.

This package is the single place that declares each chapter's parameters: name, type,
default, allowed range or choices, unit and a one-line description. Parameters several
chapters share are declared once (:mod:`.base`); chapter 5's risk scores come from the
risk register (:mod:`.risk`). The notebooks' ``parameters`` cells are written from the
schemas (:mod:`.cells`, a test keeps them equal), the CLI lists them, and every value is
validated here before any kernel starts.

Modules: :mod:`.base` (a parameter, a schema, the shared groups), :mod:`.schemas` and
:mod:`.appendices` (the chapters' schemas), :mod:`.risk` (chapter 5's, from the register),
:mod:`.describe` (the table of schemas, describing and validating), :mod:`.scenarios`
(``--set`` and scenario files), :mod:`.cells` (the notebooks' parameters cells),
:mod:`.checks` (the settings of the chapters' checks at a page's parameters).
"""

from __future__ import annotations

from typing import Any

from planbook.engine.params.appendices import (
    AuditParams,
    AuditSeverity,
    DataSourcesParams,
    GlossaryParams,
    GlossarySort,
    MethodsParams,
)
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
from planbook.engine.params.cells import parameters_cell, write_parameters_cell
from planbook.engine.params.checks import check_settings
from planbook.engine.params.describe import (
    SCHEMAS,
    ParamInfo,
    defaults,
    describe,
    schema_for,
    unknown_name_message,
    validate_params,
)
from planbook.engine.params.risk import RiskModelParams, risk_params
from planbook.engine.params.scenarios import (
    Scenario,
    check_overrides,
    check_scenarios,
    load_scenario,
    parse_set,
    resolve,
    scenario_names,
)
from planbook.engine.params.schemas import (
    BenefitsParams,
    BenefitStreamParams,
    ChallengesParams,
    ConclusionsParams,
    CustomerEconomicsParams,
    GoalsParams,
    ImplementationParams,
    Initiative,
    InitiativeSet,
    InnovationParams,
    MarketParams,
    PathShape,
    ResourcesParams,
    SeverityMeasure,
    TimelineParams,
)
from planbook.engine.registry import CHAPTERS


def __getattr__(name: str) -> Any:
    """``RiskParams``: chapter 5's schema, built from the risk register when first used."""
    if name == "RiskParams":
        return risk_params()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHAPTERS",
    "SCHEMAS",
    "AuditParams",
    "AuditSeverity",
    "BenefitStreamParams",
    "BenefitsParams",
    "ChallengesParams",
    "ChapterParams",
    "ConclusionsParams",
    "ConfidenceSetting",
    "CustomerEconomicsParams",
    "DataSourcesParams",
    "DrawsSetting",
    "ForecastMethod",
    "ForecastMethodSetting",
    "ForecastSettings",
    "GlossaryParams",
    "GlossarySort",
    "GoalsParams",
    "HistoryStartSetting",
    "ImplementationParams",
    "Initiative",
    "InitiativeSet",
    "InnovationParams",
    "LevelTolerance",
    "MarketParams",
    "MethodsParams",
    "Param",
    "ParamInfo",
    "PathShape",
    "RateTolerance",
    "ResourcesParams",
    "RiskModelParams",
    "RiskParams",
    "Scenario",
    "SeedSetting",
    "SeverityMeasure",
    "SimulationSettings",
    "TimelineParams",
    "Tolerances",
    "check_overrides",
    "check_settings",
    "check_scenarios",
    "defaults",
    "describe",
    "like",
    "load_scenario",
    "parameters_cell",
    "parse_set",
    "resolve",
    "risk_params",
    "scenario_names",
    "schema_for",
    "unknown_name_message",
    "validate_params",
    "write_parameters_cell",
]
