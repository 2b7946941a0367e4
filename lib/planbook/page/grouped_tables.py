"""One table per group of rows, each under a caption, with fixed column widths."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.page.escape import caption, styled


def grouped_tables(
    frame: pd.DataFrame, widths: Mapping[str, str], noun: str = "rows"
) -> list[Styler]:
    """A styled table per value of the first index level, captioned ``"group (n noun)"``.

    Parameters
    ----------
    frame
        Rows indexed by (group, anything); groups are shown in order of appearance.
    widths
        Column -> CSS width (``"12%"``); the tables use a fixed layout at full width.
    noun
        What a row is, in the caption (``"terms"``).
    """
    layout = [
        {
            "selector": "",
            "props": "table-layout: fixed; width: 100%; font-size: 0.9em; overflow-wrap: anywhere;",
        }
    ]
    layout += [
        {"selector": f"th.col{i}", "props": f"width: {widths[c]};"}
        for i, c in enumerate(frame.columns)
    ]
    return [
        styled(part.droplevel(0))
        .set_table_styles(layout)
        .set_caption(caption(f"{group} ({len(part)} {noun})"))
        for group, part in frame.groupby(level=0, sort=False)
    ]


__all__ = ["grouped_tables"]
