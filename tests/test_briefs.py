"""Every chapter's "In brief": sentences from the chapter's results, worded from the computed
values, linking a section of their own page, agreeing with the landing page."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from planbook.chapters import (
    challenges,
    findings,
    goals,
    implementation,
    innovation,
    market,
    resources,
    risk,
    timeline,
)
from planbook.chapters.briefs import benefits as b8
from planbook.chapters.briefs import challenges as b2
from planbook.chapters.briefs import conclusions as b10
from planbook.chapters.briefs import goals as b3
from planbook.chapters.briefs import implementation as b4
from planbook.chapters.briefs import innovation as b9
from planbook.chapters.briefs import market as b1
from planbook.chapters.briefs import resources as b6
from planbook.chapters.briefs import risk as b5
from planbook.chapters.briefs import timeline as b7
from planbook.chapters.briefs.words import Bullet, audit_bullet, part, people, yuan
from planbook.data.plan import load_claims, load_sections
from planbook.engine.params import validate_params
from planbook.page.audit_section import audit_section
from planbook.page.brief import anchor, brief_markdown

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SNAKE = re.compile(r"(?<![\w/.\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w\-])")


def _audit(n: int, bad: int = 3) -> dict[str, Any]:
    return {f"ch{n}_audit_summary": f"Of the 20 findings that involve chapter {n}, {bad} fail."}


def _odds() -> SimpleNamespace:
    return SimpleNamespace(
        n_low_odds=4, tad_n=4, low_p=10.0, best_desc="GMV: 80 trillion yuan", best_p_text="4.5%"
    )


def _benefits(end_from_rate: float = 100.24, base_verdict: str = "consistent") -> Any:
    return SimpleNamespace(
        says=SimpleNamespace(gmv_base=47.8, gmv_rate=28.0, gmv_end=80.0),
        growth=SimpleNamespace(
            gmv_years=3,
            end_from_rate=end_from_rate,
            rate_from_end=18.73,
            target_year=2026,
            fc_median=61.9,
            fc_lower=48.3,
            fc_upper=79.3,
            level_pct=90.0,
            p_end_text="4.5% (Monte Carlo error 0.2 points)",
        ),
        checks=SimpleNamespace(
            table=pd.DataFrame({"verdict": ["consistent", "inconsistent", "inconsistent"]}),
            gmv_base_verdict=base_verdict,
            level_tol=2.0,
        ),
        money=SimpleNamespace(
            base_text="one firm with a GMV of 1 trillion yuan a year",
            firm_total=701.55,
            logistics_share_of_benefit=71.3,
        ),
    )


def _conclusions(**changes: Any) -> Any:
    values = dict(
        holds_pct=78.1, n_checks=128, n_inconsistent=28, n_high=17, n_tested=4, n_likely=0,
        n_possible=0, n_unlikely=4, likely=50.0, unlikely=10.0, best_p_text="4.5% (error)",
        n_missing=4, gaps_text="section 9.1 is empty", n_holds=100,
        clean_rules="parts sum, implied total",
    )  # fmt: skip
    return SimpleNamespace(**(values | changes))


@pytest.fixture(scope="module")
def real() -> dict[int, Any]:
    """The chapters' results under their defaults (the fast ones; about 3 s)."""
    claims, sections = load_claims(), load_sections()

    def p(slug: str) -> Any:
        return validate_params(slug, {})

    return {
        1: market.compute(p("market"), claims),
        2: challenges.compute(p("challenges"), claims),
        3: goals.compute(p("goals"), claims),
        4: implementation.compute(p("implementation"), claims),
        5: risk.compute(p("risk"), claims),
        6: resources.compute(p("resources"), claims),
        7: timeline.compute(p("timeline"), claims, sections),
        9: innovation.compute(p("innovation"), claims, sections),
    }


@pytest.fixture(scope="module")
def briefs(real: dict[int, Any]) -> dict[int, list[Bullet]]:
    return {
        1: b1.brief(real[1], _audit(1)),
        2: b2.brief(real[2], _audit(2)),
        3: b3.brief(real[3], _odds(), _audit(3)),
        4: b4.brief(real[4], _audit(4)),
        5: b5.brief(real[5], _audit(5)),
        6: b6.brief(real[6], _audit(6)),
        7: b7.brief(real[7], _audit(7)),
        8: b8.brief(_benefits(), _audit(8)),
        9: b9.brief(real[9], _audit(9)),
        10: b10.brief(_conclusions()),
    }


def _headings(chapter: int) -> set[str]:
    (path,) = NOTEBOOKS.glob(f"{chapter:02d}_*.ipynb")
    cells = json.loads(path.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("##")}


def test_every_chapter_has_three_to_five_bullets_that_link_its_own_sections(
    briefs: dict[int, list[Bullet]],
) -> None:
    for chapter, items in briefs.items():
        assert 3 <= len(items) <= 5, chapter
        headings = _headings(chapter)
        assert "In brief" in headings, chapter
        for item in items:
            assert item.section in headings, (chapter, item.section)
            assert re.search(r"\d", item.text), item.text


def test_bullets_read_as_prose_for_people(briefs: dict[int, list[Bullet]]) -> None:
    for items in briefs.values():
        for item in items:
            assert not SNAKE.search(item.text), item.text
            assert not re.search(r"\d\.\d{3,}|\bnan\b|e[+-]\d", item.text), item.text
            assert "(s)" not in item.text and " 0 " not in f" {item.text} ", item.text


def test_anchor_is_the_built_page_s_section_id() -> None:
    assert anchor("Checks of the plan's arithmetic") == "checks-of-the-plan-s-arithmetic"
    assert anchor("Green e-commerce (plan 9.2)") == "green-e-commerce-plan-9-2"
    assert anchor("The model: does the spending pay?") == "the-model-does-the-spending-pay"


def test_counts_and_scales_are_worded_without_artefacts() -> None:
    assert part(4, 4, "check") == "all 4 checks hold"
    assert part(0, 6, "check") == "none of the 6 checks holds"
    assert part(1, 6, "check") == "1 of the 6 checks holds"
    assert part(3, 4, "check") == "3 of the 4 checks hold"
    assert part(0, 1, "check") == "the only check does not hold"
    assert yuan(120) == "12 billion yuan"
    assert yuan(33534.3) == "3.35 trillion yuan"
    assert yuan(5) == "500 million yuan"
    assert people(12.109) == "1.21 billion"
    assert people(6.2) == "620 million"


def test_audit_bullet_reads_the_section_s_counts_and_drops_zero_failures() -> None:
    claims, sections = load_claims(), load_sections()
    glued = audit_section(claims, sections, 1, validate_params("market", {})).glue()
    text = audit_bullet(glued, 1).text
    assert text == glued["ch1_audit_summary"]  # the section's own sentence, one function
    assert text.startswith(f"Of the {glued['ch1_audit_n']} findings that involve chapter 1")
    assert f"{glued['ch1_audit_bad']} are inconsistent" in text


def test_chapter_1_states_the_landing_page_s_facts(real: dict[int, Any]) -> None:
    m, tol = real[1], real[1].level_tol
    landing_online, landing_tv = findings._online(m, tol).text, findings._tv(m).text
    online, volume = b1.online(m).text, b1.volume(m).text
    for number in (f"{m.online_2023:.1f}", f"{abs(m.online_2023_gap):.1f}%"):
        assert number in online and number in landing_online
    for number in (f"{m.tv_fc_2023_lower:.1f} to {m.tv_fc_2023_upper:.1f}", f"{m.tv_2023:.1f}"):
        assert number in volume and number in landing_tv
    assert ("inside" in volume) == ("inside" in landing_tv)


def test_chapters_2_and_6_agree_with_the_landing_page(real: dict[int, Any]) -> None:
    ch, params = real[2], validate_params("challenges", {})
    assert b2.customer(ch).text == findings._customer(ch, params).text
    r = real[6]
    landing = findings._budget(r, "additional")
    split = b6.split(r).text
    assert ("do not add up" in landing.text) == ("do not add up" in split)
    assert f"{landing.plan / 10:g} billion yuan" in split


def test_verdict_words_follow_the_sign_of_the_number(real: dict[int, Any]) -> None:
    m = real[1]
    below = dataclasses.replace(m, online_2023_gap=-6.7)
    above = dataclasses.replace(m, online_2023_gap=6.7)
    near = dataclasses.replace(m, online_2023_gap=m.level_tol / 2)
    assert "6.7% below" in b1.online(below).text and "6.7% above" in b1.online(above).text
    assert "agree with" in b1.online(near).text
    faster = b1.base_2020(dataclasses.replace(m, tv_2020_gap=-22.3)).text
    slower = b1.base_2020(dataclasses.replace(m, tv_2020_gap=22.3)).text
    assert "below" in faster and "faster" in faster and "above" in slower and "slower" in slower
    ch = real[2]
    assert "loses" in b2.customer(dataclasses.replace(ch, profit_per_customer=-5.0)).text
    assert "earns" in b2.customer(dataclasses.replace(ch, profit_per_customer=5.0)).text
    assert "rose" in b2.margin(dataclasses.replace(ch, margin_rate=3.0)).text
    g = real[3]
    assert "more than" in b3.users(dataclasses.replace(g, ck_users_verdict="inconsistent")).text
    assert ", within the" in b3.users(dataclasses.replace(g, ck_users_verdict="consistent")).text
    r = real[6]
    assert "does not pay" in b6.pays(dataclasses.replace(r, npv=-10.0)).text
    assert "spending pays" in b6.pays(dataclasses.replace(r, npv=10.0)).text
    assert "raise" in b5.losses(dataclasses.replace(real[5], avoided=-1.0)).text
    assert "in line with" in b8.promise(_benefits(end_from_rate=80.5)).text
    assert "not the 80 trillion" in b8.promise(_benefits(end_from_rate=100.2)).text
    assert "does not agree" in b8.checks(_benefits(base_verdict="inconsistent")).text


def test_split_and_odds_follow_the_computed_verdicts(real: dict[int, Any]) -> None:
    r = real[6]
    bad = r.checks.assign(verdict="inconsistent")
    assert "do not add up" in b6.split(dataclasses.replace(r, checks=bad)).text
    assert "none has odds" in b3.odds(SimpleNamespace(**{**vars(_odds()), "n_low_odds": 0})).text
    mixed = b10.targets(_conclusions(n_likely=1, n_possible=1, n_unlikely=2)).text
    assert "1 likely, 1 possible, 2 unlikely" in mixed
    assert "all 4 are unlikely" in b10.targets(_conclusions()).text
    assert "none fails" in b10.checks(_conclusions(n_inconsistent=0)).text


def test_page_helper_escapes_text_and_links_the_anchor() -> None:
    item = Bullet("A <script> & 5%.", "Checks of the plan's arithmetic")
    out = brief_markdown([item, item])
    assert out.splitlines()[0] == (
        "- A &lt;script&gt; &amp; 5%. "
        "See [Checks of the plan's arithmetic](#checks-of-the-plan-s-arithmetic)."
    )
    assert len(out.splitlines()) == 2


@pytest.mark.slow
def test_every_built_chapter_opens_with_its_brief_and_links_resolve(built_book: Path) -> None:
    """On the built site, chapters 1 to 10 show "In brief" before any other section, with
    3 to 5 items, each linking a section id of the same page."""
    site = built_book / "_build" / "html" / "notebooks"
    for chapter in range(1, 11):
        (page,) = site.glob(f"{chapter:02d}_*.html")
        soup = BeautifulSoup(page.read_text(), "html.parser")
        sections = soup.select("article section section")
        assert sections and sections[0].get("id") == "in-brief", page.name
        items = sections[0].select("li")
        assert 3 <= len(items) <= 5, page.name
        for item in items:
            (link,) = item.select("a[href^='#']")
            assert soup.find(id=link["href"][1:]) is not None, (page.name, link["href"])
