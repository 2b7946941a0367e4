"""The arithmetic of plan 9.3's social-commerce figures: content-driven conversion against
the industry average, and the two readings of "higher by N times"."""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import pick, select


def content_traffic_share(
    content_conv: float, average_conv: float, gmv_share: float, aov_ratio: float = 1.0
) -> float:
    """Share of traffic that must be content-driven for it to bring ``gmv_share`` of GMV.

    The average conversion is taken over all traffic, content-driven included:
    ``average = s * content + (1 - s) * other``. Content-driven GMV is ``s * content *
    aov_ratio`` and the rest ``(1 - s) * other`` (order values relative to the rest), so

    ``s = g * average / (content * (aov_ratio * (1 - g) + g))``.

    All rates and shares are fractions. Raises ``ValueError`` when an input is out of range.
    """
    if not (0 < average_conv < content_conv <= 1):
        raise ValueError(
            f"need 0 < average ({average_conv}) < content conversion ({content_conv}) <= 1"
        )
    if not 0 < gmv_share < 1:
        raise ValueError(f"gmv_share is a fraction between 0 and 1, got {gmv_share}")
    if aov_ratio <= 0:
        raise ValueError(f"aov_ratio must be positive, got {aov_ratio}")
    return gmv_share * average_conv / (content_conv * (aov_ratio * (1 - gmv_share) + gmv_share))


def max_content_share(content_conv: float, average_conv: float) -> float:
    """Largest share of traffic converting at ``content_conv`` that an average allows.

    Above ``average / content`` the other traffic would need a negative conversion rate.
    """
    if not (0 < average_conv < content_conv):
        raise ValueError(f"need 0 < average ({average_conv}) < content ({content_conv})")
    return average_conv / content_conv


def content_conversion(claims: pd.DataFrame, aov_ratio: float = 1.0) -> dict[str, float]:
    """The arithmetic of plan 9.3's content-driven conversion against the industry average.

    Returns
    -------
    dict
        ``content``, ``average`` (percent), ``multiple``, ``difference_pp``,
        ``uplift_pct``, ``stated_multiple_6_4`` (the multiple plan 6.4 gives for the same
        comparison), ``community_gmv_share`` (percent, 9.3's target), ``traffic_share``
        (percent of traffic content-driven traffic would need to bring that share) and
        ``max_traffic_share`` (percent).
    """
    rates = select(claims, section="9.3", metric="content_conversion_rate")
    content = float(rates.loc[rates["kind"] == "case_study", "value"].iloc[0])
    average = float(rates.loc[rates["kind"] == "benchmark", "value"].iloc[0])
    stated = float(
        pick(claims, "6.4", "content_conversion_multiple_vs_industry", "current")["value"]
    )
    share = float(pick(claims, "9.3", "community_gmv_share", "unspecified")["value"])
    return {
        "content": content,
        "average": average,
        "multiple": content / average,
        "difference_pp": content - average,
        "uplift_pct": (content / average - 1) * 100,
        "stated_multiple_6_4": stated,
        "community_gmv_share": share,
        "traffic_share": 100
        * content_traffic_share(content / 100, average / 100, share / 100, aov_ratio),
        "max_traffic_share": 100 * max_content_share(content / 100, average / 100),
    }


def multiple_readings(value: float, multiple: float) -> dict[str, float]:
    """The two readings of "higher by N times" (高N倍): ``value / N`` and ``value / (N + 1)``.

    Chinese "比…高3倍" is read by some as "3 times as much" and by others as "3 times
    more" (4 times as much); the base the figure implies differs accordingly.
    """
    if multiple <= 0:
        raise ValueError(f"multiple must be positive, got {multiple}")
    return {"times_as_much": value / multiple, "times_more": value / (multiple + 1)}


__all__ = [
    "content_conversion",
    "content_traffic_share",
    "max_content_share",
    "multiple_readings",
]
