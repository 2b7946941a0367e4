"""Row models of the official-statistics tables in ``data/official/``.

One :class:`OfficialRow` layout for every table (each table narrows its series and units:
:data:`MODELS`), and :class:`BreakRow` for ``breaks.csv``. The loaders are in
:mod:`planbook.data.official`, which re-exports every name here.
"""

from __future__ import annotations

import typing
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from planbook.data.domains import MEASURE_DOMAINS
from planbook.data.schema import Flag, Integer, Number, TableRow

Measure = Literal["level", "yoy_pct", "share_pct"]
Unit = Literal["trillion_yuan", "100m_yuan", "100m_parcels", "100m_persons", "percent"]
Status = Literal["final", "preliminary", "estimate", "plan_baseline", "secondary"]
Qualifier = Literal["exact", "rounded", "approx", "lower_bound"]
SourceQuality = Literal["primary", "official_media", "secondary_copy", "weak"]
RawFile = Literal["official_stats.csv", "official_stats_additions.csv"]
BreakKind = Literal["level_shift", "definition_change", "unverified"]

SOURCE_QUALITIES: tuple[str, ...] = typing.get_args(SourceQuality)
"""Source quality classes, best first (``data/official/README.md``): the releasing agency or
a government site; Chinese state media; a news organisation's or data provider's copy; any
other copy (spam-wrapped or spun mirror, forum, personal site, GitHub file)."""
BREAK_KINDS: tuple[str, ...] = typing.get_args(BreakKind)
"""Kinds of known break: a shift of the level with no matching growth; a change of what the
series counts; a figure no good copy confirms."""

PERCENT_MEASURES = ("yoy_pct", "share_pct")
DATE_PATTERN = r"^20\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"
"""A source date: ``YYYY-MM-DD``, or ``YYYY-MM`` where the source names only the month."""


class OfficialRow(TableRow):
    """One published figure. Subclasses narrow ``series`` and ``unit`` to one table.

    ``KEY`` names the column that, with ``series`` and ``measure``, identifies an
    observation: ``year`` for annual tables, ``period`` for monthly and year-to-date ones.
    """

    KEY: ClassVar[str] = "year"

    series: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    year: Integer = Field(ge=2000, le=2030)
    period: str = Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")
    measure: Measure
    value: Number
    unit: Unit
    status: Status
    qualifier: Qualifier
    preferred: Flag
    source_quality: SourceQuality
    single_source: Flag
    source_date: str | None = Field(pattern=DATE_PATTERN)
    source: str = Field(min_length=1)
    note: str = Field(min_length=1)
    raw_file: RawFile
    raw_row: Integer = Field(ge=2)

    @field_validator("period")
    @classmethod
    def _period_matches_year(cls, period: str, info: ValidationInfo) -> str:
        year = info.data.get("year")
        if year is None:
            return period
        period_year = int(period[:4])
        if cls.KEY == "period":
            if len(period) != 7 or period_year != year:
                raise ValueError(f"must be YYYY-MM within year {year}")
            return period
        # Annual tables: the period is the year, a year-end month, or an early-next-year
        # survey standing in for year-end (CNNIC March 2020 for December 2019).
        stand_in = len(period) == 7 and period_year == year + 1 and period[5:] <= "03"
        if period_year != year and not stand_in:
            raise ValueError(f"period does not belong to year {year}")
        return period

    @field_validator("value")
    @classmethod
    def _value_in_domain(cls, value: float, info: ValidationInfo) -> float:
        domain = MEASURE_DOMAINS.get(info.data.get("measure", ""))
        problem = domain.problem(value) if domain is not None else None
        if problem:
            raise ValueError(f"{problem}; fix the raw value and rebuild the table")
        return value

    @field_validator("unit")
    @classmethod
    def _unit_fits_measure(cls, unit: str, info: ValidationInfo) -> str:
        measure = info.data.get("measure")
        if measure in PERCENT_MEASURES and unit != "percent":
            raise ValueError(f"a {measure} row must be in percent")
        if measure == "level" and unit == "percent":
            raise ValueError("a level row cannot be in percent")
        return unit


class EcommerceTransactionVolumeRow(OfficialRow):
    """``ecommerce_transaction_volume.csv``: MOFCOM/NBS e-commerce transaction volume."""

    series: Literal["ecommerce_transaction_volume"]
    unit: Literal["trillion_yuan", "percent"]


class OnlineRetailSalesRow(OfficialRow):
    """``online_retail_sales.csv``: NBS online retail sales (网上零售额)."""

    series: Literal["online_retail_sales"]
    unit: Literal["trillion_yuan", "percent"]


class PhysicalGoodsOnlineRetailRow(OfficialRow):
    """``physical_goods_online_retail.csv``: NBS online retail of physical goods."""

    series: Literal["physical_goods_online_retail"]
    unit: Literal["trillion_yuan", "percent"]


class TotalRetailSalesRow(OfficialRow):
    """``total_retail_sales.csv``: NBS total retail sales of consumer goods (annual)."""

    series: Literal["total_retail_sales"]
    unit: Literal["trillion_yuan", "percent"]


class ExpressParcelsRow(OfficialRow):
    """``express_parcels.csv``: State Post Bureau express parcel volume."""

    series: Literal["express_parcels"]
    unit: Literal["100m_parcels", "percent"]


class OnlineShoppersRow(OfficialRow):
    """``online_shoppers.csv``: CNNIC online shoppers (year-end) and interim surveys."""

    series: Literal["online_shoppers", "online_shoppers_interim"]
    unit: Literal["100m_persons"]


class CrossBorderEcommerceRow(OfficialRow):
    """``cross_border_ecommerce.csv``: GAC cross-border e-commerce trade and components."""

    series: Literal[
        "cross_border_ecommerce",
        "cross_border_ecommerce_export",
        "cross_border_ecommerce_import",
        "cross_border_ecommerce_platform_retail",
    ]
    unit: Literal["trillion_yuan", "percent"]


class PeriodRow(OfficialRow):
    """A row of a monthly or year-to-date table: keyed by ``period`` (YYYY-MM)."""

    KEY: ClassVar[str] = "period"


class TotalRetailSalesMonthlyRow(PeriodRow):
    """``total_retail_sales_monthly.csv``: NBS single-month total retail, 2012-2018."""

    series: Literal["total_retail_sales_month"]
    unit: Literal["trillion_yuan", "percent"]


class OnlineRetailSalesYtdRow(PeriodRow):
    """``online_retail_sales_ytd.csv``: NBS year-to-date cumulative retail figures."""

    series: Literal[
        "online_retail_sales_ytd", "physical_goods_online_retail_ytd", "total_retail_sales_ytd"
    ]
    unit: Literal["trillion_yuan", "percent"]


class CrossBorderEcommerceYtdRow(PeriodRow):
    """``cross_border_ecommerce_ytd.csv``: GAC year-to-date cross-border figures."""

    series: Literal["cross_border_ecommerce_ytd"]
    unit: Literal["trillion_yuan"]


MODELS: dict[str, type[OfficialRow]] = {
    "ecommerce_transaction_volume": EcommerceTransactionVolumeRow,
    "online_retail_sales": OnlineRetailSalesRow,
    "physical_goods_online_retail": PhysicalGoodsOnlineRetailRow,
    "total_retail_sales": TotalRetailSalesRow,
    "express_parcels": ExpressParcelsRow,
    "online_shoppers": OnlineShoppersRow,
    "cross_border_ecommerce": CrossBorderEcommerceRow,
    "total_retail_sales_monthly": TotalRetailSalesMonthlyRow,
    "online_retail_sales_ytd": OnlineRetailSalesYtdRow,
    "cross_border_ecommerce_ytd": CrossBorderEcommerceYtdRow,
}
"""Table name (file stem under ``data/official/``) -> row model."""

TABLE_NAMES: tuple[str, ...] = tuple(MODELS)

SERIES_TABLE: dict[str, str] = {
    series: name
    for name, model in MODELS.items()
    for series in typing.get_args(model.model_fields["series"].annotation)
}
"""Every series of the official tables -> its table."""


class BreakRow(TableRow):
    """A row of ``data/official/breaks.csv``: a known break in an official series."""

    series: str
    period: str = Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")
    kind: BreakKind
    description: str = Field(min_length=20)
    source: str = Field(min_length=10)

    @field_validator("series")
    @classmethod
    def _series_known(cls, series: str) -> str:
        if series not in SERIES_TABLE:
            raise ValueError(
                f"not a series of the official tables; use one of {sorted(SERIES_TABLE)}"
            )
        return series
