"""The audit's findings as a styled table for a notebook page."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.methods.audit.findings import COLUMNS
from planbook.methods.audit.wording import fmt_num
from planbook.page.escape import ESCAPE, styled

VIEW_COLUMNS: tuple[str, ...] = ("sections", "rule", "scope", "verdict", "severity", "detail")
"""The columns :func:`findings_view` shows by default: the detail holds the arithmetic, so
the stated and recomputed figures need no columns of their own on a narrow page; the scope
says what the figures measure (industry, the plan's firm, a segment, channel or service)."""


def findings_view(df: pd.DataFrame, columns: Sequence[str] | None = None) -> Styler:
    """A styled table of findings for a notebook page.

    Parameters
    ----------
    df
        Findings (rows of :func:`planbook.methods.audit.run_audit` or
        :func:`~planbook.methods.audit.chapter_findings`).
    columns
        Columns to show, in order; default :data:`VIEW_COLUMNS`. Numbers (``stated``,
        ``recomputed``, ``difference``) are shown rounded, without trailing zeros.

    Returns
    -------
    pandas.io.formats.style.Styler
        No index, verdicts coloured, the detail column given most of the width; text
        (the detail quotes the claims' notes) HTML-escaped.
    """

    def fmt(x: float) -> str:
        return "" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt_num(x)

    colours = {
        "inconsistent": "color: #c0392b; font-weight: bold",
        "unverifiable": "color: #7f8c8d",
        "within rounding": "color: #1e8449",
        "within tolerance": "color: #b9770e",
        "different scope": "color: #2874a6",
        "consistent": "color: #1e8449",
    }
    wanted = list(columns) if columns is not None else list(VIEW_COLUMNS)
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise KeyError(
            f"findings have no column(s) {', '.join(missing)}; known: {', '.join(COLUMNS)}"
        )
    view = df.loc[:, wanted].reset_index(drop=True)
    if "rule" in wanted:  # "competing targets" wraps between words on a narrow page
        view["rule"] = view["rule"].str.replace("_", " ")
    if "scope" in wanted:
        view["scope"] = view["scope"].str.replace("_", " ")
    styler = styled(view).format(
        {c: fmt for c in ("stated", "recomputed", "difference") if c in wanted}, escape=ESCAPE
    )
    if "verdict" in wanted:
        styler = styler.map(lambda v: colours.get(v, ""), subset=["verdict"])
    styles = [
        {"selector": "", "props": [("font-size", "0.85em"), ("width", "100%")]},
        {"selector": "th", "props": [("text-align", "left")]},
        {"selector": "td", "props": [("vertical-align", "top"), ("padding", "0.2em 0.5em")]},
    ]
    if "detail" in wanted:
        k = wanted.index("detail")
        styles.append(
            {"selector": f"td.col{k}", "props": [("min-width", "18em"), ("white-space", "normal")]}
        )
    if "rule" in wanted:
        k = wanted.index("rule")
        styles.append({"selector": f"td.col{k}", "props": [("min-width", "7em")]})
    if "scope" in wanted:
        k = wanted.index("scope")
        styles.append({"selector": f"td.col{k}", "props": [("max-width", "9em")]})
    return styler.set_properties(**{"text-align": "left"}).set_table_styles(styles)
