"""Charts on the site: alt text, numbered figures and captions (engine/build/figures.py)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from planbook.engine.build.figures import (
    Chart,
    figure_label,
    finish_figures,
    image_charts,
    with_figures,
)
from planbook.engine.registry import CHAPTERS
from planbook.page import charts

PNG_A = b"\x89PNG first chart"
PNG_B = b"\x89PNG second chart"


def _hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _notebook(*outputs: tuple[bytes, dict]) -> dict:
    cells = [
        {
            "cell_type": "code",
            "outputs": [
                {
                    "output_type": "display_data",
                    "data": {"image/png": base64.b64encode(raw).decode()},
                    "metadata": {"image/png": meta},
                }
                for raw, meta in outputs
            ],
        }
    ]
    return {"cells": cells}


def _img(raw: bytes) -> str:
    h = _hash(raw)
    return f'<img alt="../_images/{h}.png" src="../_images/{h}.png" />'


def test_image_charts_reads_alt_and_caption_by_hash() -> None:
    nb = _notebook(
        (PNG_A, {"alt": "Chart: sales. axes: Year.", "caption": "Sales."}),
        (PNG_B, {"alt": "Chart: old output without a caption."}),
        (b"no alt", {}),
    )
    found = image_charts(nb)
    assert found == {
        _hash(PNG_A): Chart("Chart: sales. axes: Year.", "Sales."),
        _hash(PNG_B): Chart("Chart: old output without a caption."),
    }


def test_figure_labels_carry_the_chapter_only_in_chapters() -> None:
    assert figure_label(3, 2) == "3.2"
    assert figure_label(None, 2) == "2"


def test_charts_are_numbered_in_page_order_with_escaped_captions() -> None:
    known = {_hash(PNG_A): Chart("Chart: A & B.", "A & B."), _hash(PNG_B): Chart("b", "Bee.")}
    page = f"<p>x</p>{_img(PNG_B)}<p>y</p>{_img(PNG_A)}{_img(b'other')}"
    out = with_figures(page, known, chapter=5)
    assert out.index("Figure 5.1. ") < out.index("Bee.") < out.index("Figure 5.2. ")
    assert '<span class="caption-text">A &amp; B.</span>' in out
    assert 'alt="Chart: A &amp; B."' in out
    assert 'id="figure-5-2"' in out
    assert out.count("<figure") == 2  # the unknown image is left alone
    assert _img(b"other") in out


def test_without_a_caption_only_the_alt_text_changes() -> None:
    out = with_figures(_img(PNG_A), {_hash(PNG_A): Chart("Chart: sales.")})
    assert "<figure" not in out
    assert 'alt="Chart: sales."' in out


def test_finish_figures_numbers_notebook_pages_and_gives_others_alt_text(tmp_path: Path) -> None:
    executed = tmp_path / "executed"
    executed.mkdir()
    nb = _notebook((PNG_A, {"alt": "Chart: sales.", "caption": "Sales."}))
    (executed / "03_goals.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    site = tmp_path / "html"
    (site / "notebooks").mkdir(parents=True)
    (site / "notebooks" / "03_goals.html").write_text(_img(PNG_A), encoding="utf-8")
    (site / "index.html").write_text(_img(PNG_A), encoding="utf-8")
    (site / "other.html").write_text("<p>no chart</p>", encoding="utf-8")
    assert finish_figures(site, [(executed / "03_goals.ipynb", 3)]) == 2
    chapter = (site / "notebooks" / "03_goals.html").read_text(encoding="utf-8")
    assert "Figure 3.1. " in chapter
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert 'alt="Chart: sales."' in landing and "<figure" not in landing


def test_the_chart_helper_stores_a_caption_from_the_titles() -> None:
    fig, ax = charts.figure()
    charts.finish(fig, ax, title="Sales by year", xlabel="Year", ylabel="Yuan", source="Source: x")
    assert charts.caption(fig) == "Sales by year."
    assert charts.describe(fig).startswith("Chart: Sales by year. axes: Year against Yuan.")
    fig2, _ = charts.figure()
    assert charts.caption(fig2) == "Chart."


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_only_the_plan_chapters_number_their_figures_by_chapter(chapter) -> None:
    assert chapter.is_appendix == (chapter.number > 10)
