"""The data-sources appendix: inventory of data/, schemas, provenance and claims coverage."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from pydantic import Field

from planbook.chapters import data_sources as S
from planbook.chapters.data_sources import provenance
from planbook.data import official
from planbook.data import plan as D
from planbook.data.schema import TableRow
from planbook.engine.params import DataSourcesParams
from planbook.errors import DataFileError, InputError
from planbook.page.compact import compact

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return S.load_all(DATA)


@pytest.fixture(scope="module")
def rows(tables) -> pd.DataFrame:
    return S.official_rows(tables)


def official_frame(records: list[tuple]) -> pd.DataFrame:
    """Rows shaped like official_rows: (table, series, key, measure, value, preferred,
    status, qualifier, source_name, note)."""
    columns = [
        "table",
        "series",
        "key",
        "measure",
        "value",
        "preferred",
        "status",
        "qualifier",
        "source_name",
        "note",
    ]
    frame = pd.DataFrame(records, columns=columns)
    frame["year"] = frame["key"].str[:4].astype(int)
    frame["unit"] = "trillion_yuan"
    frame["raw_row"] = range(2, len(frame) + 2)
    frame["reason"] = [S.selection_reason(n) for n in frame["note"]]
    return frame


HAND = official_frame(
    [
        ("t", "t", "2020", "level", 2.7898, True, "final", "exact", "a.com", "preferred over 3"),
        ("t", "t", "2020", "level", 2.8, False, "final", "rounded", "b.com",
         "alternative to raw row 2 (2.7898): rounded figure (preferred row is exact)"),
        ("t", "t", "2020", "level", 2.7898, False, "final", "exact", "b.com",
         "alternative to raw row 2 (2.7898): same standing, later in the raw file; same value"),
        ("t", "t", "2020", "level", 2.63, False, "preliminary", "exact", "c.com",
         "alternative to raw row 2 (2.7898): status preliminary (preferred row is final)"),
        ("t", "t", "2021", "level", 3.0, True, "estimate", "approx", "a.com", "only value found"),
        ("u", "u", "2021", "yoy_pct", 9.8, True, "preliminary", "exact", "c.com",
         "only value found"),
    ]
)  # fmt: skip


# --------------------------------------------------------------------------- inventory


def test_every_csv_under_data_is_listed(tables) -> None:
    found = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.csv"))
    assert [S.relative(p, DATA) for p in S.csv_files(DATA)] == found
    inventory = S.inventory(tables)
    assert list(inventory["file"]) == found
    assert "official/raw/official_stats.csv" in found and "plan/glossary.csv" in found
    for name in ("official_stats.csv", "official_stats_additions.csv"):
        raw = inventory.set_index("file").loc[f"official/raw/{name}"]
        assert not raw["validated"] and raw["loader"] == "none" and "byte for byte" in raw["note"]
    breaks = inventory.set_index("file").loc["official/breaks.csv"]
    assert breaks["validated"] and breaks["row_model"] == "BreakRow"
    claims = inventory.set_index("file").loc["plan/claims.csv"]
    assert claims["validated"] and claims["row_model"] == "ClaimRow"
    assert claims["rows"] == len(D.load_claims(DATA))
    assert claims["n_columns"] == len(D.load_claims(DATA).columns)
    assert inventory["validated"].sum() == len(found) - 2


def test_an_unknown_csv_shows_up_unvalidated(tmp_path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    (copy / "extra").mkdir()
    (copy / "extra" / "notes.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    inventory = S.inventory(S.load_all(copy)).set_index("file")
    row = inventory.loc["extra/notes.csv"]
    assert row["rows"] == 2 and row["columns"] == "a, b"
    assert not row["validated"] and row["note"].startswith("no loader")


def test_a_broken_table_stops_the_inventory(tmp_path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / "plan" / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("1.1; 1.2", "1.2; 1.1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"glossary.csv: row 2, column 'plan_sections'"):
        S.load_all(copy)


def test_schema_table_lists_types_and_constraints() -> None:
    class Row(TableRow):
        name: str = Field(min_length=2, pattern=r"^[a-z]+$")
        size: int = Field(ge=0, le=9)
        flag: bool | None = None

    table = S.schema_table(Row).set_index("column")
    assert table.loc["name", "constraints"] == "min length 2; pattern ^[a-z]+$"
    assert table.loc["size", "constraints"] == ">= 0; <= 9"
    assert table.loc["flag", "type"] == "bool (optional)"
    assert not table.loc["flag", "required"] and table.loc["size", "required"]
    kinds = S.schema_table(D.ClaimRow).set_index("column").loc["kind", "type"]
    assert kinds == "one of: actual, target, forecast, case_study, benchmark"


def test_official_models_name_key_series_and_units() -> None:
    models = S.official_models().set_index("table")
    assert models.loc["online_retail_sales_ytd", "key"] == "period"
    assert models.loc["online_retail_sales", "key"] == "year"
    assert models.loc["express_parcels", "units"] == "100m_parcels, percent"
    assert "online_shoppers_interim" in models.loc["online_shoppers", "series"]


# --------------------------------------------------------------------------- provenance


@pytest.mark.parametrize(
    ("note", "reason"),
    [
        ("only value found; compiler: x", "only value found"),
        ("preferred over 2 alternatives; compiler: NBS", "preferred over alternatives"),
        ("alternative to raw row 202 (2.71): set by an explicit rule; GAC", "explicit rule"),
        ("alternative to raw row 137 (91.9): status preliminary (preferred row...)", "status"),
        ("alternative to raw row 73 (4.1944): approx figure (preferred row is exact)", "qualifier"),
        ("alternative to raw row 43 (13.79): less precise; compiler: secondary", "precision"),
        ("alternative to raw row 5 (26.1): same standing, later in the raw files",
         "raw-file order"),
        ("alternative to additions row 4 (15.5225): weaker copy: source weak (preferred row's "
         "source is primary); replaced by a better copy", "source quality"),
        ("alternative to additions row 10 (13.08): conflicting value: its best copy is weak",
         "conflict"),
        ("alternative to raw row 5 (26.1): looked nicer", "unstated"),
        ("compiler: nothing else", "unstated"),
    ],
)  # fmt: skip
def test_selection_reason(note, reason) -> None:
    assert S.selection_reason(note) == reason


def test_every_official_row_states_its_selection(rows) -> None:
    assert set(rows["reason"]) <= set(S.SELECTION_REASONS) - {"unstated"}
    preferred = rows[rows["preferred"]]
    assert set(preferred["reason"]) == {"only value found", "preferred over alternatives"}
    assert not (rows.loc[~rows["preferred"], "reason"].isin(["only value found"])).any()


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("page https://www.stats.gov.cn/x.html (NBS)", "stats.gov.cn"),
        ("page http://biz.searchina.net/id/1600170 (Searchina)", "biz.searchina.net"),
        ("GitHub liunian/ln.github.io data/x.js (commit)", "github.com/liunian/ln.github.io"),
        ("GitHub file via find_string id 4272 (notes)", "GitHub file (repository not named)"),
        ("GitHub file via find_string id 6678 (quoting https://www.stats.gov.cn/x.html)",
         "GitHub file (repository not named)"),
        ("public GitHub file (index id 5466) (script)", "GitHub file (repository not named)"),
        ("page excerpt without URL (经济日报 8月12日)", "page excerpt without URL"),
        ("CNNIC report no. 53 (PDF)", "CNNIC report no. 53"),
    ],
)  # fmt: skip
def test_source_name(source, name) -> None:
    assert S.source_name(source) == name


def test_decimals_and_agreement() -> None:
    assert [S.decimals(v) for v in (2.8, 15.4264, 92.0, 4.0, 1e-7)] == [1, 4, 0, 0, 0]
    assert S.agreement(2.7898, 2.8) == "rounded repeat"
    assert S.agreement(15.4264, 15.42) == "different value"  # truncated, not rounded
    assert S.agreement(1750.8, 1751.0) == "rounded repeat"
    assert S.agreement(1750.8, 1745.0) == "different value"
    assert S.agreement(2.1, 2.1) == "same value"
    assert S.agreement(float("nan"), 2.1) == "different value"


def test_alternatives_and_reasons_by_hand() -> None:
    alts = S.alternatives(HAND)
    assert list(alts["preferred_value"]) == [2.7898] * 3
    assert list(alts["agreement"]) == ["rounded repeat", "same value", "different value"]
    assert list(alts["reason"]) == ["qualifier", "raw-file order", "status"]
    counts = S.reason_counts(HAND)
    assert list(counts.index) == ["status", "qualifier", "raw-file order"]
    assert counts.loc["status", "different value"] == 1
    assert counts.loc["qualifier", "rounded repeat"] == 1
    assert counts.values.sum() == 3


def test_official_summary_by_hand() -> None:
    summary = S.official_summary(HAND, top_sources=2).set_index("table")
    t = summary.loc["t"]
    assert (t["rows"], t["preferred"], t["alternatives"]) == (5, 2, 3)
    assert (t["rounded_repeats"], t["alternatives_differing"]) == (1, 1)
    assert t["years"] == "2020-2021"
    assert t["preliminary"] == 1
    assert t["preferred_flagged"] == 1  # 2021 is an estimate
    assert t["n_sources"] == 3
    assert t["main_sources"] == "a.com (2), b.com (2)"
    assert summary.loc["u", "preferred_flagged"] == 1
    with pytest.raises(InputError):
        S.official_summary(HAND, top_sources=0)


def test_flagged_and_status_by_year_on_the_real_tables(rows) -> None:
    flagged = S.flagged_preferred(rows)
    assert ((flagged["status"] != "final") | (flagged["qualifier"] != "exact")).all()
    etv = flagged[flagged["table"] == "ecommerce_transaction_volume"]
    assert {"estimate", "plan_baseline"} <= set(etv["status"])  # README: 2013-2015
    status = S.status_by_year(rows)
    assert set(status["table"]) == {n for n in official.MODELS if official.MODELS[n].KEY == "year"}
    assert not status.duplicated(["table", "series", "measure", "year"]).any()


QUALITY_HAND = HAND.assign(
    source_quality=["weak", "official_media", "weak", "primary", "weak", "secondary_copy"],
    single_source=[False, False, False, True, True, True],
)
QUALITY_HAND.loc[2, "reason"] = "source quality"


def test_quality_by_series_by_hand() -> None:
    table = S.quality_by_series(QUALITY_HAND).set_index("series")
    assert list(table.columns[1:]) == [
        "primary",
        "official_media",
        "secondary_copy",
        "weak",
        "single source",
        "preferred",
    ]
    assert table.loc["t", ["weak", "single source", "preferred"]].tolist() == [2, 1, 2]
    assert table.loc["u", ["secondary_copy", "preferred"]].tolist() == [1, 1]


def test_replaced_sources_and_weak_single_by_hand() -> None:
    replaced = S.replaced_sources(QUALITY_HAND)
    assert replaced[["value", "replaced", "quality", "by", "by_quality"]].values.tolist() == [
        [2.7898, "b.com", "weak", "a.com", "weak"]
    ]
    weak = S.weak_single(QUALITY_HAND)
    assert weak[["key", "value", "source_name"]].values.tolist() == [["2021", 3.0, "a.com"]]


def test_quality_and_vintage_on_the_real_tables(rows) -> None:
    table = S.quality_by_series(rows)
    assert table["preferred"].sum() == int(rows["preferred"].sum())
    classes = list(official.SOURCE_QUALITIES)
    assert (table[classes].sum(axis=1) == table["preferred"]).all()
    vintages = S.vintages(rows).set_index("table")
    assert vintages["data as of"].max() == official.vintage()
    assert vintages.loc["total_retail_sales_monthly", "dated rows"] == 0


def test_compact_table_gives_named_columns_room_and_fits_the_page() -> None:
    frame = pd.DataFrame({"a": [1.23456], "note": ["long text"]})
    html = compact(frame, caption="cap", wrap=("note",), formats={"a": "{:.1f}"}).to_html()
    assert "cap" in html and "1.2" in html and "1.23456" not in html
    assert "overflow-wrap: anywhere" in html  # long words break: never wider than the page
    assert html.count("min-width: 18em") == 1  # only the named column is given room
    assert "white-space: normal" in html


def test_years_text() -> None:
    assert (
        provenance._years_text([2015, 2013, 2014, 2018, 2020, 2021]) == "2013-2015, 2018, 2020-2021"
    )
    assert provenance._years_text([2010]) == "2010"


def test_source_counts(rows) -> None:
    counts = S.source_counts(rows)
    assert counts["rows"].sum() == len(rows)
    assert counts["rows"].is_monotonic_decreasing
    assert counts.loc[0, "source_name"] == "github.com/liunian/liunian.github.io"


# --------------------------------------------------------------------------- claims


def test_claims_coverage_by_hand() -> None:
    claims = pd.DataFrame(
        {
            "chapter": [1, 1, 2, 2, 2],
            "section": ["1.1", "1.1", "2.1", "2.1", "2.2"],
            "kind": ["actual", "target", "target", "target", "benchmark"],
        }
    )
    sections = pd.DataFrame(
        {
            "chapter": [1, 1, 2, 2, 3],
            "section": ["1.1", "1.2", "2.1", "2.2", "3.1"],
            "title_en": list("abcde"),
            "state": ["full", "full", "full", "full", "missing"],
            "note": [None, None, None, None, "absent"],
        }
    )
    table = S.claims_coverage(claims, sections)
    assert list(table.index) == [1, 2, 3, "all"]
    assert list(table.columns) == [
        "actual",
        "target",
        "forecast",
        "case_study",
        "benchmark",
        "total",
    ]
    assert table.loc[2, "target"] == 2 and table.loc[3, "total"] == 0
    assert table.loc["all", "total"] == 5
    empty = S.sections_without_claims(claims, sections)
    assert list(empty["section"]) == ["1.2", "3.1"]


def test_claims_coverage_on_the_real_tables() -> None:
    claims, sections = D.load_claims(DATA), D.load_sections(DATA)
    table = S.claims_coverage(claims, sections)
    assert table.loc["all", "total"] == len(claims)
    assert table.loc[10, "total"] == 0  # chapter 10 is absent from the plan
    empty = S.sections_without_claims(claims, sections)
    assert set(empty["state"]) <= {"empty", "missing"}


# --------------------------------------------------------------------------- headline


def test_headline_is_fast_and_counts_every_file() -> None:
    claims = D.load_claims(DATA)
    numbers = S.headline(DataSourcesParams(), claims)
    assert numbers["csv_files"] == len(list(DATA.rglob("*.csv")))
    assert numbers["validated_files"] == numbers["csv_files"] - 2
    assert numbers["claims"] == len(claims)
    assert numbers["official_alternatives"] > numbers["alternatives_differing"] > 0
    assert S.headline(DataSourcesParams(show_rows=0, top_sources=10), claims) == numbers


# --------------------------------------------------------------------------- page


def page_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    body = html[html.find("<article") : html.find("</article>")]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.slow
def test_page_lists_every_csv_file(built_book, default_values) -> None:
    files = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.csv"))
    values = default_values("data_sources")
    assert values["n_csv_files"] == len(files)
    text = page_text(built_book / "_build" / "html" / "notebooks" / "13_data_sources.html")
    missing = [f for f in files if f not in text]
    assert not missing, f"files not on the page: {missing}"
    assert f"{len(files)} CSV files" in text


@pytest.mark.slow
def test_show_rows_and_top_sources_move_the_page(default_values, run_chapter) -> None:
    base = default_values("data_sources")
    changed = run_chapter("data_sources", show_rows=12, top_sources=1)
    assert base["show_rows"] == 5 and changed["show_rows"] == 12
    assert changed["n_csv_files"] == base["n_csv_files"]
