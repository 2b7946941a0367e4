"""One-at-a-time sensitivity (models/sensitivity.py): ordering and values."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

from planbook.methods.models import sensitivity as S
from planbook.page.tornado import draw_tornado


def linear(values) -> float:
    return 3 * values["a"] + values["b"] + 0 * values["c"] - values["d"]


def test_tornado_orders_by_swing() -> None:
    table = S.tornado(linear, {"c": 1.0, "b": 1.0, "a": 1.0, "d": 1.0}, 0.5)
    # swings: a 3, b 1, d 1, c 0; b and d tie and keep the order of the base
    assert list(table["driver"]) == ["a", "b", "d", "c"]
    assert list(table["swing"]) == pytest.approx([3.0, 1.0, 1.0, 0.0])
    a = table.iloc[0]
    assert (a["low_value"], a["high_value"]) == (0.5, 1.5)
    assert (a["output_at_low"], a["output_at_high"], a["base_output"]) == (1.5, 4.5, 3.0)
    d = table.set_index("driver").loc["d"]
    assert d["output_at_low"] > d["output_at_high"]  # an input that lowers the output


def test_tornado_labels_default_to_names() -> None:
    table = S.tornado(linear, {"a": 1, "b": 1, "c": 1, "d": 1}, 0.1, labels={"a": "Alpha"})
    assert table.set_index("driver").loc["a", "label"] == "Alpha"
    assert table.set_index("driver").loc["b", "label"] == "b"


@pytest.mark.parametrize("rel_range", [0.0, 1.0, -0.2])
def test_tornado_refuses_bad_ranges(rel_range: float) -> None:
    with pytest.raises(ValueError, match="rel_range"):
        S.tornado(linear, {"a": 1, "b": 1, "c": 1, "d": 1}, rel_range)


def test_tornado_refuses_empty_base_and_nan_outputs() -> None:
    with pytest.raises(ValueError, match="at least one"):
        S.tornado(linear, {}, 0.1)
    with pytest.raises(ValueError, match="varying 'x'"):
        S.tornado(lambda v: math.nan if v["x"] > 1 else 1.0, {"x": 1.0}, 0.1)


def test_draw_tornado_draws_two_bars_per_driver() -> None:
    table = S.tornado(linear, {"a": 1, "b": 1, "c": 1, "d": 1}, 0.2)
    fig, ax = plt.subplots()
    draw_tornado(ax, table, low_colour="red", high_colour="blue")
    assert len(ax.patches) == 2 * len(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table["label"])
    plt.close(fig)
