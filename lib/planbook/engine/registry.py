"""The book's chapters: one registry that the CLI, the runner and the tests share."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from planbook.errors import InputError, quoted

PLAN_CHAPTER_COUNT = 10
"""The plan's chapters; the book's chapters after them are appendices."""


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book, reproducing one chapter of the plan."""

    number: int
    slug: str
    title: str
    notebook: str
    summary: str
    sections: tuple[str, ...]
    data: tuple[str, ...] = ()
    """The files under ``data/`` and ``scenarios/`` the chapter reads: repo-relative paths
    or glob patterns (``*`` within a folder, ``**`` across folders). Its execution key
    covers exactly these, and a run that reads anything else fails, naming the file."""

    @property
    def is_appendix(self) -> bool:
        """Whether the chapter is one of the book's appendices (numbered after the plan's
        chapters, unnumbered on the site)."""
        return self.number > PLAN_CHAPTER_COUNT

    @property
    def stem(self) -> str:
        """The notebook's file name without its extension (the page name in ``_toc.yml``)."""
        return self.notebook.removesuffix(".ipynb")


PLAN = ("data/plan/claims.csv", "data/plan/sections.csv", "data/book/labels.csv")
"""The claims table, the plan's sections and the English labels of the page's tables
(``page.labels``): every chapter reads all three."""

RISKS = ("data/plan/risks.csv",)
"""The risk register (chapter 5's parameters are generated from it)."""

SCENARIOS = ("scenarios/*.yml",)
"""Every scenario file (chapters that tabulate the scenarios)."""


def official(*names: str) -> tuple[str, ...]:
    """The files of official tables by name (``data/official/<name>.csv``)."""
    return tuple(f"data/official/{name}.csv" for name in names)


HEADLINE_SERIES = official(
    "ecommerce_transaction_volume",
    "online_retail_sales",
    "online_shoppers",
    "physical_goods_online_retail",
    "total_retail_sales",
)
"""The official series of chapter 1's market picture (chapter 10 restates it)."""

FORECAST_SERIES = official(
    "breaks",
    "cross_border_ecommerce",
    "ecommerce_transaction_volume",
    "express_parcels",
    "online_retail_sales",
    "online_shoppers",
    "physical_goods_online_retail",
)
"""What one official forecast reads: the breaks table and the six annual series, whose
backtest errors are pooled to calibrate every series' intervals."""

MONTHLY_SERIES = official(
    "online_retail_sales_ytd", "total_retail_sales", "total_retail_sales_monthly"
)
"""The monthly and year-to-date series of the methods appendix's seasonal models."""

CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        number=1,
        slug="market",
        title="Market background",
        notebook="01_market_background.ipynb",
        summary="Size and structure of the market as the plan states them, "
        "checked against official statistics and a forecast.",
        sections=("1.1", "1.2", "1.3", "1.4", "1.5"),
        data=PLAN + HEADLINE_SERIES + FORECAST_SERIES,
    ),
    Chapter(
        number=2,
        slug="challenges",
        title="Core problems and challenges",
        notebook="02_challenges.ipynb",
        summary="The problems the plan quantifies, set against its own benchmarks and "
        "trends, and what an acquired customer is worth against what acquiring them costs.",
        sections=("2.1", "2.2", "2.3", "2.4", "2.5"),
        data=PLAN,
    ),
    Chapter(
        number=3,
        slug="goals",
        title="Goals and strategy",
        notebook="03_goals.ipynb",
        summary="Every target with its baseline, horizon and required rate, conflicting "
        "targets side by side, customer economics and user growth under the targets, and "
        "the targets' odds on the official trend.",
        sections=("3.1", "3.2", "3.3", "3.4"),
        data=PLAN + FORECAST_SERIES,
    ),
    Chapter(
        number=4,
        slug="implementation",
        title="Implementation path",
        notebook="04_implementation.ipynb",
        summary="The initiatives and the uplifts they claim, by evidence; a driver tree "
        "stacking the uplifts naively and with an overlap haircut; inventory days against "
        "turns across the plan.",
        sections=("4.1", "4.2", "4.3", "4.4"),
        data=PLAN,
    ),
    Chapter(
        number=5,
        slug="risk",
        title="Risk assessment and responses",
        notebook="05_risk.ipynb",
        summary="A scored register of every risk the plan names, what its availability and "
        "recovery targets mean, and a Monte Carlo model of annual loss with and without "
        "the mitigations.",
        sections=("5.1", "5.2", "5.3", "5.4"),
        data=PLAN + RISKS,
    ),
    Chapter(
        number=6,
        slug="resources",
        title="Resource needs and allocation",
        notebook="06_resources.ipynb",
        summary="Every budget figure in one reconciled table, the people and their cost, and "
        "an appraisal (NPV, IRR, payback) of the plan's spending against its promised benefits.",
        sections=("6.1", "6.2", "6.3", "6.4"),
        data=PLAN,
    ),
    Chapter(
        number=7,
        slug="timeline",
        title="Timeline and phases",
        notebook="07_timeline.ipynb",
        summary="Every phase plan of the document on one time axis and where they "
        "contradict each other, monthly glide paths for the tracked KPIs, and how often "
        "the alert rule fires on noise alone.",
        sections=("7.1", "7.2", "7.3", "7.4"),
        data=PLAN,
    ),
    Chapter(
        number=8,
        slug="benefits",
        title="Expected effects and value",
        notebook="08_benefits.ipynb",
        summary="The growth promise both ways it is stated, against a forecast; the "
        "efficiency and cost promises in money on an explicit base; social promises and "
        "their rates; a tornado and the scenarios side by side.",
        sections=("8.1", "8.2", "8.3"),
        data=PLAN + RISKS + FORECAST_SERIES + SCENARIOS,
    ),
    Chapter(
        number=9,
        slug="innovation",
        title="Innovation and sustainable development",
        notebook="09_innovation.ipynb",
        summary="What the incomplete chapter leaves out, the green targets dated and drawn "
        "as paths to their deadlines, the arithmetic of the social-commerce figures, and "
        "every figure beside its repeats elsewhere in the plan.",
        sections=("9.1", "9.2", "9.3", "9.4"),
        data=PLAN,
    ),
    Chapter(
        number=10,
        slug="conclusions",
        title="Conclusions and recommendations",
        notebook="10_conclusions.ipynb",
        summary="The chapter the plan never wrote: a scorecard of its claims, checks and "
        "targets, its most material problems with a recommendation for each, and every "
        "chapter's key numbers under the three shipped scenarios.",
        sections=("10.1", "10.2", "10.3", "10.4"),
        data=PLAN + RISKS + HEADLINE_SERIES + FORECAST_SERIES + SCENARIOS,
    ),
    Chapter(
        number=11,
        slug="audit",
        title="Audit of the plan",
        notebook="11_audit.ipynb",
        summary="Every consistency check of the plan's figures: recomputed rates and "
        "totals, sums, figures and targets stated differently, time frames, and gaps.",
        sections=(),
        data=PLAN,
    ),
    Chapter(
        number=12,
        slug="methods",
        title="Methods",
        notebook="12_methods.ipynb",
        summary="The forecasting models and how they are chosen by rolling-origin backtest, "
        "their accuracy on every official series, what the forecasts cannot know, and how "
        "the plan's figures were extracted and checked.",
        sections=(),
        data=PLAN + FORECAST_SERIES + MONTHLY_SERIES,
    ),
    Chapter(
        number=13,
        slug="data_sources",
        title="Data sources",
        notebook="13_data_sources.ipynb",
        summary="Every table under data/: rows, columns, schema and source, the choices "
        "among competing official figures, and how the claims cover the plan.",
        sections=(),
        data=(
            "data/plan/*.csv",
            "data/official/*.csv",
            "data/official/raw/*.csv",
            "data/book/*.csv",
        ),
    ),
    Chapter(
        number=14,
        slug="glossary",
        title="Glossary",
        notebook="14_glossary.ipynb",
        summary="The plan's Chinese terms with pinyin, English and the sections they appear "
        "in, and the terms of the book's methods.",
        sections=(),
        data=PLAN + ("data/plan/glossary.csv", "data/book/method_terms.csv"),
    ),
)


def get_chapter(name: str) -> Chapter:
    """Find a chapter by slug, number or notebook name.

    Raises
    ------
    InputError
        When no chapter matches; the message suggests the closest slug.
    """
    key = str(name).strip().lower()
    for chapter in CHAPTERS:
        if key in {chapter.slug, str(chapter.number), f"{chapter.number:02d}", chapter.stem}:
            return chapter
        if key == chapter.notebook:
            return chapter
    slugs = [c.slug for c in CHAPTERS]
    close = difflib.get_close_matches(key, slugs, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise InputError(
        f"unknown chapter {quoted(name, 40)}; {hint}valid chapters: "
        f"{', '.join(f'{c.number} {c.slug}' for c in CHAPTERS)} (see 'planbook list')"
    )
