"""What a reader sees on every built page: numbers written for people, words not code.

Over every HTML page of the built site (``_build/html``, the shared ``built_book``), the
text a reader sees without clicking (the article, less scripts, styles and every folded
``<details>`` block: the code cells' sources, the parameter box, long tables, the checks
that hold) must hold

- no six-decimal number (``0.900000``), no ``nan`` and no scientific notation
  (``1.058e+04``), in prose or tables;
- at most :data:`MAX_SNAKE` distinct snake_case tokens (``ltv_to_cac``);

and every image has descriptive alt text (not its file path, at least three words), and no
page says "hundred million" (the plan's 亿) outside the audit's findings: amounts are in
English scales (:mod:`planbook.data.amounts`); the findings' ``Detail`` cells quote the plan
in its own units, and :data:`KNOWN_HUNDRED_MILLION` lists the pages that still say it
elsewhere, each with the most it may (only ever lowered, like :data:`KNOWN_SNAKE`).

:data:`KNOWN_SNAKE` lists the pages that still show more snake_case tokens, each with the
most it may show. The table can only shrink: a page over its allowance fails, and so does
an allowance larger than the page needs (lower it, or remove the page once it is within
:data:`MAX_SNAKE`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

MAX_SNAKE = 5
"""The most distinct snake_case tokens a page may show."""

KNOWN_SNAKE: dict[str, int] = {}
"""Pages over :data:`MAX_SNAKE` today and the most each may show; only ever lowered (the
data appendix, at 53 before its names were put in words, is within the limit now)."""

KNOWN_HUNDRED_MILLION: dict[str, int] = {
    "notebooks/02_challenges.html": 2,  # the worst finding's detail, quoted in prose
    "notebooks/10_conclusions.html": 3,  # the worst finding's detail, quoted in prose
    "notebooks/11_audit.html": 54,  # the findings' details, quoted in the lists
}
"""Pages that still say "hundred million" outside the findings' detail cells, and the most
each may: only where prose quotes a finding's detail (the audit's findings keep the plan's
units, a named assumption of the audit appendix); only ever lowered."""

HUNDRED_MILLION = re.compile(r"hundred\s+million", re.IGNORECASE)

SNAKE = re.compile(r"(?<![\w/.\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w\-])")
SIX_DECIMALS = re.compile(r"\d\.\d{6,}")
SCIENTIFIC = re.compile(r"\b\d(?:\.\d+)?[eE][+-]?\d+\b")
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


def visible_text(page: str) -> str | None:
    """The text of a page's article a reader sees without opening anything; ``None`` for
    a page without an article (a redirect)."""
    soup = BeautifulSoup(page, "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        return None
    for hidden in article.select("style, script, details:not([open])"):
        hidden.decompose()
    return article.get_text(" ")


def without_findings_details(page: str) -> str | None:
    """The visible text of a page (:func:`visible_text`) less the ``Detail`` cells of the
    findings tables, which quote the plan in its own units."""
    soup = BeautifulSoup(page, "html.parser")
    for table in soup.select("article.bd-article table"):
        heads = [th.get_text(strip=True) for th in table.select("thead tr:last-child th")]
        if "Detail" not in heads:
            continue
        k = heads.index("Detail")
        for row in table.select("tbody tr"):
            cells = row.find_all(["td", "th"], recursive=False)
            if len(cells) == len(heads):
                cells[k].decompose()
    return visible_text(str(soup))


def snake_tokens(text: str) -> set[str]:
    """The distinct snake_case tokens of ``text``."""
    return set(SNAKE.findall(text))


def number_problems(text: str) -> list[str]:
    """Six-decimal numbers, ``nan`` and scientific notation found in ``text``."""
    found = []
    for name, pattern in (("six decimals", SIX_DECIMALS), ("sci", SCIENTIFIC), ("nan", NAN)):
        found += [f"{name}: {m.group()!r}" for m in pattern.finditer(text)]
    return found


def bad_alt(page: str) -> list[str]:
    """The images of a page's article whose alt text is missing, a file path or shorter
    than three words."""
    article = BeautifulSoup(page, "html.parser").select_one("article.bd-article")
    if article is None:
        return []
    bad = []
    for img in article.find_all("img"):
        alt = (img.get("alt") or "").strip()
        if not alt or re.search(r"\.(png|svg|jpe?g)$", alt) or len(alt.split()) < 3:
            bad.append(f"{img.get('src')}: alt {alt!r}")
    return bad


def test_visible_text_skips_folded_blocks_and_code() -> None:
    page = (
        '<article class="bd-article"><p>Sales grew 5.1%.</p><style>.a_b {}</style>'
        "<details><summary>Show code cell source</summary><pre>x_y = 1</pre></details>"
        "<details open><summary>open</summary><p>shown_here</p></details></article>"
    )
    text = visible_text(page)
    assert text is not None
    assert snake_tokens(text) == {"shown_here"}
    assert visible_text("<html><body>redirect</body></html>") is None


def test_findings_details_are_left_out_of_the_scale_check() -> None:
    page = (
        '<article class="bd-article"><p>Fresh food: 523.4 billion yuan.</p><table><thead>'
        "<tr><th>Rule</th><th>Detail</th></tr></thead><tbody><tr><td>sum</td>"
        "<td>45 hundred million yuan (6.1)</td></tr></tbody></table>"
        "<p>5 hundred million yuan a year</p></article>"
    )
    text = without_findings_details(page)
    assert text is not None and len(HUNDRED_MILLION.findall(text)) == 1
    assert "45 hundred" not in text and "sum" in text


def test_number_problems_and_alt_text_are_found() -> None:
    assert number_problems("0.900000 and 1.058e+04 and NaN and nanmin, 2.5 and e-commerce") == [
        "six decimals: '0.900000'",
        "sci: '1.058e+04'",
        "nan: 'NaN'",
    ]
    page = (
        '<article class="bd-article"><img src="a.png" alt="../_images/a.png">'
        '<img src="b.png" alt="Chart: online sales, 2015 to 2024"><img src="c.png"></article>'
    )
    assert bad_alt(page) == ["a.png: alt '../_images/a.png'", "c.png: alt ''"]


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
        if "_static" not in p.parts and p.name not in ("genindex.html", "search.html")
    }


@pytest.mark.slow
def test_every_page_reads_as_text_for_people(built_book: Path) -> None:
    site = built_book / "_build" / "html"
    pages = _pages(site)
    assert len(pages) >= 16, f"only {len(pages)} pages under {site}"
    problems: list[str] = []
    for name, page in pages.items():
        text = visible_text(page)
        if text is None:
            continue
        problems += [f"{name}: {p}" for p in number_problems(text)[:5]]
        problems += [f"{name}: image {p}" for p in bad_alt(page)]
        tokens = snake_tokens(text)
        allowed = KNOWN_SNAKE.get(name, MAX_SNAKE)
        if len(tokens) > allowed:
            problems.append(
                f"{name}: {len(tokens)} snake_case tokens, at most {allowed}: "
                f"{', '.join(sorted(tokens)[:20])}"
            )
        elif name in KNOWN_SNAKE and len(tokens) < allowed:
            problems.append(
                f"{name}: {len(tokens)} snake_case tokens now; lower its KNOWN_SNAKE "
                f"allowance from {allowed} to {max(len(tokens), MAX_SNAKE)}"
                + (" (remove it)" if len(tokens) <= MAX_SNAKE else "")
            )
    missing = sorted(set(KNOWN_SNAKE) - set(pages))
    problems += [f"{name}: in KNOWN_SNAKE but not built; remove it" for name in missing]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_amounts_are_in_english_scales_outside_the_findings(built_book: Path) -> None:
    pages = _pages(built_book / "_build" / "html")
    problems: list[str] = []
    for name, page in pages.items():
        text = without_findings_details(page)
        if text is None:
            continue
        n, allowed = len(HUNDRED_MILLION.findall(text)), KNOWN_HUNDRED_MILLION.get(name, 0)
        if n > allowed:
            at = HUNDRED_MILLION.search(text)
            assert at is not None
            where = " ".join(text[max(0, at.start() - 80) : at.end()].split())
            problems.append(
                f"{name}: says 'hundred million' {n} times, at most {allowed} ('...{where}'); "
                "state the amount with planbook.data.amounts"
            )
        elif n < allowed:
            problems.append(
                f"{name}: says 'hundred million' {n} times now; lower its KNOWN_HUNDRED_MILLION "
                f"allowance from {allowed} to {n}" + (" (remove it)" if n == 0 else "")
            )
    missing = sorted(set(KNOWN_HUNDRED_MILLION) - set(pages))
    problems += [f"{name}: in KNOWN_HUNDRED_MILLION but not built; remove it" for name in missing]
    assert not problems, "\n".join(problems)
