"""Search for Chinese readers (``planbook.engine.search``): folding, segmentation, code
tokens out of the index, the chapters' keywords, the browser's query code, and the built
site's search page driven in headless Chromium (slow).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from docutils.core import publish_doctree

from planbook.engine.registry import get_chapter
from planbook.engine.search import site_inputs
from planbook.engine.search.extension import fold_script, read_index, without_code
from planbook.engine.search.keywords import chapter_keywords, glossary_keywords
from planbook.engine.search.language import FOLD_SCRIPT, JS_SPLITTER, JS_STEMMER, FoldedChinese
from planbook.engine.search.text import (
    fold,
    fold_map,
    fold_table,
    han_characters,
    is_code_token,
    split_words,
)

REPO = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")

# --------------------------------------------------------------------------- folding


def test_traditional_folds_to_simplified_and_simplified_stays() -> None:
    assert fold("電商行業實施方案") == "电商行业实施方案"
    assert fold("电商行业") == "电商行业"
    assert fold("GMV 電商 2024") == "GMV 电商 2024"


def test_folding_twice_is_folding_once() -> None:
    table = fold_table()
    assert len(table) > 4000
    assert not [chr(t) for t, s in table.items() if ord(s) in table], "a chain in the table"


def test_fold_map_holds_only_what_the_index_needs() -> None:
    pairs = fold_map({"电", "商"})
    assert pairs["電"] == "电"
    assert set(pairs.values()) == {"电"}  # 商 is the same in both scripts
    assert han_characters(["电商", "gmv", "跨境"]) == {"电", "商", "跨", "境"}


# --------------------------------------------------------------------------- words


def test_chinese_is_segmented_after_folding() -> None:
    words = split_words("跨境電商的本地化創新")
    assert {"跨境", "电商", "本地化", "创新"} <= set(words)
    assert not han_characters(words) & {"電", "創"}, "traditional characters in the index"
    # segmentation works on simplified text: unfolded, jieba cuts 電商行業 wrongly
    assert "电商" in split_words("電商行業") and "行业" in split_words("電商行業")


def test_code_tokens_are_dropped_and_words_kept() -> None:
    assert is_code_token("ltv_to_cac_now") and is_code_token("100m_yuan")
    assert not is_code_token("forecast") and not is_code_token("2024")
    words = split_words("The ltv_to_cac_now ratio in 100m_yuan, GMV 2024 and LTV.")
    assert words == ["The", "ratio", "in", "GMV", "2024", "and", "LTV"]


def test_english_is_stemmed_as_the_browser_stems_it() -> None:
    lang = FoldedChinese({})
    # Porter, not Porter2: the browser's stemmer is Porter (monthly -> monthli)
    assert lang.stem("Forecasting") == lang.stem("forecasts") == "forecast"
    assert lang.stem("monthly") == "monthli"
    assert lang.stem("电商") == "电商"
    assert not lang.word_filter("the") and not lang.word_filter("x")
    assert lang.word_filter("gmv") and lang.word_filter("电商")


def test_code_is_left_out_of_the_indexed_copy_only() -> None:
    doctree = publish_doctree(
        "Title with ``code``\n===================\n\n"
        "Prose about margins and ``nanmin`` inline, :math:`x^2`.\n\n"
        "::\n\n    ltv = result.ltv_to_cac_now\n",
        settings_overrides={"report_level": 5},
    )
    copy = without_code(doctree, ["跨境電商"])
    assert "nanmin" not in copy.astext() and "ltv_to_cac_now" not in copy.astext()
    assert "x^2" not in copy.astext()
    assert "Prose about margins" in copy.astext() and "跨境電商" in copy.astext()
    assert "Title with code" in copy.astext(), "a title keeps its inline code"
    assert "nanmin" in doctree.astext() and "跨境電商" not in doctree.astext()


# --------------------------------------------------------------------------- keywords


def test_a_chapter_gets_the_terms_of_its_plan_sections() -> None:
    market, goals = get_chapter("market"), get_chapter("goals")
    terms = {"跨境電商": "1.4; 3.1", "直播電商": "1.1", "綜試區": "6.4"}
    found = chapter_keywords(terms, [market, goals])
    assert found == {market.stem: ["跨境電商", "直播電商"], goals.stem: ["跨境電商"]}


def test_the_glossary_gives_chapter_1_the_plans_word_for_e_commerce() -> None:
    """Chapter 1 is written in English; the plan's terms of its sections lead to it."""
    keywords = glossary_keywords()
    market = keywords[get_chapter("market").stem]
    assert "电商" in split_words(" ".join(market))


def test_the_site_is_rebuilt_when_search_code_or_keyword_files_change() -> None:
    inputs = site_inputs(REPO)
    assert {"search/text.py", "search/language.py", "search/extension.py"} <= set(inputs)
    assert "data/plan/glossary.csv" in inputs
    assert "planbook.engine.search.extension" in (REPO / "_config.yml").read_text("utf-8")


# --------------------------------------------------------------------------- the browser's code


def run_query_code(queries: list[str], terms: list[str], fold_pairs: dict[str, str]) -> dict:
    """Run the language's JavaScript (stemmer and splitter) in node, as searchtools.js does:
    split the query, stem each term."""
    script = "\n".join(
        [
            f"var PLANBOOK_SEARCH_FOLD = {json.dumps(fold_pairs, ensure_ascii=False)};",
            JS_STEMMER,
            JS_SPLITTER,
            f"var Search = {{_index: {{terms: {json.dumps(dict.fromkeys(terms, 0))}, "
            "titleterms: {}}};",
            "const stemmer = new Stemmer();",
            f"const queries = {json.dumps(queries, ensure_ascii=False)};",
            "console.log(JSON.stringify(Object.fromEntries(queries.map((q) => [q, "
            "splitQuery(q).map((t) => stemmer.stemWord(t.toLowerCase()))]))));",
        ]
    )
    out = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed (the slow test runs Chromium)")
def test_the_query_is_folded_and_cut_into_the_index_words() -> None:
    terms = ["电商", "行业", "跨境", "forecast"]
    found = run_query_code(
        ["電商", "电商", "電商行業", "跨境電商平台", "forecasting", "ltv_to_cac_now", "的"],
        terms,
        fold_map(han_characters(terms)),
    )
    assert found["電商"] == found["电商"] == ["电商"]
    assert found["電商行業"] == ["电商", "行业"]
    assert found["跨境電商平台"] == ["跨境", "电商", "平台"]  # 平台 unknown: kept, so no match
    assert found["forecasting"] == ["forecast"]
    assert found["ltv_to_cac_now"] == ["ltv_to_cac_now"]  # one token, never in the index
    assert found["的"] == []  # one unknown character: dropped like a stop word


# --------------------------------------------------------------------------- a small site


def test_a_small_site_indexes_folded_words_and_writes_the_fold_map(tmp_path: Path) -> None:
    """Sphinx with the extension on two pages (a few seconds; no notebooks)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['planbook.engine.search.extension']\nhtml_search_language = 'zh'\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "Plan\n====\n\n.. toctree::\n\n   page\n\n電商行業的發展 and forecasting.\n",
        encoding="utf-8",
    )
    (src / "page.rst").write_text(
        "Code\n====\n\nWords ``nanmin`` here.\n\n.. code-block:: python\n\n"
        "   ltv_to_cac_now = glue_result(x)\n",
        encoding="utf-8",
    )
    out = tmp_path / "html"
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib"), "PLANBOOK_ROOT": str(REPO)}
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(src), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    index = read_index(out / "searchindex.js")
    terms = index["terms"]
    assert {"电商", "行业", "发展", "forecast"} <= set(terms)
    assert not {"電商", "nanmin", "ltv_to_cac_now", "glue_result", "ltv"} & set(terms)
    script = (out / "_static" / FOLD_SCRIPT).read_text(encoding="utf-8")
    assert script == fold_script(index) and '"電": "电"' in script
    assert FOLD_SCRIPT in (out / "search.html").read_text(encoding="utf-8")
    assert FOLD_SCRIPT not in (out / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the built book


def search_index(site: Path) -> dict:
    return read_index(site / "searchindex.js")


def pages_of(index: dict, term: str) -> set[str]:
    found = index["terms"].get(term, [])
    return {index["docnames"][i] for i in ([found] if isinstance(found, int) else found)}


@pytest.mark.slow
def test_the_books_index_is_folded_and_holds_no_code_tokens(built_book: Path) -> None:
    index = search_index(built_book / "_build" / "html")
    assert {"notebooks/01_market_background", "notebooks/14_glossary"} <= pages_of(index, "电商")
    assert not [t for t in index["terms"] if "_" in t]
    assert not han_characters(index["terms"]) & set(map(chr, fold_table()))
    assert pages_of(index, "forecast"), "English words are stemmed and indexed"


SEARCH_DONE = """
new Promise(resolve => {
  const start = Date.now();
  const poll = () => {
    const summary = document.querySelector("#search-results .search-summary");
    if (summary && summary.innerText.trim()) {
      resolve({
        summary: summary.innerText,
        pages: Array.from(document.querySelectorAll("#search-results ul.search li > a"))
          .map(a => a.getAttribute("href").split("?")[0].split("#")[0]),
      });
    } else if (Date.now() - start > 20000) {
      resolve(null);
    } else {
      setTimeout(poll, 100);
    }
  };
  poll();
})
"""


@pytest.mark.slow
def test_the_search_page_finds_glossary_and_chapter_1_in_both_scripts(built_book: Path) -> None:
    from test_browser import KNOWN_EXCEPTIONS, Browser, Server, chromium_missing

    if chromium_missing():
        pytest.skip("chromium is not installed")
    site = built_book / "_build" / "html"
    results: dict[str, dict] = {}
    with Server(site) as server:
        browser = Browser()
        try:
            for query in [
                "电商",
                "電商",
                "電商行業",
                "ltv_to_cac_now",
                "glue_result",
                "forecasting",
            ]:
                browser.open(server.base + "search.html?q=" + urllib.parse.quote(query))
                results[query] = browser.evaluate(SEARCH_DONE)
                errors = [
                    e for e in browser.exceptions() if not any(k in e for k in KNOWN_EXCEPTIONS)
                ]
                assert not errors, f"{query}: {errors}"
                assert not server.failures, f"{query}: {server.failures}"
        finally:
            browser.close()
    for query in ["电商", "電商", "電商行業"]:
        assert results[query] is not None, f"no results shown for {query}"
        pages = set(results[query]["pages"])
        assert {
            "notebooks/01_market_background.html",
            "notebooks/14_glossary.html",
        } <= pages, (query, results[query])
    assert set(results["电商"]["pages"]) == set(results["電商"]["pages"])
    for code in ["ltv_to_cac_now", "glue_result"]:
        assert results[code] is not None and results[code]["pages"] == [], results[code]
    assert "notebooks/12_methods.html" in results["forecasting"]["pages"]
