"""Tests of the official-statistics tables (data/official/) and their loaders."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from planbook.data.official import (
    TABLE_NAMES,
    annual_series,
    chain_linked_index,
    default_data_dir,
    level_vs_growth_gaps,
    load_official,
    validate_all,
)
from planbook.errors import DataFileError, InputError

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "data" / "official"
ANNUAL = tuple(n for n in TABLE_NAMES if not n.endswith(("_monthly", "_ytd")))
RAW_FILES = ("official_stats.csv", "official_stats_additions.csv")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the official tables under ``<tmp>/official``; returns the data dir."""
    target = tmp_path / "official"
    target.mkdir()
    for path in OFFICIAL.glob("*.csv"):
        shutil.copy(path, target / path.name)
    return tmp_path


def rewrite(path: Path, mutate: Callable[[list[dict[str, str]]], None]) -> None:
    """Read a table as dicts, let ``mutate`` change the list in place, write it back."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    mutate(rows)
    fields = [f for f in fields if any(f in r for r in rows)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def find_row(rows: list[dict[str, str]], **match: str) -> int:
    """Index of the first row matching all ``column=value`` pairs."""
    return next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))


def break_cell(data_dir: Path, name: str, column: str, new: str, **match: str) -> int:
    """Set ``column`` to ``new`` in the first row matching ``match``; return its file row."""
    found: list[int] = []

    def mutate(rows: list[dict[str, str]]) -> None:
        i = find_row(rows, **match)
        rows[i][column] = new
        found.append(i + 2)

    rewrite(data_dir / "official" / f"{name}.csv", mutate)
    return found[0]


def assert_names(exc: pytest.ExceptionInfo, name: str, row: int, column: str) -> None:
    """The error message names the file, the row and the column."""
    message = str(exc.value)
    assert f"{name}.csv" in message
    assert f"row {row}," in message or f"row {row} " in message
    assert repr(column) in message


# ---- the committed tables -------------------------------------------------------------


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_table_loads_and_validates(name: str) -> None:
    frame = load_official(name)
    assert len(frame) > 0
    assert frame["year"].between(2000, 2030).all()
    assert frame["value"].dtype == float
    assert frame["preferred"].dtype == bool
    assert (frame["source"].str.len() > 0).all()
    assert (frame["note"].str.len() > 0).all()


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_exactly_one_preferred_row_per_key(name: str) -> None:
    frame = load_official(name)
    key = "year" if name in ANNUAL else "period"
    counts = frame.groupby(["series", key, "measure"])["preferred"].sum()
    assert (counts == 1).all()


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_one_unit_per_measure_kind(name: str) -> None:
    frame = load_official(name)
    levels = frame[frame["measure"] == "level"]
    assert levels["unit"].nunique() == 1
    assert (frame.loc[frame["measure"] != "level", "unit"] == "percent").all()


@pytest.fixture(scope="module")
def build_module() -> Iterator[ModuleType]:
    """``data/official/build_tables.py`` imported as a module (not left in sys.modules)."""
    spec = importlib.util.spec_from_file_location("build_tables", OFFICIAL / "build_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, spec.name, module)  # dataclasses look the module up
        patch.setattr(sys, "dont_write_bytecode", True)  # no __pycache__ in data/
        spec.loader.exec_module(module)
        yield module


def test_tables_are_the_build_output(tmp_path: Path, build_module: ModuleType) -> None:
    """The committed tables are exactly what build_tables.py makes from the raw copies."""
    counts = build_module.build(OFFICIAL / "raw", tmp_path)
    assert set(counts) == set(TABLE_NAMES)
    for name in TABLE_NAMES:
        built = (tmp_path / f"{name}.csv").read_bytes()
        assert built == (OFFICIAL / f"{name}.csv").read_bytes(), name


def test_raw_copies_match_their_checksums() -> None:
    """The raw copies are the files whose sha256 the README records."""
    readme = (OFFICIAL / "README.md").read_text(encoding="utf-8")
    for name in RAW_FILES:
        digest = hashlib.sha256((OFFICIAL / "raw" / name).read_bytes()).hexdigest()
        assert f"`raw/{name}`: `{digest}`" in readme, name


def test_every_raw_row_of_a_tabulated_series_is_kept() -> None:
    excluded = [
        "double11_gmv_alibaba",
        "express_delivery_volume_ytd",
        "express_delivery_volume_month",
    ]
    used = pd.concat([load_official(n)[["raw_file", "raw_row"]] for n in TABLE_NAMES])
    assert not used.duplicated().any()
    for name in RAW_FILES:
        raw = pd.read_csv(OFFICIAL / "raw" / name, dtype=str)
        kept = used.loc[used["raw_file"] == name, "raw_row"]
        assert sorted(kept) == [i + 2 for i in raw.index[~raw["series"].isin(excluded)]], name


def test_validate_all_counts_rows() -> None:
    counts = validate_all()
    assert set(counts) == set(TABLE_NAMES)
    assert counts["online_retail_sales"] == len(load_official("online_retail_sales"))


def test_default_data_dir_is_the_repository_data() -> None:
    assert default_data_dir() == ROOT / "data"


# ---- broken copies raise DataFileError naming file, row, column ------------------------


def test_broken_value(data_copy: Path) -> None:
    row = break_cell(
        data_copy, "online_retail_sales", "value", "15,4264", year="2023", preferred="true"
    )
    with pytest.raises(DataFileError) as exc:
        load_official("online_retail_sales", data_copy)
    assert_names(exc, "online_retail_sales", row, "value")


def test_negative_level(data_copy: Path) -> None:
    row = break_cell(data_copy, "express_parcels", "value", "-5", year="2022", measure="level")
    with pytest.raises(DataFileError) as exc:
        load_official("express_parcels", data_copy)
    assert_names(exc, "express_parcels", row, "value")


def test_missing_column(data_copy: Path) -> None:
    def drop_unit(rows: list[dict[str, str]]) -> None:
        for r in rows:
            del r["unit"]

    rewrite(data_copy / "official" / "online_retail_sales.csv", drop_unit)
    with pytest.raises(DataFileError) as exc:
        load_official("online_retail_sales", data_copy)
    assert_names(exc, "online_retail_sales", 1, "unit")


def test_missing_cell(data_copy: Path) -> None:
    row = break_cell(data_copy, "online_shoppers", "source", "", year="2023", preferred="true")
    with pytest.raises(DataFileError) as exc:
        load_official("online_shoppers", data_copy)
    assert_names(exc, "online_shoppers", row, "source")


def test_unknown_unit(data_copy: Path) -> None:
    row = break_cell(data_copy, "online_retail_sales", "unit", "billion_yuan", year="2019")
    with pytest.raises(DataFileError) as exc:
        load_official("online_retail_sales", data_copy)
    assert_names(exc, "online_retail_sales", row, "unit")


def test_unit_of_another_table(data_copy: Path) -> None:
    """100m_yuan is a valid unit, but online retail levels are in trillion_yuan."""
    row = break_cell(data_copy, "online_retail_sales", "unit", "100m_yuan", year="2020")
    with pytest.raises(DataFileError) as exc:
        load_official("online_retail_sales", data_copy)
    assert_names(exc, "online_retail_sales", row, "unit")


def test_growth_rate_not_in_percent(data_copy: Path) -> None:
    row = break_cell(
        data_copy, "online_retail_sales", "unit", "trillion_yuan", year="2021", measure="yoy_pct"
    )
    with pytest.raises(DataFileError) as exc:
        load_official("online_retail_sales", data_copy)
    assert_names(exc, "online_retail_sales", row, "unit")


def test_year_out_of_range(data_copy: Path) -> None:
    row = break_cell(data_copy, "express_parcels", "year", "1999", year="2012")
    with pytest.raises(DataFileError) as exc:
        load_official("express_parcels", data_copy)
    assert_names(exc, "express_parcels", row, "year")


def test_period_of_another_year(data_copy: Path) -> None:
    row = break_cell(data_copy, "online_retail_sales_ytd", "period", "2019-06", period="2018-06")
    with pytest.raises(DataFileError) as exc:
        load_official("online_retail_sales_ytd", data_copy)
    assert_names(exc, "online_retail_sales_ytd", row, "period")


def test_unknown_status(data_copy: Path) -> None:
    row = break_cell(data_copy, "cross_border_ecommerce", "status", "revised", year="2022")
    with pytest.raises(DataFileError) as exc:
        load_official("cross_border_ecommerce", data_copy)
    assert_names(exc, "cross_border_ecommerce", row, "status")


def test_two_preferred_rows(data_copy: Path) -> None:
    row = break_cell(
        data_copy, "online_retail_sales", "preferred", "true", year="2023", value="15.42"
    )
    with pytest.raises(DataFileError) as exc:
        load_official("online_retail_sales", data_copy)
    assert_names(exc, "online_retail_sales", row, "preferred")


def test_no_preferred_row(data_copy: Path) -> None:
    row = break_cell(
        data_copy, "express_parcels", "preferred", "false", year="2022", measure="level"
    )
    with pytest.raises(DataFileError) as exc:
        load_official("express_parcels", data_copy)
    assert_names(exc, "express_parcels", row, "preferred")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="online_retail_sales.csv"):
        load_official("online_retail_sales", tmp_path)


def test_unknown_table() -> None:
    with pytest.raises(InputError, match="unknown official table"):
        load_official("gdp")


# ---- annual_series ---------------------------------------------------------------------


def test_annual_series_preferred_values() -> None:
    online = annual_series("online_retail_sales")
    assert online.index.dtype == "int64"
    assert online.index.name == "year"
    assert online.index.is_monotonic_increasing
    assert online.name == "online_retail_sales_level"
    assert online.attrs["unit"] == "trillion_yuan"
    assert online[2023] == pytest.approx(15.4264)
    assert online[2024] == pytest.approx(15.5225)
    assert online.attrs["qualifier"][2018] == "lower_bound"
    assert online.attrs["status"][2013] == "estimate"


def test_annual_series_growth_and_share() -> None:
    growth = annual_series("online_retail_sales", "yoy_pct")
    assert growth.attrs["unit"] == "percent"
    assert growth[2024] == pytest.approx(7.2)
    share = annual_series("physical_goods_online_retail", "share_pct")
    assert share[2023] == pytest.approx(27.6)
    # 26.8 was the résumé-site CSV's alone; China Daily/Xinhua now carries it
    assert share.attrs["status"][2024] == "final"
    assert share.attrs["source_quality"][2024] == "official_media"


def test_annual_series_choices() -> None:
    """Final beats preliminary; stand-ins and definition breaks are handled."""
    express = annual_series("express_parcels")
    assert express.attrs["unit"] == "100m_parcels"
    assert express[2024] == pytest.approx(1750.8)
    assert express[2013] == pytest.approx(91.9)
    assert express.attrs["status"][2016] == "preliminary"
    shoppers = annual_series("online_shoppers")
    assert shoppers[2019] == pytest.approx(7.10)
    assert shoppers[2025] == pytest.approx(9.37)
    cross = annual_series("cross_border_ecommerce")
    assert cross[2018] == pytest.approx(1.06)
    assert 2019 not in cross.index
    platform = annual_series(
        "cross_border_ecommerce", series="cross_border_ecommerce_platform_retail"
    )
    assert platform[2019] == pytest.approx(0.18621)
    total = annual_series("total_retail_sales")
    assert total[2025] == pytest.approx(50.1202)


def test_annual_series_rejects_periodic_tables_and_unknown_series() -> None:
    with pytest.raises(InputError, match="not an annual table"):
        annual_series("online_retail_sales_ytd")
    with pytest.raises(InputError, match="no 'share_pct' rows"):
        annual_series("online_retail_sales", "share_pct")


# ---- chain_linked_index ----------------------------------------------------------------


def test_chain_linked_index_hand_computed() -> None:
    growth = pd.Series([10.0, -50.0, 100.0], index=[2021, 2022, 2023], name="g")
    index = chain_linked_index(growth, base_year=2021, base_level=100.0)
    assert index.index.tolist() == [2020, 2021, 2022, 2023]
    assert index.tolist() == pytest.approx([100.0 / 1.1, 100.0, 50.0, 100.0])
    assert index.attrs == {"base_year": 2021, "base_level": 100.0}


def test_chain_linked_index_anchor_before_first_rate() -> None:
    growth = pd.Series([20.0, 25.0], index=[2015, 2016])
    index = chain_linked_index(growth, base_year=2014, base_level=2.0)
    assert index.tolist() == pytest.approx([2.0, 2.4, 3.0])


def test_chain_linked_index_keeps_official_growth_and_anchor() -> None:
    growth = annual_series("online_retail_sales", "yoy_pct")
    level = annual_series("online_retail_sales")
    index = chain_linked_index(growth, 2023, level[2023])
    assert index[2023] == pytest.approx(15.4264)
    implied = (index / index.shift(1) - 1.0) * 100.0
    assert implied.loc[growth.index].tolist() == pytest.approx(growth.tolist())
    assert index[2024] == pytest.approx(15.4264 * 1.072)


@pytest.mark.parametrize(
    ("growth", "base_year"),
    [
        (pd.Series([5.0, 6.0], index=[2020, 2022]), 2020),
        (pd.Series([5.0, 6.0], index=[2020, 2021]), 2018),
        (pd.Series([5.0, float("nan")], index=[2020, 2021]), 2020),
        (pd.Series([5.0, -100.0], index=[2020, 2021]), 2020),
    ],
)
def test_chain_linked_index_rejects_bad_input(growth: pd.Series, base_year: int) -> None:
    with pytest.raises(InputError):
        chain_linked_index(growth, base_year, 1.0)


# ---- level_vs_growth_gaps --------------------------------------------------------------


def test_online_retail_level_growth_gaps() -> None:
    gaps = level_vs_growth_gaps("online_retail_sales")
    row = gaps.loc[2024]
    assert row["level"] == pytest.approx(15.5225)
    assert row["previous_level"] == pytest.approx(15.4264)
    assert round(row["implied_yoy_pct"], 1) == 0.6
    assert row["official_yoy_pct"] == pytest.approx(7.2)
    assert round(row["gap_pp"], 1) == -6.6
    assert round(gaps.loc[2025, "implied_yoy_pct"], 1) == 2.9
    # 13.79 (rounded) over 13.0884: +5.4% (official_stats.md, with 13.09, says +5.3%)
    assert round(gaps.loc[2022, "implied_yoy_pct"], 1) == 5.4
    assert "lower_bound" in gaps.loc[2019, "previous_flags"]


def test_total_retail_2020_gap() -> None:
    gaps = level_vs_growth_gaps("total_retail_sales")
    assert round(gaps.loc[2020, "implied_yoy_pct"], 1) == -4.8
    assert gaps.loc[2020, "official_yoy_pct"] == pytest.approx(-3.9)
    assert pd.isna(gaps.loc[2016, "implied_yoy_pct"])
