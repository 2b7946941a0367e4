"""Every data table refuses bad values at load time, in one line naming file, row and column.

A broken copy of ``data/`` is written in a temporary folder and checked with
:func:`planbook.data.validate.validate_all` (what the command line runs before any kernel)
or the table's loader: numbers that are not finite or not written plainly, empty cells
where a number is required, tables with only a header, values outside their unit's
domain, and files that are not clean UTF-8 CSV. What is harmless (a byte-order mark, CRLF
line ends, spaces around a number) loads to the same values. A few cases also go through
``planbook build`` on an unbuilt copy of the book, which must refuse before any kernel.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, copy_book, planbook, snapshot

from planbook.data import domains, official, plan
from planbook.data.glossary import load_glossary
from planbook.data.risks import load_risks, read_register
from planbook.data.schema import Number, TableRow
from planbook.data.validate import validate_all
from planbook.errors import DataFileError

FILES = (
    "plan/claims.csv",
    "plan/sections.csv",
    "plan/glossary.csv",
    "plan/risks.csv",
    "official/online_retail_sales.csv",
    "official/online_retail_sales_ytd.csv",
)
"""Tables every structural fault is tried on (each official table shares one reader)."""

LOADERS: dict[str, Callable[[Path], object]] = {
    "plan/claims.csv": plan.load_claims,
    "plan/sections.csv": plan.load_sections,
    "plan/glossary.csv": load_glossary,
    "plan/risks.csv": load_risks,
    "official/online_retail_sales.csv": lambda d: official.load_official("online_retail_sales", d),
    "official/online_retail_sales_ytd.csv": lambda d: official.load_official(
        "online_retail_sales_ytd", d
    ),
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the book's ``data/`` folder."""
    dest = tmp_path / "data"
    shutil.copytree(REPO / "data", dest)
    return dest


def read_lines(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_lines(path: Path, lines: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, line: int, column: str, text: str) -> str:
    """Write ``text`` into ``column`` at file line ``line`` (header = 1); return the old value."""
    lines = read_lines(path)
    j = lines[0].index(column)
    old = lines[line - 1][j]
    lines[line - 1][j] = text
    write_lines(path, lines)
    return old


def line_where(path: Path, column: str, value: str) -> int:
    """The file line of the first row whose ``column`` is ``value``."""
    lines = read_lines(path)
    j = lines[0].index(column)
    return next(i + 1 for i, row in enumerate(lines) if i and row and row[j] == value)


def refused(data_dir: Path, rel: str, row: int | None, column: str | None, *words: str) -> str:
    """Assert that validate_all refuses with one line naming file, row and column."""
    with pytest.raises(DataFileError) as info:
        validate_all(data_dir)
    message = str(info.value)
    assert "\n" not in message and len(message) < 400, message
    assert f"{rel}:" in message, message
    if row is not None:
        assert any(f"row {row}{end}" in message for end in (",", ":", " (header)")), message
    if column is not None:
        assert f"column {column!r}" in message, message
    for word in words:
        assert word in message, message
    return message


# --------------------------------------------------------------------------- numbers

BAD_NUMBERS = [
    "nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "+Infinity",
    "1e309",
    "-1e309",
    "",
    "   ",
    "1,000",
    "12%",
    "null",
    "None",
    "NA",
    "true",
    "False",
    "0x10",
    "1_000",
    "１２",
    "12 yuan",
    "1.2.3",
    "--1",
    "½",
]

NUMBER_CELLS = [
    # (file, how to find the row: column=value, the numeric column)
    ("plan/claims.csv", ("id", "C1.2-01"), "value"),
    ("official/online_retail_sales.csv", ("value", "2.7898"), "value"),
    ("official/physical_goods_online_retail.csv", ("measure", "share_pct"), "value"),
]


@pytest.mark.parametrize("text", BAD_NUMBERS)
@pytest.mark.parametrize(("rel", "where", "column"), NUMBER_CELLS, ids=lambda x: str(x))
def test_a_bad_number_is_refused(
    data: Path, rel: str, where: tuple[str, str], column: str, text: str
) -> None:
    path = data / rel
    line = line_where(path, *where)
    set_cell(path, line, column, text)
    refused(data, rel, line, column)


INTEGER_CELLS = [
    ("plan/claims.csv", ("id", "C1.2-01"), "chapter"),
    ("plan/sections.csv", ("section", "1.2"), "chapter"),
    ("plan/risks.csv", ("key", "logistics"), "likelihood"),
    ("plan/risks.csv", ("key", "logistics"), "impact"),
    ("official/online_retail_sales.csv", ("value", "2.7898"), "year"),
    ("official/online_retail_sales.csv", ("value", "2.7898"), "raw_row"),
]
BAD_INTEGERS = ["", "nan", "inf", "1.0", "1e0", "one", "true", "1,0", "0x1", "1_0", "²"]


@pytest.mark.parametrize("text", BAD_INTEGERS)
@pytest.mark.parametrize(("rel", "where", "column"), INTEGER_CELLS, ids=lambda x: str(x))
def test_a_bad_whole_number_is_refused(
    data: Path, rel: str, where: tuple[str, str], column: str, text: str
) -> None:
    path = data / rel
    line = line_where(path, *where)
    set_cell(path, line, column, text)
    refused(data, rel, line, column)


@pytest.mark.parametrize("text", ["", "yes", "no", "1", "0", "on", "t", "nan"])
def test_a_bad_flag_is_refused(data: Path, text: str) -> None:
    rel = "official/online_retail_sales.csv"
    line = line_where(data / rel, "value", "2.7898")
    set_cell(data / rel, line, "preferred", text)
    refused(data, rel, line, "preferred", "true or false")


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" 47.8 ", 47.8), ("+47.8", 47.8), ("4.78e1", 47.8), ("47.80", 47.8), ("-0", 0.0)],
)
def test_a_plainly_written_number_is_read_as_written(
    data: Path, text: str, expected: float
) -> None:
    path = data / "plan" / "claims.csv"
    set_cell(path, line_where(path, "id", "C1.2-01"), "value", text)
    claims = plan.load_claims(data)
    value = float(claims.loc[claims["id"] == "C1.2-01", "value"].iloc[0])
    assert value == expected and math.copysign(1.0, value) == 1.0


def test_number_type_refuses_non_finite_python_values() -> None:
    class Row(TableRow):
        value: Number

    for bad in (float("nan"), float("inf"), True, None, "1e999"):
        with pytest.raises(ValueError, match="value"):
            Row.model_validate({"value": bad})
    assert Row.model_validate({"value": 3}).value == 3.0


# --------------------------------------------------------------------------- domains


def claim_line(data_dir: Path, claim_id: str) -> int:
    return line_where(data_dir / "plan" / "claims.csv", "id", claim_id)


OUT_OF_DOMAIN = [
    ("C1.2-01", "-1", "trillion_yuan"),  # a negative level
    ("C1.2-01", "-0.001", "trillion_yuan"),
    ("C1.4-10", "-3", "count"),
    ("C1.4-08", "-0.24", "index"),
    ("C2.5-04", "101", "score"),
    ("C2.5-04", "-1", "score"),
    ("C1.2-13", "150", "apparel_gmv_share"),  # a share above 100
    ("C1.2-13", "-5", "apparel_gmv_share"),
    ("C3.1-12", "-150", "user_growth"),  # a change below -100
]


@pytest.mark.parametrize(("claim_id", "text", "word"), OUT_OF_DOMAIN)
def test_a_claim_outside_its_domain_is_refused(
    data: Path, claim_id: str, text: str, word: str
) -> None:
    line = claim_line(data, claim_id)
    set_cell(data / "plan" / "claims.csv", line, "value", text)
    refused(data, "plan/claims.csv", line, "value", word, "data/plan/README.md")


IN_DOMAIN = [
    ("C3.1-12", "250"),  # growth above 100
    ("C3.1-12", "-20"),  # negative growth
    ("C1.2-06", "-8.1"),  # percentage points may be negative
    ("C1.2-13", "0"),
    ("C1.2-13", "100"),
    ("C2.5-04", "100"),
]


@pytest.mark.parametrize(("claim_id", "text"), IN_DOMAIN)
def test_a_claim_inside_its_domain_loads(data: Path, claim_id: str, text: str) -> None:
    set_cell(data / "plan" / "claims.csv", claim_line(data, claim_id), "value", text)
    claims = plan.load_claims(data)
    assert float(claims.loc[claims["id"] == claim_id, "value"].iloc[0]) == float(text)


@pytest.mark.parametrize(
    ("rel", "where", "text", "words"),
    [
        ("official/online_retail_sales.csv", ("value", "2.7898"), "0", ["not positive"]),
        ("official/online_retail_sales.csv", ("value", "2.7898"), "-2.7898", ["not positive"]),
        ("official/online_retail_sales.csv", ("value", "49.7"), "-100.5", ["below -100"]),
        ("official/physical_goods_online_retail.csv", ("measure", "share_pct"), "100.1", []),
        ("official/physical_goods_online_retail.csv", ("measure", "share_pct"), "-1", []),
    ],
)
def test_an_official_figure_outside_its_domain_is_refused(
    data: Path, rel: str, where: tuple[str, str], text: str, words: list[str]
) -> None:
    line = line_where(data / rel, *where)
    set_cell(data / rel, line, "value", text)
    refused(data, rel, line, "value", *words)


def test_negative_growth_is_an_official_figure(data: Path) -> None:
    rel = "official/online_retail_sales.csv"
    set_cell(data / rel, line_where(data / rel, "value", "49.7"), "value", "-12.5")
    frame = official.load_official("online_retail_sales", data)
    assert (frame["value"] == -12.5).sum() == 1


def test_every_unit_has_a_domain_and_every_claim_lies_in_it() -> None:
    assert set(domains.UNIT_DOMAINS) == set(plan.UNITS)
    assert set(domains.MEASURE_DOMAINS) == set(official.Measure.__args__)
    claims = plan.load_claims()
    for row in claims.itertuples():
        assert domains.claim_domain(row.unit, row.metric).problem(row.value) is None, row.id


@pytest.mark.parametrize(
    ("metric", "domain"),
    [
        ("apparel_gmv_share", domains.SHARE),
        ("service_premium_share", domains.SHARE),
        ("repurchase_rate", domains.SHARE),
        ("ecommerce_market_annual_growth_rate", domains.CHANGE),
        ("user_growth", domains.CHANGE),
        ("delivery_cost_reduction", domains.CHANGE),
        ("rural_delivery_cost_premium", domains.CHANGE),
        ("inventory_loss_share_of_net_profit", domains.PART_OF),
        ("sme_profit_margin", domains.RETURN),
        ("roe", domains.RETURN),
    ],
)
def test_percent_domain_follows_the_metric_name(metric: str, domain: domains.Domain) -> None:
    assert domains.percent_domain(metric) is domain


# --------------------------------------------------------------------------- files


def _header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")


def _header_and_blank_lines(path: Path) -> None:
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n\n\n")


@pytest.mark.parametrize("rel", FILES)
@pytest.mark.parametrize(
    ("break_file", "row", "words"),
    [
        (_header_only, 2, ["no rows below the header"]),
        (_header_and_blank_lines, 2, ["no rows below the header"]),
        (lambda p: p.write_bytes(b""), 1, ["no header"]),
        (lambda p: p.unlink(), None, ["file not found"]),
    ],
    ids=["header only", "header and blank lines", "empty file", "missing file"],
)
def test_an_empty_or_missing_table_is_refused(
    data: Path, rel: str, break_file: Callable[[Path], None], row: int | None, words: list[str]
) -> None:
    break_file(data / rel)
    refused(data, rel, row, None, *words)
    with pytest.raises(DataFileError):
        LOADERS[rel](data)


@pytest.mark.parametrize("rel", FILES)
def test_a_byte_that_is_not_utf8_is_refused_naming_its_line(data: Path, rel: str) -> None:
    path = data / rel
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4][:3] + b"\xff" + lines[4][3:]
    path.write_bytes(b"\n".join(lines))
    refused(data, rel, 5, None, "0xff", "UTF-8")


def test_a_file_in_another_encoding_is_refused(data: Path) -> None:
    path = data / "plan" / "glossary.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    first = next(i + 1 for i, line in enumerate(text.splitlines()) if not line.isascii())
    refused(data, "plan/glossary.csv", first, None, "UTF-8")


@pytest.mark.parametrize("rel", FILES)
@pytest.mark.parametrize(
    "rewrite",
    [
        lambda b: b"\xef\xbb\xbf" + b,
        lambda b: b.replace(b"\n", b"\r\n"),
        lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"),
        lambda b: b.rstrip(b"\n"),
        lambda b: b + b"\n\n",
    ],
    ids=["BOM", "CRLF", "BOM and CRLF", "no final newline", "trailing blank lines"],
)
def test_harmless_file_forms_load_the_same(
    data: Path, rel: str, rewrite: Callable[[bytes], bytes]
) -> None:
    before = LOADERS[rel](data)
    path = data / rel
    path.write_bytes(rewrite(path.read_bytes()))
    after = LOADERS[rel](data)
    pd.testing.assert_frame_equal(before, after)
    validate_all(data)


def _edit_lines(path: Path, edit: Callable[[list[list[str]]], None]) -> None:
    lines = read_lines(path)
    edit(lines)
    write_lines(path, lines)


def _duplicate_header(lines: list[list[str]]) -> None:
    lines[0].append(lines[0][1])
    for row in lines[1:]:
        row.append(row[1])


def _extra_column(lines: list[list[str]]) -> None:
    lines[0].append("extra")
    for row in lines[1:]:
        row.append("x")


def _missing_column(lines: list[list[str]]) -> None:
    for row in lines:
        del row[1]


def _short_row(lines: list[list[str]]) -> None:
    lines[3] = lines[3][:-1]


def _long_row(lines: list[list[str]]) -> None:
    lines[3] = [*lines[3], "x"]


def _control_character(lines: list[list[str]]) -> None:
    lines[3][-1] = lines[3][-1] + "\x00"


@pytest.mark.parametrize("rel", FILES)
@pytest.mark.parametrize(
    ("edit", "row", "words"),
    [
        (_duplicate_header, 1, ["appears twice"]),
        (_extra_column, 1, ["unknown column 'extra'"]),
        (_missing_column, 1, ["missing column"]),
        (_short_row, 4, ["fields, the header has"]),
        (_long_row, 4, ["fields, the header has"]),
        (_control_character, 4, ["control character U+0000"]),
    ],
    ids=["duplicate header", "extra column", "missing column", "short row", "long row", "NUL"],
)
def test_a_malformed_table_is_refused(
    data: Path, rel: str, edit: Callable[[list[list[str]]], None], row: int, words: list[str]
) -> None:
    _edit_lines(data / rel, edit)
    refused(data, rel, row, None, *words)


def test_duplicate_header_names_the_column(data: Path) -> None:
    _edit_lines(data / "plan" / "claims.csv", _duplicate_header)
    refused(data, "plan/claims.csv", 1, "chapter", "appears twice")


def test_rows_are_named_by_their_line_in_the_file(data: Path) -> None:
    """Blank lines and a text running over two lines still give the editor's line."""
    path = data / "plan" / "claims.csv"
    text = path.read_text(encoding="utf-8").split("\n")
    text.insert(2, "")  # a blank line after the first claim
    path.write_text("\n".join(text), encoding="utf-8")
    line = claim_line(data, "C1.1-03")
    assert line == 5  # the blank line is line 3
    set_cell(data / "plan" / "claims.csv", line, "note", "first line\nsecond line")
    bad = claim_line(data, "C1.2-01")
    set_cell(data / "plan" / "claims.csv", bad, "value", "nan")
    # the note of C1.1-03 now spans two lines, so C1.2-01 sits one line lower in the file
    refused(data, "plan/claims.csv", bad + 1, "value")


def test_the_register_refuses_without_pandas_too(data: Path) -> None:
    path = data / "plan" / "risks.csv"
    set_cell(path, 3, "likelihood", "nan")
    with pytest.raises(DataFileError, match=r"risks.csv: row 3, column 'likelihood'"):
        read_register(data)


def test_a_long_bad_value_gives_a_short_line(data: Path) -> None:
    path = data / "plan" / "claims.csv"
    line = claim_line(data, "C1.2-01")
    set_cell(path, line, "value", "9" * 100_000)
    message = refused(data, "plan/claims.csv", line, "value")
    assert len(message) < 400


# --------------------------------------------------------------------------- command line

CLI_CASES = [
    ("data/plan/claims.csv", "value", "nan", "C1.2-01", ["row 7,", "column 'value'"]),
    ("data/plan/claims.csv", "value", "-47.8", "C1.2-01", ["row 7,", "trillion_yuan"]),
    ("data/plan/risks.csv", "likelihood", "", "inventory", ["row 2,", "column 'likelihood'"]),
]


@pytest.mark.parametrize(("rel", "column", "text", "key", "words"), CLI_CASES)
def test_build_refuses_bad_data_before_any_kernel(
    tmp_path: Path, rel: str, column: str, text: str, key: str, words: list[str]
) -> None:
    root = copy_book(tmp_path / "book")
    path = root / rel
    key_column = read_lines(path)[0][0]
    set_cell(path, line_where(path, key_column, key), column, text)
    before = snapshot(root)
    started = time.monotonic()
    result = planbook("build", root=root, timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 2, result.stdout + result.stderr
    assert "running" not in result.stdout and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("error: "), line
    for word in [rel, *words]:
        assert word in line, line
    assert snapshot(root) == before


def test_build_refuses_a_header_only_table_and_a_bad_byte(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    _header_only(root / "data" / "plan" / "claims.csv")
    result = planbook("build", root=root, timeout=120)
    assert result.returncode == 2 and "running" not in result.stdout
    assert "data/plan/claims.csv: row 2" in result.stderr and "no rows" in result.stderr
    shutil.copy(REPO / "data" / "plan" / "claims.csv", root / "data" / "plan" / "claims.csv")
    glossary = root / "data" / "plan" / "glossary.csv"
    glossary.write_bytes(glossary.read_bytes().replace(b"\n", b"\n\xff", 1))
    result = planbook("build", root=root, timeout=120)
    assert result.returncode == 2 and "running" not in result.stdout
    line = result.stderr.strip()
    assert "\n" not in line and "data/plan/glossary.csv: row 2" in line and "UTF-8" in line
