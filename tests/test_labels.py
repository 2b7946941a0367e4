"""English labels, the book's units and the page's table helper (``data/book/labels.csv``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from planbook.data.book import load_labels
from planbook.data.plan import load_claims
from planbook.engine.params import validate_params
from planbook.errors import DataFileError, InputError
from planbook.methods.audit.registry import RULES
from planbook.page.labels import in_unit, label, number
from planbook.page.tables import LONG, parameter_value, parameters, table

REPO = Path(__file__).resolve().parents[1]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S))


def test_every_name_of_the_data_has_a_label() -> None:
    labels = load_labels()
    known = set(zip(labels["kind"], labels["name"], strict=True))
    claims = load_claims()
    wanted = {("metric", m) for m in claims["metric"]} | {("unit", u) for u in claims["unit"]}
    wanted |= {("kind", k) for k in claims["kind"]} | {("rule", r.name) for r in RULES}
    wanted |= {("bound", b) for b in claims["bound"].dropna()}
    missing = sorted(wanted - known)
    assert not missing, f"add rows to data/book/labels.csv for {missing[:10]}"
    empty = labels[(labels["kind"] != "unit") & (labels["label"] == "")]
    assert empty.empty, f"labels without text: {empty['name'].tolist()[:10]}"
    assert not any("_" in text for text in labels["label"]), "a label is written in words"


def test_a_label_file_with_a_name_twice_or_a_unit_without_format_is_refused(
    tmp_path: Path,
) -> None:
    shutil.copytree(REPO / "data" / "book", tmp_path / "book")
    path = tmp_path / "book" / "labels.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="duplicate"):
        load_labels(tmp_path)
    path.write_text("\n".join([*lines, "unit,furlong,furlongs,,,A length"]) + "\n")
    with pytest.raises(DataFileError, match="has no format"):
        load_labels(tmp_path)


def test_the_plans_units_are_shown_in_the_books_units() -> None:
    assert in_unit(15, "100m_yuan") == ("1.5", "billion yuan")
    assert in_unit(1500, "10k_yuan") == ("15", "million yuan")
    assert in_unit(5000, "10k_count") == ("50", "million")
    assert in_unit(8.2, "10k_count") == ("82", "thousand")
    assert in_unit(6.2, "100m_count") == ("620", "million")
    assert in_unit(28.923, "percent") == ("28.9", "%")
    assert in_unit(float("nan"), "percent") == ("", "")
    assert number(1058.0) == "1,058" and number(0.125, 2) == "0.12" and number(-0.001) == "0"


def test_a_column_without_a_label_is_an_error_naming_the_row_to_add() -> None:
    assert label("column", "ltv_to_cac") == "LTV / CAC"
    assert label("column", "value") == "Value"
    assert label("metric", "some_derived_metric") == "some derived metric"
    with pytest.raises(InputError, match="data/book/labels.csv"):
        table(pd.DataFrame({"no_such_column_xyz": [1]})).to_html()


def test_table_labels_converts_orders_and_footnotes() -> None:
    frame = pd.DataFrame(
        {
            "id": ["C1", "C2"],
            "metric": ["online_retail_sales", "online_retail_sales"],
            "note": ["from 1.2", ""],
            "unit": ["100m_yuan", "percent"],
            "value": [152.5, 27.6],
            "gap_rel_pct": [27.63, float("nan")],
            "start_year": [2024.0, 2025.0],
        }
    )
    html = table(frame, {"value": "{:g}"}).to_html()
    shown = text_of(html)
    assert "billion yuan" in shown and "15.25" in shown and "100m_yuan" not in shown
    assert "online_retail_sales" not in shown and "Online retail sales" in shown
    assert "2024" in shown and "2,024" not in shown and "nan" not in shown
    assert "<sup>1</sup> from 1.2" in html  # the note is a footnote
    headers = re.findall(r'class="col_heading[^>]*>([^<]*)</th>', html)
    assert headers[:3] == ["ID", "Value", "Unit"], headers


def test_long_tables_and_holding_checks_are_folded_under_their_count() -> None:
    long = pd.DataFrame({"id": [f"C{i}" for i in range(LONG + 5)], "value": range(LONG + 5)})
    html = table(long, noun="claims")._repr_html_()
    assert html.startswith("<details") and f"({LONG + 5} claims)" in html
    checks = pd.DataFrame(
        {"check": ["a", "b", "c"], "verdict": ["consistent", "inconsistent", "consistent"]}
    )
    html = table(checks)._repr_html_()
    shown, folded = html.split("<details", 1)
    assert "inconsistent" in shown and ">a<" not in shown
    assert "2 checks hold" in folded and ">a<" in folded and ">b<" not in folded
    assert "1.058e+04" not in text_of(
        table(pd.DataFrame({"x": [10580.0]}), {"x": "{:,.4g}"}).to_html()
    )


def test_parameters_are_written_by_type_and_unit_in_a_folded_box() -> None:
    assert parameter_value(0.9, "fraction") == "90%"
    assert parameter_value(200000, "draws") == "200,000"
    assert parameter_value(2024, "seed") == "2024"
    assert parameter_value(2024, "year") == "2024"
    assert parameter_value(True, "true/false") == "yes"
    html = parameters(validate_params("risk", {}))._repr_html_()
    assert html.startswith("<details") and "Parameters of this page" in html
    assert not re.search(r"\d\.\d{6}", html)


def test_checks_and_columns_in_the_plan_s_units_are_shown_in_billions() -> None:
    checks = pd.DataFrame(
        {
            "check": ["split", "share"],
            "unit": ["100m_yuan", "percent"],
            "stated": [120.0, 28.0],
            "recomputed": [125.0, 18.7],
        }
    )
    shown = text_of(table(checks, {"stated": "{:g}", "recomputed": "{:g}"}).to_html())
    assert "billion yuan" in shown and "12.5" in shown and "125" not in shown
    assert "28" in shown and "18.7" in shown  # a percentage keeps its value
    flows = pd.DataFrame({"year": [1, 2], "spending": [120.0, 150.0], "discount_factor": [1, 0.9]})
    html = table(flows, {"spending": "{:g}"}, units={"spending": "100m_yuan"}).to_html()
    assert "Spending (billion yuan)" in html and ">12<" in html and ">120<" not in html
