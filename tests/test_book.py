"""The book end to end: build with -W, the chapter page, reruns, scenarios and failures."""

from __future__ import annotations

import json
import re
import time
from html import unescape
from pathlib import Path

import pytest
from conftest import EditedBook, planbook, snapshot

from planbook.engine.glued import glued_values
from planbook.engine.registry import CHAPTERS

pytestmark = pytest.mark.slow  # every test here builds the book (the built_book fixture)

PAGE = Path("_build/html/notebooks/01_market_background.html")


def page_text(path: Path) -> str:
    """The visible text of a built page's article."""
    html = path.read_text(encoding="utf-8")
    body = html[html.find("<article") : html.find("</article>")]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def glued(executed: Path) -> dict[str, str]:
    """The glued values of an executed notebook: key -> text/plain (or markdown)."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for key, data in output.get("data", {}).items():
                if key.startswith("application/papermill.record/"):
                    name = output["metadata"]["scrapbook"]["name"]
                    out[name] = data if isinstance(data, str) else json.dumps(data)
    return out


def test_site_has_every_chapter_with_charts_and_glued_numbers(built_book: Path) -> None:
    site = built_book / "_build" / "html"
    assert (site / "index.html").is_file()
    for chapter in CHAPTERS:
        page = site / "notebooks" / f"{chapter.stem}.html"
        assert page.is_file(), page
        html = page.read_text(encoding="utf-8")
        executed = built_book / "book" / "chapters" / chapter.notebook
        charts = sum(
            "image/png" in output.get("data", {})
            for cell in json.loads(executed.read_text(encoding="utf-8"))["cells"]
            for output in cell.get("outputs", [])
        )
        assert charts >= 1, f"{chapter.notebook} draws no chart"
        shown = len(re.findall(r'<img[^>]+src="[^"]*_images/', html))
        assert shown == charts, f"{page.name}: {shown} of {charts} charts on the page"
        text = page_text(page)
        assert "Traceback" not in text
        assert not re.search(r"forecast_horizon = \d", text)  # parameter cells are hidden
        assert "injected-parameters" not in html
    text = page_text(built_book / PAGE)
    assert "47.8 trillion yuan" in text  # a number glued from the claims table
    assert "18.24 % a year" in text  # a recomputation glued into the prose


def test_nothing_changed_means_no_kernel_and_same_site(book_copy: Path) -> None:
    before = snapshot(book_copy)
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        result = planbook("build", root=book_copy)
        seconds.append(time.perf_counter() - start)
        assert result.returncode == 0, result.stderr
        assert "running" not in result.stdout
        assert result.stdout.count("up to date") == len(CHAPTERS) + 1  # chapters and site
    assert snapshot(book_copy) == before
    assert min(seconds) < 3.0, seconds  # the whole command, Python start-up included


def test_switching_parameters_back_hits_the_cache(book_copy: Path) -> None:
    executed = book_copy / "book" / "chapters" / "01_market_background.ipynb"
    original = glued_values(executed)
    changed = planbook("run", "market", "--set", "confidence=0.8", root=book_copy)
    assert changed.returncode == 0 and "running" in changed.stdout, changed.stderr
    assert glued_values(executed)["level_pct"] == 80.0
    back = planbook("run", "market", root=book_copy)  # A -> B -> A
    assert back.returncode == 0, back.stderr
    assert "running" not in back.stdout and "from cache" in back.stdout
    assert glued_values(executed) == original
    again = planbook("run", "market", "--set", "confidence=0.8", root=book_copy)  # and B again
    assert "running" not in again.stdout and glued_values(executed)["level_pct"] == 80.0


def test_a_change_in_lib_reaches_the_page(edited_book: EditedBook) -> None:
    """Never stale: a changed function in lib/ changes the glued numbers and the page.

    ``edited_book`` doubles ``methods.arithmetic.grow`` in a copy of the built book and
    reads which chapters a build would then run, before it also edits the data for
    test_escaping's check and rebuilds once for both.
    """
    # exact keys: the chapters that import methods/arithmetic, all but two appendices
    assert edited_book.stale_after_lib_change == [
        c.slug for c in CHAPTERS if c.slug not in {"data_sources", "glossary"}
    ]
    result = edited_book.result
    assert result.returncode == 0, result.stdout + result.stderr
    running = [line for line in result.stdout.splitlines() if "running" in line]
    assert len(running) == len(CHAPTERS), result.stdout  # the data edit reaches them all
    executed = Path("book/chapters/01_market_background.ipynb")
    old, new = (glued_values(book / executed) for book in (edited_book.before, edited_book.root))
    assert new["plan_path_end"] == pytest.approx(2 * old["plan_path_end"])
    assert new["tv_2023"] == old["tv_2023"]  # what does not use grow() is unchanged
    assert f"{new['plan_path_end']:.1f} trillion yuan" in page_text(edited_book.root / PAGE)


def test_rerun_with_parameters_changes_the_text(book_copy: Path) -> None:
    executed = book_copy / "book" / "chapters" / "01_market_background.ipynb"
    old = glued(executed)
    result = planbook(
        "run", "market", "--set", "forecast_horizon=5", "--set", "confidence=0.8", root=book_copy
    )
    assert result.returncode == 0, result.stdout + result.stderr
    new = glued(executed)
    assert json.loads(new["level_pct"]) == 80.0
    assert json.loads(new["online_end_year"]) == json.loads(old["online_end_year"]) + 2
    # the narrower interval is narrower
    assert (
        float(new["online_fc_upper"]) - float(new["online_fc_lower"])
        < float(old["online_fc_upper"]) - float(old["online_fc_lower"]) + 10
    )
    result = planbook("build", root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "running" not in result.stdout  # build keeps what run produced, and says so
    [kept] = [line for line in result.stdout.splitlines() if "last-run parameters" in line]
    assert "market confidence=0.8, forecast_horizon=5" in kept
    assert "at 80 % prediction intervals" in page_text(book_copy / PAGE)


def test_scenario_build_lands_in_its_own_site(book_copy: Path, tmp_path: Path) -> None:
    # A scenario file given by path that changes one chapter: the other chapters come
    # from the cache (the shipped scenarios are checked by test_params and compare).
    scenario = tmp_path / "cautious.yml"
    scenario.write_text("market:\n  confidence: 0.95\n", encoding="utf-8")
    main_before = snapshot(book_copy)
    result = planbook("build", "--scenario", str(scenario), root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("running") == 1
    assert result.stdout.count("from cache") == len(CHAPTERS) - 1
    assert "_build/scenarios/cautious/html/index.html" in result.stdout
    page = book_copy / "_build/scenarios/cautious/html/notebooks/01_market_background.html"
    assert "at 95 % prediction intervals" in page_text(page)
    # the main book is untouched
    main_after = snapshot(book_copy)
    for key, digest in main_before.items():
        if key.startswith(("book/chapters", "_build/html")):
            assert main_after[key] == digest, key


def test_failing_cell_keeps_last_good_page_and_site(book_copy: Path) -> None:
    notebook = book_copy / "notebooks" / "01_market_background.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    bad = {
        "cell_type": "code",
        "execution_count": None,
        "id": "boom",
        "metadata": {},
        "outputs": [],
        "source": ["raise ValueError('deliberate failure for the test')"],
    }
    nb["cells"].insert(4, bad)
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    before = {
        k: v for k, v in snapshot(book_copy).items() if k.startswith(("book/", "_build/html"))
    }
    result = planbook("build", root=book_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    line = result.stderr.strip()
    assert "\n" not in line
    for text in ("chapter 1 market", "cell 5", "ValueError", "deliberate failure"):
        assert text in line, line
    failed = book_copy / "_build" / "failed" / "main" / "01_market_background.ipynb"
    assert failed.is_file()
    after = {k: v for k, v in snapshot(book_copy).items() if k in before}
    assert after == before
