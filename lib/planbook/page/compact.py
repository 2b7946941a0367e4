"""Compact tables: small type, long text given room where asked, never wider than the page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.page.escape import ESCAPE, styled
from planbook.page.escape import caption as escaped


def compact(
    frame: pd.DataFrame,
    caption: str | None = None,
    wrap: Sequence[str] = (),
    formats: Mapping[str, str] | None = None,
) -> Styler:
    """A small-type table for the page: no index, long words wrapped so that the
    table fits the page, the ``wrap`` columns given room (long text), optional caption
    and number formats."""
    styler = styled(frame).set_table_styles(
        [
            {
                "selector": "td, th",
                "props": "font-size: 0.85em; padding: 0.1em 0.6em; overflow-wrap: anywhere;",
            }
        ]
    )
    if wrap:
        styler = styler.set_properties(
            subset=list(wrap), **{"white-space": "normal", "min-width": "18em"}
        )
    if formats:
        styler = styler.format(dict(formats), na_rep="", escape=ESCAPE)
    if caption:
        styler = styler.set_caption(escaped(caption))
    return styler


__all__ = ["compact"]
