"""Source quality, conflicts, unit conversions, vintage and known breaks of data/official/.

The build script's rules are tested on hand-made rows (``build_tables.py`` imported as a
module) and on the committed tables; the loaders of ``breaks.csv`` on broken copies.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from planbook.chapters.data_sources import agreement
from planbook.data import official
from planbook.errors import DataFileError, InputError

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "data" / "official"
RETIRED = ("630.saiyoucrm.com", "zzndh.com", "chinapetmarket.com", "ifupo.com")
RESUME_SITE = "linxiaoqing-resume-site"
QUALITY = {q: i for i, q in enumerate(official.SOURCE_QUALITIES)}


@pytest.fixture(scope="module")
def bt() -> Iterator[ModuleType]:
    """``data/official/build_tables.py`` imported as a module."""
    spec = importlib.util.spec_from_file_location("build_tables", OFFICIAL / "build_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, spec.name, module)
        patch.setattr(sys, "dont_write_bytecode", True)
        spec.loader.exec_module(module)
        yield module


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """Every row of every official table, with ``table`` and ``key`` columns."""
    frames = []
    for name, model in official.MODELS.items():
        frame = official.load_official(name)
        frame.insert(0, "table", name)
        frame["key"] = frame[model.KEY].astype(str)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of ``data/official/*.csv`` under ``<tmp>/official``; returns the data dir."""
    (tmp_path / "official").mkdir()
    for path in OFFICIAL.glob("*.csv"):
        shutil.copy(path, tmp_path / "official" / path.name)
    return tmp_path


KEY = ["table", "series", "key", "measure"]


def preferred(rows: pd.DataFrame, table: str, key: str, measure: str = "level") -> pd.Series:
    hit = rows[
        (rows["table"] == table)
        & (rows["series"] == table)
        & (rows["key"] == key)
        & (rows["measure"] == measure)
        & rows["preferred"]
    ]
    assert len(hit) == 1
    return hit.iloc[0]


# --------------------------------------------------------------------------- every row


def test_every_row_names_its_source_and_quality_class(rows) -> None:
    assert (rows["source"].str.len() > 0).all()
    assert set(rows["source_quality"]) == set(official.SOURCE_QUALITIES)
    assert rows["single_source"].dtype == bool
    dated = rows.loc[rows["source_date"] != "", "source_date"]
    assert dated.str.fullmatch(official.DATE_PATTERN.strip("^$")).all()
    assert set(rows["raw_file"]) == {"official_stats.csv", "official_stats_additions.csv"}


@pytest.mark.parametrize(
    ("source", "quality"),
    [
        ("page https://www.stats.gov.cn/english/PressRelease/x.html (NBS)", "primary"),
        ("page https://www.cnnic.com.cn/AU/x.htm (CNNIC)", "primary"),
        ("page http://english.scio.gov.cn/pressroom/x.htm (SCIO)", "official_media"),
        ("page http://en.people.cn/n3/x.html (Xinhua)", "official_media"),
        ("page https://www.scmp.com/tech/x (SCMP)", "secondary_copy"),
        ("page http://zzndh.com/a/202401/621350.html (NBS repost)", "weak"),
        ("page https://ifupo.com/forum.php?x (forum)", "weak"),
        ("page http://unknown.example.cn/x.html (repost)", "weak"),
        ("GitHub file via find_string id 1 (quoting https://www.stats.gov.cn/x.html)", "weak"),
        ("GitHub 178517877qq-sketch/linxiaoqing-resume-site assets/x.csv (CSV)", "weak"),
        ("page excerpt without URL (经济日报)", "weak"),
    ],
)
def test_source_quality_by_host(bt, source, quality) -> None:
    assert bt.source_quality(source) == quality


def test_a_stale_host_stops_the_build(bt, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(bt.PRIMARY_HOSTS, "nowhere.example.org", "typo")
    with pytest.raises(ValueError, match="nowhere.example.org"):
        bt.build(OFFICIAL / "raw", tmp_path)


# --------------------------------------------------------------------------- replaced mirrors


@pytest.mark.parametrize(
    ("table", "series", "key", "measure", "retired"),
    [
        ("total_retail_sales", "total_retail_sales", "2023", "level", "zzndh.com"),
        ("total_retail_sales", "total_retail_sales", "2023", "yoy_pct", "zzndh.com"),
        ("physical_goods_online_retail", "physical_goods_online_retail", "2023", "yoy_pct",
         "zzndh.com"),
        ("physical_goods_online_retail", "physical_goods_online_retail", "2023", "share_pct",
         "zzndh.com"),
        ("online_retail_sales", "online_retail_sales", "2023", "yoy_pct", "zzndh.com"),
        ("online_shoppers", "online_shoppers_interim", "2023", "level", "630.saiyoucrm.com"),
        ("online_shoppers", "online_shoppers", "2018", "level", "chinapetmarket.com"),
        ("online_shoppers", "online_shoppers", "2020", "level", "ifupo.com"),
        ("online_shoppers", "online_shoppers", "2024", "level", RESUME_SITE),
        ("online_retail_sales", "online_retail_sales", "2024", "level", RESUME_SITE),
        ("online_retail_sales", "online_retail_sales", "2024", "yoy_pct", RESUME_SITE),
        ("physical_goods_online_retail", "physical_goods_online_retail", "2024", "share_pct",
         RESUME_SITE),
        ("online_retail_sales", "online_retail_sales", "2022", "yoy_pct", "dahongglass.cn"),
    ],
)  # fmt: skip
def test_replaced_sources_are_kept_as_alternatives(rows, table, series, key, measure, retired):
    group = rows[
        (rows["table"] == table)
        & (rows["series"] == series)
        & (rows["key"] == key)
        & (rows["measure"] == measure)
    ]
    pref = group[group["preferred"]].iloc[0]
    assert retired not in pref["source"]
    assert pref["source_quality"] in ("primary", "official_media", "secondary_copy")
    kept = group[group["source"].str.contains(retired, regex=False)]
    assert len(kept) >= 1 and not kept["preferred"].any()
    assert {agreement(pref["value"], v) for v in kept["value"]} <= {"same value", "rounded repeat"}


def test_no_preferred_row_rests_on_a_weaker_copy_of_its_figure(rows) -> None:
    """Where a better copy carries the same figure (same status and precision flag), it
    is the preferred row; a weak preferred row with a better alternative keeps only the
    digits that alternative lacks (15.4264 on a mirror against SCIO's 15.43)."""
    for _, group in rows.groupby(KEY):
        pref = group[group["preferred"]].iloc[0]
        better = group[group["source_quality"].map(QUALITY) < QUALITY[pref["source_quality"]]]
        same = better[
            (better["value"] == pref["value"])
            & (better["status"] == pref["status"])
            & (better["qualifier"] == pref["qualifier"])
        ]
        assert same.empty, tuple(pref[KEY])
        coarser = better[(better["status"] == pref["status"]) & (better["value"] != pref["value"])]
        for note in coarser["note"]:
            assert re.search(r": (rounded figure|less precise|conflicting value)", note), note


def test_retired_mirrors_remain_preferred_only_without_a_better_copy(rows) -> None:
    pref = rows[rows["preferred"]]
    for domain in (*RETIRED, RESUME_SITE):
        on_mirror = pref[pref["source"].str.contains(domain, regex=False)]
        for _, row in on_mirror.iterrows():
            key = (rows[KEY] == row[KEY]).all(axis=1)
            rivals = rows[key & ~rows["preferred"] & (rows["value"] == row["value"])]
            assert (rivals["source_quality"].map(QUALITY) >= QUALITY["weak"]).all(), (
                domain,
                tuple(row[KEY]),
            )
    # what is left on zzndh.com: the exact NBS digits no better copy prints
    zzndh = pref[
        pref["source"].str.contains("zzndh.com") & (pref["table"] != "online_retail_sales_ytd")
    ]
    assert sorted(zzndh["value"]) == [13.0174, 15.4264]


# --------------------------------------------------------------------------- conflict rule


def make_row(bt: ModuleType, value: str, quality: str, raw_row: int, **fields) -> object:
    base = {
        "table": "t",
        "series": "t",
        "year": 2024,
        "period": "2024",
        "measure": "level",
        "value": Decimal(value),
        "unit": "trillion_yuan",
        "status": "final",
        "qualifier": "exact",
        "prefer": 0,
        "quality": quality,
        "copies": frozenset({f"copy{raw_row}"}),
        "source_date": "",
        "source": f"page https://h{raw_row}.example/x",
        "why": "",
        "raw_notes": "",
        "raw_file": "official_stats.csv",
        "raw_row": raw_row,
    }
    return bt.Row(**{**base, **fields})


def choose(bt: ModuleType, *rows: object) -> tuple[object, list[object]]:
    table = bt.Table("t", "year", "trillion_yuan")
    out = bt.select(list(rows), table)
    winner = next(r for r in out if r.preferred)
    return winner, [r for r in out if not r.preferred]


def test_conflict_the_better_source_carries_the_figure(bt) -> None:
    """2024 physical goods: a weak exact 12.7878 against an official-media 13.08."""
    weak = make_row(bt, "12.7878", "weak", 2)
    media = make_row(bt, "13.08", "official_media", 3, qualifier="rounded")
    winner, (loser,) = choose(bt, weak, media)
    assert winner.value == Decimal("13.08")
    assert "conflicting value: its best copy is weak" in loser.selection


def test_a_rounded_repeat_backs_the_figure_it_rounds(bt) -> None:
    exact = make_row(bt, "15.4264", "weak", 2)
    media = make_row(bt, "15.43", "official_media", 3, qualifier="rounded")
    truncated = make_row(bt, "15.42", "secondary_copy", 4, qualifier="rounded")
    winner, losers = choose(bt, exact, media, truncated)
    assert winner.value == Decimal("15.4264") and not winner.single_source
    notes = {str(r.value): r.selection for r in losers}
    assert "rounded figure" in notes["15.43"]
    assert "conflicting value" in notes["15.42"]


def test_of_two_copies_the_better_source_is_preferred(bt) -> None:
    weak = make_row(bt, "11.0", "weak", 2)
    media = make_row(bt, "11", "official_media", 3, raw_file="official_stats_additions.csv")
    winner, (loser,) = choose(bt, weak, media)
    assert winner.quality == "official_media"  # trailing zeros are no extra precision
    assert loser.selection.startswith("alternative to additions row 3 (11): weaker copy")
    assert "replaced by a better copy" in loser.selection


def test_status_comes_before_source_quality(bt) -> None:
    final = make_row(bt, "1750.8", "weak", 2)
    prelim = make_row(bt, "1745", "primary", 3, status="preliminary")
    winner, _ = choose(bt, final, prelim)
    assert winner.value == Decimal("1750.8")


def test_single_source_counts_copies_not_rows(bt) -> None:
    one = make_row(bt, "2.5", "weak", 2)
    alone, _ = choose(bt, one)
    assert alone.single_source
    same_page = make_row(bt, "2.5", "weak", 3, copies=frozenset({"copy2"}))
    winner, (other,) = choose(bt, one, same_page)
    assert winner.single_source and other.single_source
    elsewhere = make_row(bt, "2.50", "secondary_copy", 4)
    winner, _ = choose(bt, one, elsewhere)
    assert not winner.single_source


def test_agrees(bt) -> None:
    D = Decimal
    assert bt.agrees(D("15.43"), D("15.4264")) and bt.agrees(D("11"), D("11.0"))
    assert bt.agrees(D("1751"), D("1750.8")) and bt.agrees(D("21.8"), D("21.79"))
    assert not bt.agrees(D("15.42"), D("15.4264")) and not bt.agrees(D("13.08"), D("12.7878"))


def test_the_2024_physical_goods_conflict_in_the_table(rows) -> None:
    group = rows[
        (rows["table"] == "physical_goods_online_retail")
        & (rows["key"] == "2024")
        & (rows["measure"] == "level")
    ]
    assert group.loc[group["preferred"], "value"].tolist() == [13.08]
    other = group[~group["preferred"]].iloc[0]
    assert other["value"] == pytest.approx(12.7878)
    assert other["source_quality"] == "weak" and other["single_source"]
    assert "conflicting value" in other["note"]


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("value", "unit", "table_unit", "expected"),
    [
        ("15522.5", "billion_yuan", "trillion_yuan", "15.5225"),
        ("48789.5", "billion_yuan", "trillion_yuan", "48.7895"),
        ("974", "million_persons", "100m_persons", "9.74"),
        ("610", "million_persons", "100m_persons", "6.10"),
        ("97590", "100m_yuan", "trillion_yuan", "9.7590"),
        ("464091", "100m_yuan", "trillion_yuan", "46.4091"),
        ("8.84", "100m_persons", "100m_persons", "8.84"),
    ],
)
def test_unit_conversions_move_the_decimal_point(bt, value, unit, table_unit, expected) -> None:
    number, out_unit = bt.convert(value, unit, table_unit, "level")
    assert (bt.fmt(number), out_unit) == (expected, table_unit)


def test_unit_conversions_refuse_other_pairs(bt) -> None:
    with pytest.raises(ValueError, match="cannot convert"):
        bt.convert("5", "billion_yuan", "100m_parcels", "level")
    with pytest.raises(ValueError, match="yoy_pct value in billion_yuan"):
        bt.convert("5", "billion_yuan", "trillion_yuan", "yoy_pct")


def test_converted_additions_in_the_tables(rows) -> None:
    online = preferred(rows, "online_retail_sales", "2024")
    assert (online["value"], online["source_quality"]) == (15.5225, "primary")
    assert online["raw_file"] == "official_stats_additions.csv" and online["qualifier"] == "exact"
    total = preferred(rows, "total_retail_sales", "2024")
    assert (total["value"], total["unit"]) == (48.7895, "trillion_yuan")
    shoppers = preferred(rows, "online_shoppers", "2024")
    assert (shoppers["value"], shoppers["source_quality"]) == (9.74, "official_media")


# --------------------------------------------------------------------------- copies and dates


def test_copies_of_a_source(bt) -> None:
    page = (
        "page https://ex.chinadaily.com.cn/a.html (CD); same text at https://www.shine.cn/n/1/ (x)"
    )
    assert bt.copies_of(page) == {"ex.chinadaily.com.cn/a.html", "shine.cn/n/1"}
    quoting = "public GitHub file (index id 5466) (cites https://www.stats.gov.cn/x.html)"
    assert bt.copies_of(quoting) == {"github id 5466"}
    assert bt.copies_of("GitHub file via find_string id 5466 (x)") == {"github id 5466"}


@pytest.mark.parametrize(
    ("source", "date"),
    [
        ("page https://x.cn/2025/0117/t20250124_1.html (NBS release, 2025-01-18)", "2025-01-18"),
        ("page https://x.cn/a (封面新闻 2025-03, 专访)", "2025-03"),
        ("page https://x.cn/a (Global Times 2021-01-14); same in CGTN 2022-01-26", "2022-01-26"),
        ("page https://x.cn/2024-06-18/a.html (repost of NBS Dec-2023 release)", ""),
    ],
)
def test_source_date(bt, source, date) -> None:
    assert bt.source_date(source) == date


def test_single_source_in_the_tables(rows) -> None:
    assert not preferred(rows, "online_retail_sales", "2023")["single_source"]  # SCIO rounds it
    volume = preferred(rows, "ecommerce_transaction_volume", "2024")
    assert volume["single_source"] and volume["source_quality"] == "weak"
    assert rows.loc[rows["table"] == "total_retail_sales_monthly", "single_source"].all()


def test_vintage_is_the_latest_source_date(rows) -> None:
    assert official.vintage() == max(d for d in rows["source_date"] if d) == "2026-03-01"
    assert official.vintage(name="total_retail_sales") == "2026-01-19"
    assert official.vintage(name="total_retail_sales_monthly") == ""


# --------------------------------------------------------------------------- breaks


def test_breaks_table() -> None:
    breaks = official.load_breaks()
    assert set(breaks["kind"]) == set(official.BREAK_KINDS)
    assert not breaks.duplicated(["series", "period", "kind"]).any()
    assert (breaks["source"].str.len() > 10).all()
    express = official.breaks_for("express_parcels", ["level_shift"])
    assert express["year"].tolist() == [2024] and express["table"].tolist() == ["express_parcels"]
    shoppers = official.breaks_for("online_shoppers", ["unverified"])
    assert shoppers["period"].tolist() == ["2025-12"]
    assert official.breaks_for("total_retail_sales").empty


def test_annual_series_lists_breaks_and_quality() -> None:
    express = official.annual_series("express_parcels")
    assert express.attrs["breaks"] == {2014: "definition_change", 2024: "level_shift"}
    shoppers = official.annual_series("online_shoppers")
    assert shoppers.attrs["breaks"] == {2025: "unverified"}
    assert (
        shoppers.attrs["source_quality"][2025] == "weak" and shoppers.attrs["single_source"][2025]
    )
    assert shoppers.attrs["source_quality"][2024] == "official_media"


def test_breaks_for_rejects_unknown_names() -> None:
    with pytest.raises(InputError, match="unknown official series"):
        official.breaks_for("gdp")
    with pytest.raises(InputError, match="unknown break kind"):
        official.breaks_for("express_parcels", ["jump"])


def edit_breaks(data_dir: Path, row: int, column: str, new: str) -> None:
    path = data_dir / "official" / "breaks.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = new
    frame.to_csv(path, index=False, lineterminator="\n")


@pytest.mark.parametrize(
    ("column", "new", "message"),
    [
        ("kind", "jump", "column 'kind'"),
        ("series", "gdp", "column 'series': not a series of the official tables"),
        ("period", "2024-13", "column 'period'"),
        ("source", "", "column 'source'"),
    ],
)
def test_a_broken_break_names_file_row_and_column(data_copy, column, new, message) -> None:
    edit_breaks(data_copy, 3, column, new)
    with pytest.raises(DataFileError, match=r"breaks.csv: row 3, " + re.escape(message)):
        official.load_breaks(data_copy)


def test_a_repeated_break_is_refused(data_copy) -> None:
    path = data_copy / "official" / "breaks.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"row {len(lines) + 1}, column 'kind'"):
        official.load_breaks(data_copy)


def test_a_break_must_name_a_period_its_series_has(data_copy) -> None:
    edit_breaks(data_copy, 2, "period", "2011")
    with pytest.raises(DataFileError, match=r"breaks.csv: row 2, column 'period': .* 2011"):
        official.validate_all(data_copy)


def test_breaks_file_missing(data_copy) -> None:
    (data_copy / "official" / "breaks.csv").unlink()
    with pytest.raises(DataFileError, match="breaks.csv: file not found"):
        official.load_breaks(data_copy)


def test_the_build_and_the_loader_rank_qualities_alike(bt) -> None:
    assert bt.QUALITY_RANK == official.SOURCE_QUALITIES
