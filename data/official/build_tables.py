"""Build the tidy official-statistics tables in ``data/official/`` from the raw compilation.

Input: two verbatim copies in ``data/official/raw/`` (see ``RAW_FILES``):
``official_stats.csv`` (the project's compilation of official Chinese e-commerce
statistics, 655 rows; notes in ``official_stats.md``) and ``official_stats_additions.csv``
(31 rows found by a later provenance review: primary releases and official-media copies
that replace weak sources, new figures and conflicts; notes in
``official_stats_provenance.md``). Nothing outside this folder is read, and no number is
typed here: every value in the output is a raw value, at most converted to the table's
unit by moving the decimal point with exact decimal arithmetic (``UNIT_EXPONENT``).

Output: one CSV per table (see ``TABLES``), all with the columns of ``COLUMNS``. Every raw
row of a tabulated series becomes one output row; where several rows give a value for the
same key, exactly one is marked ``preferred=true`` and the others are kept as flagged
alternatives whose ``note`` says why they lost.

The choices live in four places, all below and all commented:

- ``SERIES_MAP`` / ``EXCLUDED_SERIES``: which raw series goes to which table, series and
  measure, and which raw series are left out (and why);
- default rules (functions ``default_status``, ``default_qualifier``, ``default_year``): the
  status, precision flag and year a row gets when no explicit rule names it;
- ``source_quality`` and the host lists it reads (``PRIMARY_HOSTS``,
  ``OFFICIAL_MEDIA_HOSTS``, ``SECONDARY_COPY_HOSTS``; every other source is ``weak``): how
  good the stored copy a row was read in is;
- ``RULES``: explicit, row-by-row decisions (preliminary figures, estimates, the plan
  baseline, definition breaks, stand-ins, demotions), each with the reason written into the
  row's ``note``. A rule that matches no raw row stops the build, so rules cannot go stale
  silently.

The preferred row of each key is the first after sorting the candidates by
``preference_key``: explicit rule, then status, then the conflict rule (the value carried
by the better source wins), then qualifier, then precision, then source quality, then the
order of the raw files.

Run from anywhere: ``python data/official/build_tables.py``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW_DIR = HERE / "raw"
RAW_FILES = ("official_stats.csv", "official_stats_additions.csv")
"""The raw inputs, in the order used to break the last ties (the compilation first)."""
RAW_LABEL = {"official_stats.csv": "raw", "official_stats_additions.csv": "additions"}
"""How a note names a row of each raw file: ``raw row 48``, ``additions row 5``."""

COLUMNS = (
    "series",
    "year",
    "period",
    "measure",
    "value",
    "unit",
    "status",
    "qualifier",
    "preferred",
    "source_quality",
    "single_source",
    "source_date",
    "source",
    "note",
    "raw_file",
    "raw_row",
)

# --------------------------------------------------------------------------------------
# Tables. ``key`` is the column that, with series and measure, identifies one observation:
# ``year`` for annual tables, ``period`` (YYYY-MM) for monthly and year-to-date tables.
# ``level_unit`` is the single unit of every ``level`` row of the table; growth rates and
# shares are always ``percent``.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One output table."""

    name: str
    key: str
    level_unit: str


TABLES = (
    Table("ecommerce_transaction_volume", "year", "trillion_yuan"),
    Table("online_retail_sales", "year", "trillion_yuan"),
    Table("physical_goods_online_retail", "year", "trillion_yuan"),
    Table("total_retail_sales", "year", "trillion_yuan"),
    Table("express_parcels", "year", "100m_parcels"),
    Table("online_shoppers", "year", "100m_persons"),
    Table("cross_border_ecommerce", "year", "trillion_yuan"),
    Table("total_retail_sales_monthly", "period", "trillion_yuan"),
    Table("online_retail_sales_ytd", "period", "trillion_yuan"),
    Table("cross_border_ecommerce_ytd", "period", "trillion_yuan"),
)

# raw series -> (table, series in the table, measure)
SERIES_MAP = {
    "ecommerce_transaction_volume": ("ecommerce_transaction_volume", None, "level"),
    "ecommerce_transaction_volume_yoy": ("ecommerce_transaction_volume", None, "yoy_pct"),
    "online_retail_sales": ("online_retail_sales", None, "level"),
    "online_retail_sales_yoy": ("online_retail_sales", None, "yoy_pct"),
    "physical_online_retail_sales": ("physical_goods_online_retail", None, "level"),
    "physical_online_retail_sales_yoy": ("physical_goods_online_retail", None, "yoy_pct"),
    "physical_online_share_of_retail": ("physical_goods_online_retail", None, "share_pct"),
    "total_retail_sales": ("total_retail_sales", None, "level"),
    "total_retail_sales_yoy": ("total_retail_sales", None, "yoy_pct"),
    "express_delivery_volume": ("express_parcels", None, "level"),
    "express_delivery_volume_yoy": ("express_parcels", None, "yoy_pct"),
    "online_shopping_users": ("online_shoppers", None, "level"),
    "cross_border_ecommerce_trade": ("cross_border_ecommerce", None, "level"),
    "cross_border_ecommerce_trade_yoy": ("cross_border_ecommerce", None, "yoy_pct"),
    "cross_border_ecommerce_export": (
        "cross_border_ecommerce",
        "cross_border_ecommerce_export",
        "level",
    ),
    "cross_border_ecommerce_import": (
        "cross_border_ecommerce",
        "cross_border_ecommerce_import",
        "level",
    ),
    "total_retail_sales_month": ("total_retail_sales_monthly", "total_retail_sales_month", "level"),
    "total_retail_sales_month_yoy": (
        "total_retail_sales_monthly",
        "total_retail_sales_month",
        "yoy_pct",
    ),
    "online_retail_sales_ytd": ("online_retail_sales_ytd", "online_retail_sales_ytd", "level"),
    "online_retail_sales_ytd_yoy": (
        "online_retail_sales_ytd",
        "online_retail_sales_ytd",
        "yoy_pct",
    ),
    "physical_online_retail_sales_ytd": (
        "online_retail_sales_ytd",
        "physical_goods_online_retail_ytd",
        "level",
    ),
    "physical_online_retail_sales_ytd_yoy": (
        "online_retail_sales_ytd",
        "physical_goods_online_retail_ytd",
        "yoy_pct",
    ),
    "physical_online_share_of_retail_ytd": (
        "online_retail_sales_ytd",
        "physical_goods_online_retail_ytd",
        "share_pct",
    ),
    "total_retail_sales_ytd": ("online_retail_sales_ytd", "total_retail_sales_ytd", "level"),
    "cross_border_ecommerce_trade_ytd": (
        "cross_border_ecommerce_ytd",
        "cross_border_ecommerce_ytd",
        "level",
    ),
}
# ``None`` as the series means: the series is named like its table.

# Raw series deliberately not tabulated. They stay in raw/official_stats.csv.
EXCLUDED_SERIES = {
    "double11_gmv_alibaba": "company disclosure (Alibaba), not an official statistic; the "
    "2020-2021 figures cover Nov 1-11, earlier ones a single day",
    "express_delivery_volume_ytd": "two scattered SPB year-to-date month-ends (2016-11, "
    "2020-02); too few for a series",
    "express_delivery_volume_month": "a single SPB single-month value (2025-12)",
}

UNIT_OF_RAW = {
    "100m_yuan": "100m_yuan",
    "billion_yuan": "billion_yuan",
    "trillion_yuan": "trillion_yuan",
    "100m_parcels": "100m_parcels",
    "100m_persons": "100m_persons",
    "million_persons": "million_persons",
    "pct": "percent",
}
# Unit conversions: (raw unit, table unit) -> the power of ten to multiply by, applied by
# moving the decimal point (Decimal.scaleb), so every published digit is kept and nothing
# is rounded:
#   亿元 (100m_yuan) -> 万亿元 (trillion_yuan): 10,000 亿元 = 1 trillion, 97590 -> 9.7590
#   billion_yuan -> trillion_yuan: 1,000 billion = 1 trillion, 15,522.5 -> 15.5225 (the NBS
#       English releases give billions with one decimal, i.e. 亿元 precision)
#   million_persons -> 亿人 (100m_persons): 100 million = 1 亿, 974 -> 9.74
# The English sources of the additions keep their published units; they are converted
# here, never by hand in the raw file.
UNIT_EXPONENT = {
    ("100m_yuan", "trillion_yuan"): -4,
    ("billion_yuan", "trillion_yuan"): -3,
    ("million_persons", "100m_persons"): -2,
}

# Raw series published by the NBS in 亿元 (100m_yuan); a trillion_yuan value of these
# series is always a rounded repeat (MOFCOM, press, secondary compilations).
NBS_100M_SERIES = {
    "online_retail_sales",
    "physical_online_retail_sales",
    "total_retail_sales",
    "total_retail_sales_month",
    "online_retail_sales_ytd",
    "physical_online_retail_sales_ytd",
    "total_retail_sales_ytd",
}

# Status: what kind of figure a row is, best first (used to rank candidates).
#   final          the agency's definitive published figure, or a faithful repeat of it
#   preliminary    a first announcement (SPB work conference, GAC initial count) that was or
#                  will be revised
#   secondary      found only in a secondary compilation or commentary, not in release text
#   estimate       an agency's estimate, forecast or loose bound, not a statistic
#   plan_baseline  a base-year figure quoted in a plan document
STATUS_RANK = ("final", "preliminary", "secondary", "estimate", "plan_baseline")

# Qualifier: how precise the number is, best first.
#   exact        the figure at the precision the agency publishes it
#   rounded      a rounded repeat (e.g. MOFCOM's 15.42 for the NBS 154264亿)
#   approx       "about" (约, 近, expected)
#   lower_bound  "more than" (超过, over): the true value is higher
QUALIFIER_RANK = ("exact", "rounded", "approx", "lower_bound")

# The one compiled secondary table in the raw file: a portfolio site's CSV that cites CNNIC
# and stats.gov.cn URLs but is not itself a release.
SECONDARY_COMPILATION = "linxiaoqing-resume-site"

# --------------------------------------------------------------------------------------
# Source quality: how good the stored copy is that a row was read in, best first. The
# class is decided by the host of the page's address (the first URL of a ``page ...``
# source); a GitHub file or a page excerpt without URL is always ``weak``, and so is every
# host not listed below.
#   primary         the releasing agency's own site or a government site publishing the
#                   release (stats.gov.cn, cnnic.com.cn, a *.gov.cn commerce bureau)
#   official_media  Chinese state media carrying the release: Xinhua, People's Daily (all
#                   language editions and its app), China Daily, CGTN, CRI, Global Times,
#                   China.org.cn (中国网), China News Service, SCIO, 人民政协报
#   secondary_copy  a news organisation, data provider or institution that reposts or
#                   reports the release (NetEase, Livedoor, MarketScreener, SCMP, ...)
#   weak            anything else: a page whose host has nothing to do with news (a shop,
#                   a company or an unrelated site wrapping the text: a spam-wrapped
#                   mirror), a synonym-spun copy, a forum, blog, aggregator or personal
#                   site, a GitHub file (a personal site, the résumé-site CSV, course notes,
#                   scripts, app fixtures), an excerpt without an address
# --------------------------------------------------------------------------------------
QUALITY_RANK = ("primary", "official_media", "secondary_copy", "weak")

PRIMARY_HOSTS = {
    "stats.gov.cn": "NBS (国家统计局), English press release",
    "cnnic.com.cn": "CNNIC's own site",
    "en.shangwuju.tj.gov.cn": "Tianjin commerce bureau (a government site) publishing the "
    "MOFCOM e-commerce department's release",
}
OFFICIAL_MEDIA_HOSTS = {
    "en.people.cn": "People's Daily Online (English)",
    "j.people.cn": "People's Daily Online (Japanese)",
    "j.people.com.cn": "People's Daily Online (Japanese)",
    "portuguese.people.cn": "People's Daily Online (Portuguese)",
    "peoplesdaily.pdnews.cn": "People's Daily app",
    "chinadaily.com.cn": "China Daily",
    "global.chinadaily.com.cn": "China Daily",
    "govt.chinadaily.com.cn": "China Daily",
    "ex.chinadaily.com.cn": "China Daily",
    "english.scio.gov.cn": "State Council Information Office (SCIO)",
    "news.cgtn.com": "CGTN",
    "big5.cri.cn": "China Radio International",
    "bulgarian.cri.cn": "China Radio International (Bulgarian)",
    "thai.cri.cn": "China Radio International (Thai)",
    "globaltimes.cn": "Global Times",
    "finance.china.com.cn": "China.org.cn (中国网)",
    "news.china.com.cn": "China.org.cn (中国网)",
    "chinanews.com": "China News Service (中新网)",
    "dzb.rmzxb.com.cn": "人民政协报 (the CPPCC's newspaper)",
}
SECONDARY_COPY_HOSTS = {
    "163.com": "NetEase news portal",
    "news.livedoor.com": "Livedoor News (Japanese news portal)",
    "marketscreener.com": "MarketScreener (financial news)",
    "chinainternetwatch.com": "China Internet Watch (data and news site)",
    "technode.com": "TechNode (technology news)",
    "news.mysteel.com": "Mysteel (industry news and data)",
    "news.metal.net.cn": "Asian Metal (industry news)",
    "s.askci.com": "中商产业研究院 (market research firm)",
    "biz.searchina.net": "Searchina (Japanese news on China)",
    "chinajusticeobserver.com": "China Justice Observer (legal news)",
    "thepaypers.com": "The Paypers (payments news)",
    "sputniknews.cn": "Sputnik (Russian state news agency, Chinese edition)",
    "fangchan.com": "中国房地产网 (real-estate news portal)",
    "m.fangchan.com": "中国房地产网 (real-estate news portal)",
    "finanz.dk": "Finanz.dk (Danish financial news)",
    "zougla.gr": "Zougla (Greek news)",
    "kt.kz": "Kazakhstanskaya Pravda (newspaper)",
    "edp.epsnet.com.cn": "EPS China Data (statistics data provider)",
    "the-sun.on.cc": "The Sun (Hong Kong newspaper)",
    "zhuanti.cww.net.cn": "通信世界网 (trade press)",
    "dezhoudaily.com": "德州日报 (local daily)",
    "m.takefoto.cn": "北京晚报 (Beijing Evening News)",
    "m-jingzhou.cjyun.org": "长江云 (Hubei provincial media platform)",
    "m.hxnews.com": "海峡网 (Fujian news portal)",
    "lib.zjsru.edu.cn": "Zhejiang Shuren University library",
    "vanguardngr.com": "Vanguard (Nigerian newspaper, Sputnik/NAN copy)",
    "thefinancialexpress.com.bd": "The Financial Express (Bangladeshi newspaper)",
    "scmp.com": "South China Morning Post",
    "antaranews.com": "ANTARA (Indonesian news agency, Xinhua copy)",
    "cloud.tencent.com": "Tencent Cloud news repost (Xinhua text)",
    "en.imsilkroad.com": "Silk Road information site (Xinhua text)",
}


def source_host(source: str) -> str:
    """The host of a ``page`` source's address (no ``www.``), or ``""`` for other sources.

    GitHub files quote release URLs they were not read at, so only ``page ...`` sources
    have a host.
    """
    if not source.startswith("page "):
        return ""
    match = re.search(r"https?://([^/\s)]+)", source)
    return match.group(1).lower().removeprefix("www.") if match else ""


def source_quality(source: str) -> str:
    """DEFAULT RULE: the quality class of a row's source (``QUALITY_RANK``), from its host.

    Parameters
    ----------
    source
        The raw ``source`` cell.

    Returns
    -------
    str
        ``primary``, ``official_media``, ``secondary_copy`` or ``weak``.
    """
    host = source_host(source)
    for quality, hosts in (
        ("primary", PRIMARY_HOSTS),
        ("official_media", OFFICIAL_MEDIA_HOSTS),
        ("secondary_copy", SECONDARY_COPY_HOSTS),
    ):
        if host in hosts:
            return quality
    return "weak"


_URL = re.compile(r"https?://[^\s)(;,，]+")


def copies_of(source: str) -> frozenset[str]:
    """The stored copies a ``source`` cell names, to count independent copies of a value.

    A ``page`` source names one copy per address it gives (the page, and pages given as
    "same text at ..."); any other source (a GitHub file, an excerpt without URL) is one
    copy, named by its index id, repository and path, or its text. Addresses that a
    GitHub file quotes are not copies: nothing was read there.
    """
    if source.startswith("page ") and _URL.search(source):
        urls = (u.rstrip("/.").split("://", 1)[1] for u in _URL.findall(source))
        return frozenset(u.removeprefix("www.") for u in urls)
    ident = re.search(r"\bid (\d+)", source)
    if ident:
        return frozenset({f"github id {ident.group(1)}"})
    return frozenset({source.split(" (")[0].strip()})


_DATE = re.compile(r"(?<![\d/])(20\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![\d/])")


def source_date(source: str) -> str:
    """The latest date the ``source`` cell states, ``YYYY-MM-DD`` or ``YYYY-MM``; ``""`` if none.

    Only dates written out in the description count (``2025-01-18``, ``2025-03``), not
    the digits of an address (``/202501/t20250124_...``) or a period named in a title
    (``Dec-2024``). A source's date is when the page (or the release it quotes) appeared;
    the latest over all rows is the tables' vintage ("data as of").
    """
    text = _URL.sub(" ", source)
    dates = ["-".join(p for p in m if p) for m in _DATE.findall(text)]
    return max(dates) if dates else ""


# --------------------------------------------------------------------------------------
# Explicit rules. Each names raw rows by (raw series, raw period, raw value as written) and
# may set: status, qualifier, prefer (+1 force preferred, -1 force alternative), year (for an
# annual table), series (to move the row to another series of the same table), and always a
# reason ``why`` that goes into the note of every row it matches.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """An explicit decision about one or more raw rows."""

    raw_series: str
    period: str
    value: str
    why: str
    status: str | None = None
    qualifier: str | None = None
    prefer: int = 0
    year: int | None = None
    series: str | None = None


PRE2014_EXPRESS = (
    "covers only above-designated-size (规模以上) express firms, as SPB counted before 2014"
)

RULES = (
    # ---- e-commerce transaction volume: 2013-2015 are not report figures ----
    Rule(
        "ecommerce_transaction_volume",
        "2013",
        "10",
        "MOFCOM estimate (测算) that 2013 exceeded 10 trn: a lower bound, not a report figure",
        status="estimate",
        qualifier="lower_bound",
    ),
    Rule(
        "ecommerce_transaction_volume",
        "2014",
        "13",
        "MOFCOM 'expected' figure announced in January 2015; no later report figure found",
        status="estimate",
        qualifier="approx",
    ),
    Rule(
        "ecommerce_transaction_volume_yoy",
        "2014",
        "25",
        "growth of the MOFCOM 'expected' 2014 figure",
        status="estimate",
        qualifier="approx",
    ),
    Rule(
        "ecommerce_transaction_volume",
        "2015",
        "21.8",
        "State Council 13th FYP informatization plan baseline; no NBS/MOFCOM report figure "
        "for 2015 found; growth to 2016 from this base is not an official rate",
        status="plan_baseline",
    ),
    Rule(
        "ecommerce_transaction_volume",
        "2015",
        "21.79",
        "the same State Council plan baseline, unrounded (21.79 for 21.8), in a saved copy of "
        "the plan text; not an NBS/MOFCOM report figure",
        status="plan_baseline",
    ),
    Rule(
        "ecommerce_transaction_volume",
        "2024",
        "464091",
        "NBS 2024 statistical communique figure (464091亿元) quoted in one GitHub script, the "
        "only copy found: verify against the communique; 2023 is missing and NBS states "
        "growth on a comparable basis, so no growth can be computed from the levels "
        "(breaks.csv: unverified)",
    ),
    Rule(
        "ecommerce_transaction_volume",
        "2017",
        "29.16",
        "the MOFCOM report text attributes the figure to NBS; another GitHub text attributes "
        "it to 中国电子商务研究中心",
    ),
    # ---- online retail (NBS 网上零售额) ----
    Rule(
        "online_retail_sales",
        "2013",
        "1.85",
        "MOFCOM estimate (约); NBS did not publish 网上零售额 before 2014, so 2013 is not on "
        "the NBS basis",
        status="estimate",
        qualifier="approx",
    ),
    Rule(
        "online_retail_sales",
        "2018",
        "9",
        "the only 2018 level found is MOFCOM's 'over 9 trillion': a LOWER BOUND kept as the "
        "2018 row, not a level; do not compute level growth from it (use the official +23.9%)",
        status="estimate",
        qualifier="lower_bound",
    ),
    Rule(
        "physical_online_retail_sales",
        "2016",
        "4.2",
        "MOFCOM '近4.2万亿元' (nearly): approximate",
        qualifier="approx",
    ),
    Rule(
        "physical_online_retail_sales",
        "2024",
        "127878",
        "NBS 2024 statistical communique figure (127878亿元) quoted in one GitHub script; "
        "CONFLICTS with the 13.08 trn of the NBS December-2024 release (Xinhua/China Daily), "
        "which goes with the +6.5% and the 26.8% share; decided by the conflict rule",
    ),
    Rule(
        "physical_online_retail_sales",
        "2018",
        "7",
        "MOFCOM 'seven trillion': the exact NBS 2018 level was not found",
        qualifier="rounded",
    ),
    # ---- express: preliminary (work conference) vs final; pre-2014 coverage ----
    Rule("express_delivery_volume", "2012", "57", PRE2014_EXPRESS),
    Rule("express_delivery_volume", "2012", "56.9", PRE2014_EXPRESS),
    Rule("express_delivery_volume_yoy", "2012", "55", PRE2014_EXPRESS),
    Rule(
        "express_delivery_volume",
        "2013",
        "92",
        "SPB work-conference figure announced January 2014; final 91.9 later; " + PRE2014_EXPRESS,
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume",
        "2013",
        "91.9",
        "final SPB figure via a machine-translated article; " + PRE2014_EXPRESS,
    ),
    Rule(
        "express_delivery_volume_yoy",
        "2013",
        "60",
        "work-conference growth, rounded; " + PRE2014_EXPRESS,
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume",
        "2014",
        "140",
        "SPB work-conference figure; the final 2014 figure was not found",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume",
        "2015",
        "206",
        "SPB work-conference figure; final 206.5",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume_yoy",
        "2015",
        "48",
        "SPB work-conference growth (the final release repeats 48 percent)",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume",
        "2016",
        "313.5",
        "SPB work-conference figure; the final 2016 communique figure was not found",
        status="preliminary",
    ),
    Rule(
        "express_delivery_volume",
        "2017",
        "400.7",
        "40.07 bn in an English mirror of People's Daily; 400.6 (MOFCOM report text) is kept "
        "as preferred, as in official_stats.md; the difference is rounding",
        prefer=-1,
    ),
    Rule(
        "express_delivery_volume",
        "2018",
        "507.1",
        "5071042.8万件 in the SPB table, read in a synonym-spun mirror of 人民网",
    ),
    Rule(
        "express_delivery_volume",
        "2019",
        "630",
        "SPB preliminary figure (January 2020), rounded; the final 2019 figure was not found",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume_yoy",
        "2019",
        "24",
        "SPB preliminary growth, rounded",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume",
        "2021",
        "1083",
        "the MOFCOM report calls it e-commerce express; it equals total express volume",
    ),
    Rule(
        "express_delivery_volume",
        "2023",
        "1320",
        "SPB work-conference figure (132 bn, +19.5%); final 1320.7 (+19.4%)",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume",
        "2024",
        "1745",
        "SPB work-conference figure (January 2025); final 1750.8",
        status="preliminary",
    ),
    Rule(
        "express_delivery_volume_yoy",
        "2024",
        "21",
        "growth announced with the preliminary 1745; the growth of the final 1750.8 was not "
        "found, so the preferred growth is preliminary and does not match the final levels",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume",
        "2025",
        "1990",
        "SPB work-conference figure (January 2026) and a commentary repeating it; final 1989.5",
        status="preliminary",
        qualifier="rounded",
    ),
    Rule(
        "express_delivery_volume_yoy",
        "2025",
        "13.7",
        "SPB work-conference growth; final 13.6",
        status="preliminary",
    ),
    Rule(
        "express_delivery_volume_yoy",
        "2025",
        "11.5",
        "MISATTRIBUTED: a MOFCOM text labels it express growth, but 11.5% is the growth of "
        "total postal business volume; never use it for express",
        status="secondary",
        prefer=-1,
    ),
    # ---- CNNIC online shoppers: year-end survey; stand-ins and interim surveys ----
    Rule(
        "online_shopping_users",
        "2020-03",
        "7.10",
        "CNNIC skipped the December 2019 survey; the March 2020 survey (CNNIC-45) stands in "
        "for year-end 2019",
        year=2019,
    ),
    Rule(
        "online_shopping_users",
        "2010-06",
        "1.4",
        "CNNIC mid-year (June) survey, not year-end",
        series="online_shoppers_interim",
    ),
    Rule(
        "online_shopping_users",
        "2012-09",
        "2.1",
        "SAIC (工商总局) figure for September 2012, not a CNNIC survey",
        series="online_shoppers_interim",
    ),
    Rule(
        "online_shopping_users",
        "2019-06",
        "6.39",
        "CNNIC mid-year (June) survey, not year-end",
        series="online_shoppers_interim",
    ),
    Rule(
        "online_shopping_users",
        "2023-06",
        "8.84",
        "CNNIC mid-year (June) survey, not year-end",
        series="online_shoppers_interim",
    ),
    Rule(
        "online_shopping_users",
        "2023-06",
        "884",
        "CNNIC mid-year (June) survey, not year-end (884 million)",
        series="online_shoppers_interim",
    ),
    Rule(
        "online_shopping_users",
        "2021-06",
        "8.12",
        "CNNIC mid-year (June) survey, not year-end",
        series="online_shoppers_interim",
    ),
    Rule(
        "online_shopping_users",
        "2025",
        "9.76",
        "人民日报 commentary (2026-03-01), period not stated; conflicts with the CNNIC-57 "
        "December 2025 figure",
        status="secondary",
        prefer=-1,
    ),
    Rule(
        "online_shopping_users",
        "2025-12",
        "9.37",
        "CNNIC-57 via the compiled secondary CSV, the only December 2025 figure; it is below "
        "December 2024, so check it before use (breaks.csv: unverified)",
    ),
    # ---- cross-border e-commerce: three definitions, GAC revisions ----
    Rule(
        "cross_border_ecommerce_trade",
        "2018",
        "0.1347",
        "customs cross-border e-commerce platform RETAIL only (134.7 bn yuan): a narrower "
        "definition; never splice onto the GAC full-scope series",
        series="cross_border_ecommerce_platform_retail",
    ),
    Rule(
        "cross_border_ecommerce_trade",
        "2019",
        "0.18621",
        "customs cross-border e-commerce platform RETAIL only (1862.1亿元): a narrower "
        "definition; never splice onto the GAC full-scope series",
        series="cross_border_ecommerce_platform_retail",
    ),
    Rule(
        "cross_border_ecommerce_trade_yoy",
        "2019",
        "38.3",
        "growth of the customs platform-retail figure, not of the full-scope series",
        series="cross_border_ecommerce_platform_retail",
    ),
    Rule(
        "cross_border_ecommerce_trade",
        "2018",
        "1.06",
        "GAC full-scope survey value for 2018, restated in 2024 when the survey series was "
        "published (the series proper starts in 2020; 2019 is missing)",
    ),
    Rule(
        "cross_border_ecommerce_trade",
        "2021",
        "1.92",
        "MOFCOM e-commerce report figure; the GAC full-scope 2021 value was not found, and "
        "GAC's later 2022 growth implies a different 2021 base",
    ),
    Rule(
        "cross_border_ecommerce_trade_yoy",
        "2021",
        "18.6",
        "MOFCOM e-commerce report growth; not necessarily on the GAC survey basis",
    ),
    Rule(
        "cross_border_ecommerce_trade",
        "2022",
        "2.11",
        "GAC preliminary count (January 2023); revised by the GAC survey to 2.1 (+7.1%)",
        status="preliminary",
    ),
    Rule(
        "cross_border_ecommerce_trade_yoy",
        "2022",
        "9.8",
        "GAC preliminary growth; revised to 7.1",
        status="preliminary",
    ),
    Rule(
        "cross_border_ecommerce_trade",
        "2024",
        "2.63",
        "GAC preliminary count; later cited as 2.71",
        status="preliminary",
    ),
    Rule(
        "cross_border_ecommerce_trade_yoy",
        "2024",
        "10.8",
        "growth of the GAC preliminary 2.63; the growth of the later 2.71 was not found, so "
        "the preferred growth does not match the preferred level",
        status="preliminary",
    ),
    Rule(
        "cross_border_ecommerce_trade",
        "2024",
        "2.71",
        "later figure (中国网 commentary, 2025-11) taken to supersede the GAC preliminary "
        "2.63; not confirmed in a GAC release",
        status="secondary",
        prefer=1,
    ),
    Rule(
        "cross_border_ecommerce_trade_ytd",
        "2024-06",
        "1.22",
        "GAC preliminary H1-2024 count (+10.5%); revised by the survey to 1.25 (+13%)",
        status="preliminary",
    ),
    Rule(
        "cross_border_ecommerce_trade_ytd",
        "2025-06",
        "1.32",
        "GAC preliminary H1-2025 estimate (约); the only 2025 cross-border figure",
        status="preliminary",
        qualifier="approx",
    ),
    Rule(
        "cross_border_ecommerce_trade_ytd",
        "2023-06",
        "1.1",
        "H1-2023, rounded to 0.1 trn",
        qualifier="rounded",
    ),
    # ---- year-to-date online retail: doubtful rows ----
    Rule(
        "online_retail_sales_ytd",
        "2024-05",
        "5.77",
        "MOFCOM Jan-May 2024; the +12.4% growth quoted with it is inconsistent with NBS "
        "Jan-Apr +11.5% and Jan-Jun +9.8%, so treat this row with caution",
    ),
    Rule(
        "online_retail_sales_ytd",
        "2023-11",
        "139571",
        "from an app test fixture; the year is inferred from magnitudes, verify",
        status="secondary",
    ),
    Rule(
        "online_retail_sales_ytd_yoy",
        "2023-11",
        "11.0",
        "from an app test fixture; the year is inferred from magnitudes, verify",
        status="secondary",
    ),
    Rule(
        "physical_online_retail_sales_ytd",
        "2023-11",
        "117709",
        "from an app test fixture; the year is inferred from magnitudes, verify",
        status="secondary",
    ),
    Rule(
        "physical_online_retail_sales_ytd_yoy",
        "2023-11",
        "8.3",
        "from an app test fixture; the year is inferred from magnitudes, verify",
        status="secondary",
    ),
    Rule(
        "physical_online_share_of_retail_ytd",
        "2023-11",
        "27.5",
        "from an app test fixture; the year is inferred from magnitudes, verify",
        status="secondary",
    ),
)


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One output row before selection, with what the selection needs."""

    table: str
    series: str
    year: int
    period: str
    measure: str
    value: Decimal
    unit: str
    status: str
    qualifier: str
    prefer: int
    quality: str
    copies: frozenset[str]
    source_date: str
    source: str
    why: str
    raw_notes: str
    raw_file: str
    raw_row: int
    preferred: bool = False
    single_source: bool = True
    best_quality: str = "weak"
    selection: str = ""


def read_raw(path: Path) -> list[dict[str, str]]:
    """Read a raw file as a list of dicts, adding ``raw_file`` and ``raw_row`` (header = 1).

    Parameters
    ----------
    path
        The raw CSV.

    Returns
    -------
    list of dict
        One dict per data row, every value a string.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for i, record in enumerate(reader):
            record = dict(record)
            record["raw_file"] = path.name
            record["raw_row"] = str(i + 2)
            rows.append(record)
    return rows


def read_all(raw_dir: Path) -> list[dict[str, str]]:
    """Every row of every file of ``RAW_FILES`` under ``raw_dir``, in file order."""
    return [record for name in RAW_FILES for record in read_raw(raw_dir / name)]


def default_status(record: dict[str, str]) -> str:
    """DEFAULT RULE: a row of the compiled secondary CSV is ``secondary``, others ``final``.

    Parameters
    ----------
    record
        A raw row.

    Returns
    -------
    str
        The status when no explicit rule sets one.
    """
    return "secondary" if SECONDARY_COMPILATION in record["source"] else "final"


def default_qualifier(record: dict[str, str]) -> str:
    """DEFAULT RULE: rounded repeats of NBS 亿元 series and rows the compiler marked rounded.

    For a series the NBS publishes in 亿元, the unit decides: a ``trillion_yuan`` value is a
    rounded repeat, a ``100m_yuan`` or ``billion_yuan`` value (one decimal: 亿元 precision)
    is exact. For other series, a row is rounded when a clause of the compiler's note starts
    with "rounded" or "approximate" (e.g. "preliminary, rounded"); all others are exact.

    Parameters
    ----------
    record
        A raw row.

    Returns
    -------
    str
        The qualifier when no explicit rule sets one.
    """
    if record["series"] in NBS_100M_SERIES:
        return "rounded" if record["unit"] == "trillion_yuan" else "exact"
    clauses = re.split(r"[;,]", record["notes"])
    if any(re.match(r"\s*(rounded|approximate)\b", c) for c in clauses):
        return "rounded"
    return "exact"


def convert(value: str, raw_unit: str, level_unit: str, measure: str) -> tuple[Decimal, str]:
    """Convert a raw value to the table's unit with exact decimal arithmetic.

    Parameters
    ----------
    value
        The raw value as written.
    raw_unit
        The raw unit.
    level_unit
        The unit of the table's levels.
    measure
        ``level``, ``yoy_pct`` or ``share_pct``.

    Returns
    -------
    tuple of (Decimal, str)
        The value and its unit (``UNIT_EXPONENT`` says how far the point moves).
    """
    unit = UNIT_OF_RAW[raw_unit]
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"raw value {value!r} is not a finite number")
    if measure != "level":
        if unit != "percent":
            raise ValueError(f"{measure} value in {unit}")
        return number, unit
    if unit == level_unit:
        return number, unit
    if (unit, level_unit) in UNIT_EXPONENT:
        return number.scaleb(UNIT_EXPONENT[(unit, level_unit)]), level_unit
    raise ValueError(f"cannot convert {unit} to {level_unit}")


def default_year(period: str, table: Table, raw_series: str, moved: bool) -> int:
    """DEFAULT RULE: the year of a period; annual series take only ``YYYY`` or ``YYYY-12``.

    Any other month in the main series of an annual table needs an explicit rule: a stand-in
    year, or a move to a side series (such as ``online_shoppers_interim``).

    Parameters
    ----------
    period
        The raw period.
    table
        The output table.
    raw_series
        The raw series (for the error message).
    moved
        True when an explicit rule moved the row to a side series of the table.

    Returns
    -------
    int
        The year.
    """
    year = int(period[:4])
    sub_annual = len(period) == 7 and not period.endswith("-12")
    if table.key == "year" and sub_annual and not moved:
        raise ValueError(f"{raw_series} {period}: sub-annual period in an annual table, no rule")
    return year


def match_rules(rules: tuple[Rule, ...], record: dict[str, str]) -> list[Rule]:
    """Return the rules naming a raw row."""
    return [
        r
        for r in rules
        if (r.raw_series, r.period, r.value)
        == (record["series"], record["period"], record["value"])
    ]


def to_row(record: dict[str, str], rules: tuple[Rule, ...]) -> Row | None:
    """Turn a raw row into an output row, applying the default and explicit rules.

    Parameters
    ----------
    record
        A raw row.
    rules
        The explicit rules.

    Returns
    -------
    Row or None
        ``None`` for rows of an excluded series.
    """
    if record["series"] in EXCLUDED_SERIES:
        return None
    table_name, series, measure = SERIES_MAP[record["series"]]
    table = next(t for t in TABLES if t.name == table_name)
    value, unit = convert(record["value"], record["unit"], table.level_unit, measure)
    status, qualifier, prefer = default_status(record), default_qualifier(record), 0
    series = series or table_name
    year, whys = None, []
    for rule in match_rules(rules, record):
        status = rule.status or status
        qualifier = rule.qualifier or qualifier
        prefer = rule.prefer or prefer
        series = rule.series or series
        year = rule.year if rule.year is not None else year
        whys.append(rule.why)
    if year is None:
        moved = series != (SERIES_MAP[record["series"]][1] or table_name)
        year = default_year(record["period"], table, record["series"], moved)
    return Row(
        table=table_name,
        series=series,
        year=year,
        period=record["period"],
        measure=measure,
        value=value,
        unit=unit,
        status=status,
        qualifier=qualifier,
        prefer=prefer,
        quality=source_quality(record["source"]),
        copies=copies_of(record["source"]),
        source_date=source_date(record["source"]),
        source=record["source"],
        why="; ".join(whys),
        raw_notes=record["notes"],
        raw_file=record["raw_file"],
        raw_row=int(record["raw_row"]),
    )


def decimals(value: Decimal) -> int:
    """Significant decimal places of a value (4.0 and 4 have none, 9.7590 has three).

    Trailing zeros do not count: numerically equal values are one value, whatever digits
    a source prints, so among its copies the better source decides (not the zeros).
    """
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agrees(a: Decimal, b: Decimal) -> bool:
    """True when two values are the same figure: equal, or one is the other rounded.

    ``15.43`` agrees with ``15.4264`` (rounded half up to two places); ``15.42`` does not
    (a truncation, or another figure).
    """
    if a == b:
        return True
    coarse, fine = (a, b) if decimals(a) <= decimals(b) else (b, a)
    step = Decimal(1).scaleb(-decimals(coarse))
    return fine.quantize(step, rounding=ROUND_HALF_UP) == coarse


def with_support(rows: list[Row]) -> list[Row]:
    """Set, for the candidates of one key, what the copies of each row's value say.

    ``best_quality``: the best source quality among the rows whose value agrees with this
    row's (:func:`agrees`; the row itself included), i.e. the best copy of the figure.
    ``single_source``: true when those rows name one stored copy in all (:func:`copies_of`).
    """
    out = []
    for row in rows:
        carriers = [r for r in rows if agrees(r.value, row.value)]
        copies = frozenset().union(*(r.copies for r in carriers))
        best = min((r.quality for r in carriers), key=QUALITY_RANK.index)
        out.append(replace(row, single_source=len(copies) == 1, best_quality=best))
    return out


def preference_key(row: Row) -> tuple:
    """Sort key of the candidates of one key: the smallest is preferred.

    1. an explicit rule forcing the row in (+1) or out (-1);
    2. status, in the order of ``STATUS_RANK`` (final first);
    3. CONFLICT RULE: the best source quality among the copies of the row's value
       (``best_quality``): where sources disagree beyond rounding, the figure carried by the
       better source wins (a primary release beats an official-media copy, which beats a
       secondary copy, which beats a weak one); rounded repeats support the figure they
       round, so they never make a conflict;
    4. qualifier, in the order of ``QUALIFIER_RANK`` (exact first);
    5. precision: more significant decimal places first (15.4264 beats 15.43);
    6. source quality of the row itself: of two copies of the same figure, the better
       source is preferred and the other kept as an alternative (a replaced source);
    7. order in the raw files (``RAW_FILES``), then in the file.
    """
    return (
        -row.prefer,
        STATUS_RANK.index(row.status),
        QUALITY_RANK.index(row.best_quality),
        QUALIFIER_RANK.index(row.qualifier),
        -decimals(row.value),
        QUALITY_RANK.index(row.quality),
        (RAW_FILES.index(row.raw_file), row.raw_row),
    )


REASONS = (
    "set by an explicit rule",
    "status {loser} (preferred row is {winner})",
    "conflicting value: its best copy is {loser}, the preferred value's best copy is {winner}",
    "{loser} figure (preferred row is {winner})",
    "less precise",
    "weaker copy: source {loser} (preferred row's source is {winner}); replaced by a better copy",
    "same standing, later in the raw files",
)


def ref(row: Row) -> str:
    """How a note names a row: ``raw row 48`` or ``additions row 5``."""
    return f"{RAW_LABEL[row.raw_file]} row {row.raw_row}"


def explain(winner: Row, loser: Row) -> str:
    """Say why ``loser`` is an alternative to ``winner``."""
    wk, lk = preference_key(winner), preference_key(loser)
    step = next(i for i, (a, b) in enumerate(zip(wk, lk, strict=True)) if a != b)
    pairs = {
        1: (loser.status, winner.status),
        2: (loser.best_quality, winner.best_quality),
        3: (loser.qualifier, winner.qualifier),
        5: (loser.quality, winner.quality),
    }
    reason = REASONS[step]
    if step in pairs:
        reason = reason.format(loser=pairs[step][0], winner=pairs[step][1])
    same = "same value; confirms the preferred row" if loser.value == winner.value else ""
    head = f"alternative to {ref(winner)} ({fmt(winner.value)}): {reason}"
    return f"{head}; {same}" if same else head


def select(rows: list[Row], table: Table) -> list[Row]:
    """Mark exactly one preferred row per key and write the selection reason of each row.

    Parameters
    ----------
    rows
        The rows of one table.
    table
        The table (its key column).

    Returns
    -------
    list of Row
        The same rows with ``preferred``, ``single_source``, ``best_quality`` and
        ``selection`` set.
    """
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row.series, getattr(row, table.key), row.measure)].append(row)
    out = []
    for members in groups.values():
        ranked = sorted(with_support(members), key=preference_key)
        winner = ranked[0]
        if len(ranked) == 1:
            out.append(replace(winner, preferred=True, selection="only value found"))
            continue
        n = len(ranked) - 1
        others = "alternative" if n == 1 else "alternatives"
        out.append(replace(winner, preferred=True, selection=f"preferred over {n} {others}"))
        out.extend(replace(r, selection=explain(winner, r)) for r in ranked[1:])
    return out


def fmt(value: Decimal) -> str:
    """Plain decimal notation with the published digits (trailing zeros kept)."""
    return format(value, "f")


MEASURE_ORDER = ("level", "yoy_pct", "share_pct")


def row_order(row: Row, table: Table) -> tuple:
    """Output order: series, measure, key, preferred row first, raw order."""
    return (
        row.series != table.name,
        row.series,
        MEASURE_ORDER.index(row.measure),
        getattr(row, table.key),
        not row.preferred,
        RAW_FILES.index(row.raw_file),
        row.raw_row,
    )


def note_of(row: Row) -> str:
    """The ``note`` column: selection reason, rule reasons, the compiler's note."""
    parts = [row.selection, row.why]
    if row.raw_notes:
        parts.append(f"compiler: {row.raw_notes}")
    return "; ".join(p for p in parts if p)


def record_of(row: Row) -> dict[str, str]:
    """The output CSV record of a row."""
    return {
        "series": row.series,
        "year": str(row.year),
        "period": row.period,
        "measure": row.measure,
        "value": fmt(row.value),
        "unit": row.unit,
        "status": row.status,
        "qualifier": row.qualifier,
        "preferred": "true" if row.preferred else "false",
        "source_quality": row.quality,
        "single_source": "true" if row.single_source else "false",
        "source_date": row.source_date,
        "source": row.source,
        "note": note_of(row),
        "raw_file": row.raw_file,
        "raw_row": str(row.raw_row),
    }


def check_rules_used(rules: tuple[Rule, ...], records: list[dict[str, str]]) -> None:
    """Stop if a rule names no raw row (the raw file changed, or a typo)."""
    for rule in rules:
        if not any(match_rules((rule,), r) for r in records):
            raise ValueError(
                f"rule matches no raw row: {rule.raw_series} {rule.period} {rule.value}"
            )


def check_hosts_used(records: list[dict[str, str]]) -> None:
    """Stop if a listed host is the host of no raw row (a typo, or a stale entry)."""
    used = {source_host(r["source"]) for r in records}
    for hosts in (PRIMARY_HOSTS, OFFICIAL_MEDIA_HOSTS, SECONDARY_COPY_HOSTS):
        stale = sorted(set(hosts) - used)
        if stale:
            raise ValueError(f"source hosts listed but used by no raw row: {stale}")


def check_series_known(records: list[dict[str, str]]) -> None:
    """Stop if a raw series is neither mapped nor excluded."""
    unknown = {r["series"] for r in records} - set(SERIES_MAP) - set(EXCLUDED_SERIES)
    if unknown:
        raise ValueError(f"raw series neither mapped nor excluded: {sorted(unknown)}")


def build(raw_dir: Path, out_dir: Path) -> dict[str, int]:
    """Build every table from the raw files and write it to ``out_dir``.

    Parameters
    ----------
    raw_dir
        The folder holding the raw files (``RAW_FILES``).
    out_dir
        Where the tables go (one ``<table>.csv`` each).

    Returns
    -------
    dict
        Rows written per table.
    """
    records = read_all(raw_dir)
    check_series_known(records)
    check_rules_used(RULES, records)
    check_hosts_used(records)
    rows = [r for r in (to_row(rec, RULES) for rec in records) if r is not None]
    counts = {}
    for table in TABLES:
        selected = select([r for r in rows if r.table == table.name], table)
        selected.sort(key=lambda r, t=table: row_order(r, t))
        path = out_dir / f"{table.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(record_of(r) for r in selected)
        counts[table.name] = len(selected)
    return counts


def main() -> None:
    """Build the tables next to this script and print the row counts."""
    counts = build(RAW_DIR, HERE)
    for name, n in counts.items():
        print(f"{name}.csv: {n} rows")
    excluded = sum(1 for r in read_all(RAW_DIR) if r["series"] in EXCLUDED_SERIES)
    print(f"tabulated {sum(counts.values())} raw rows; {excluded} rows of excluded series")


if __name__ == "__main__":
    main()
