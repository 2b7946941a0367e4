"""What plan chapter 9 holds and leaves out: its sections' state in the source, and its
figures next to the same metrics elsewhere in the plan."""

from __future__ import annotations

import re

import pandas as pd

from planbook.data.plan import select
from planbook.data.text import listing

CHAPTER = 9
"""The plan chapter this page reproduces."""


def section_states(
    claims: pd.DataFrame, sections: pd.DataFrame, chapter: int = CHAPTER
) -> pd.DataFrame:
    """The chapter's sections with their state in the source and how many figures each holds.

    Returns
    -------
    pandas.DataFrame
        ``section``, ``title_en``, ``state`` (full, empty, cut, missing), ``note``,
        ``n_claims``.
    """
    secs = sections[sections["chapter"] == chapter].copy()
    counts = select(claims, chapter=chapter)["section"].value_counts()
    secs["n_claims"] = secs["section"].map(counts).fillna(0).astype(int)
    return secs[["section", "title_en", "state", "note", "n_claims"]].reset_index(drop=True)


def incomplete(sections: pd.DataFrame, chapter: int = CHAPTER) -> pd.DataFrame:
    """The chapter's sections that are not complete in the source (state other than full)."""
    secs = sections[(sections["chapter"] == chapter) & (sections["state"] != "full")]
    return secs[["section", "title_en", "state", "note"]].reset_index(drop=True)


def sections_in_state(sections: pd.DataFrame, state: str, chapter: int = CHAPTER) -> str:
    """The sections of a chapter in a given state, as text (``"9.1"``, ``"9.1 and 9.2"``)."""
    found = sections.loc[(sections["chapter"] == chapter) & (sections["state"] == state), "section"]
    return listing(found)


def related_figures(
    claims: pd.DataFrame, pattern: str, exclude_chapter: int | None = CHAPTER
) -> pd.DataFrame:
    """Claims elsewhere in the plan whose metric matches a regular expression.

    Used to show what an empty or cut section would have drawn on (AI figures for 9.1,
    cross-border figures for 9.4).
    """
    mask = claims["metric"].str.contains(pattern, flags=re.IGNORECASE, regex=True)
    if exclude_chapter is not None:
        mask &= claims["chapter"] != exclude_chapter
    return claims[mask].reset_index(drop=True)


def same_metric_elsewhere(claims: pd.DataFrame, chapter: int = CHAPTER) -> pd.DataFrame:
    """Every figure of the chapter next to the figures with the same metric in other chapters.

    Returns
    -------
    pandas.DataFrame
        ``metric``, ``id``, ``entity``, ``kind``, ``value``, ``unit``, ``period`` of the
        chapter's figure and ``other_id``, ``other_entity``, ``other_kind``,
        ``other_value``, ``other_period``, ``same_value``.
    """
    own = select(claims, chapter=chapter)
    other = claims[(claims["chapter"] != chapter) & claims["metric"].isin(own["metric"])]
    cols = ["id", "metric", "entity", "kind", "value", "unit", "period"]
    merged = own[cols].merge(other[cols], on="metric", suffixes=("", "_o"))
    merged = merged.rename(columns={f"{c}_o": f"other_{c}" for c in cols if c != "metric"})
    merged["same_value"] = (merged["value"] == merged["other_value"]) & (
        merged["unit"] == merged["other_unit"]
    )
    return merged.drop(columns="other_unit").reset_index(drop=True)


__all__ = [
    "CHAPTER",
    "incomplete",
    "related_figures",
    "same_metric_elsewhere",
    "section_states",
    "sections_in_state",
]
