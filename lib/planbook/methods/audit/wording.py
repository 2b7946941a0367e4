"""How the audit writes figures: numbers, units, distances, metric names, section keys."""

from __future__ import annotations

import math
import re

_IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def section_key(section: str) -> tuple[int, int]:
    """A section number as a sort key: ``"8.1"`` -> ``(8, 1)``."""
    major, minor = str(section).split(".")
    return int(major), int(minor)


def plain_words(text: str) -> str:
    """``text`` with the claims table's identifiers (``fast_fashion_overstock``,
    ``case_study``) written as words, as a reader sees them on the page."""
    return _IDENTIFIER.sub(lambda m: m.group(0).replace("_", " "), str(text))


def fmt_num(x: float) -> str:
    """A number as the audit writes it: at most two decimals, no trailing zeros."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if math.isinf(x):
        return "no limit"
    if x != 0 and abs(x) < 0.1:
        return f"{x:.3g}"
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_UNIT_WORDS = {
    "trillion_yuan": " trillion yuan",
    "100m_yuan": " hundred million yuan",
    "10k_yuan": " ten thousand yuan",
    "yuan": " yuan",
    "yuan_per_user": " yuan per user",
    "100m_usd": " hundred million USD",
    "10k_eur": " ten thousand EUR",
    "percent": "%",
    "percentage_points": " points",
    "km_per_hour": " km/h",
    "times": " times",
    "times_per_year": " times a year",
    "10k_count": " ten thousand",
    "100m_count": " hundred million",
    "count": "",
    "index": "",
    "ratio": "",
    "score": " points of 100",
}


def fmt_value(x: float, unit: str) -> str:
    """A number with its unit in words: ``fmt_value(8, "100m_count")`` -> "8 hundred million"."""
    return fmt_num(x) + _UNIT_WORDS.get(unit, f" {unit}")


def fmt_apart(gap: float, unit: str) -> str:
    """A distance between two figures in words: "5 points", "30 days", "1 year"."""
    word = {"percent": " points", "percentage_points": " points"}.get(
        unit, _UNIT_WORDS.get(unit, f" {unit}")
    )
    if gap == 1 and word.endswith("s") and unit in ("years", "months", "days", "weeks"):
        word = word[:-1]
    return f"{fmt_num(gap)}{word} apart"


_ACRONYMS = {
    "ai": "AI",
    "b2c": "B2C",
    "c2m": "C2M",
    "cagr": "CAGR",
    "ecommerce": "e-commerce",
    "ctr": "CTR",
    "gmv": "GMV",
    "hhi": "HHI",
    "ip": "IP",
    "mau": "MAU",
    "mcn": "MCN",
    "rnd": "R&D",
    "roas": "ROAS",
    "roe": "ROE",
    "roi": "ROI",
    "sku": "SKU",
    "sme": "SME",
}


def metric_label(metric: str) -> str:
    """A metric name in words: ``rnd_team_size`` -> "R&D team size"."""
    return " ".join(_ACRONYMS.get(w, w) for w in metric.split("_"))
