"""Availability and recovery: downtime budgets, outages that fit, expected outage loss."""

from __future__ import annotations

import pytest

from planbook.methods.models import availability as AV


def test_downtime_by_hand() -> None:
    assert AV.HOURS_PER_YEAR == 8760
    assert AV.downtime_hours(99.99) == pytest.approx(0.876)
    assert AV.downtime_hours(99.9) * 60 == pytest.approx(525.6)
    assert AV.downtime_hours(100) == 0.0
    assert AV.downtime_hours(0) == 8760


def test_availability_from_outages() -> None:
    assert AV.availability_pct(0.5, 4) == pytest.approx((1 - 2 / 8760) * 100)
    assert AV.availability_pct(0, 4) == 100.0
    with pytest.raises(ValueError, match="do not fit"):
        AV.availability_pct(3000, 4)


def test_outages_that_fit_a_target() -> None:
    assert AV.max_outages(99.99, 0.5) == pytest.approx(1.752)
    assert AV.max_outages(99.99, 4) == pytest.approx(0.219)
    # round trip: that many outages give exactly the target
    n = AV.max_outages(99.95, 2)
    assert AV.availability_pct(n, 2) == pytest.approx(99.95)
    with pytest.raises(ValueError, match="recovery time must be positive"):
        AV.max_outages(99.99, 0)


def test_loss_rate_and_expected_loss() -> None:
    assert AV.loss_rate(300, 4) == 75.0
    assert AV.expected_loss(0.5, 4, 75) == 150.0
    assert AV.expected_loss(0.5, 0.5, 75) == 18.75
    with pytest.raises(ValueError, match="duration"):
        AV.loss_rate(300, 0)
    with pytest.raises(ValueError, match="loss rate"):
        AV.expected_loss(1, 1, -5)


@pytest.mark.parametrize("bad", [-1, 100.5])
def test_availability_must_be_a_percentage(bad: float) -> None:
    with pytest.raises(ValueError, match="percentage"):
        AV.downtime_hours(bad)


def test_downtime_table() -> None:
    table = AV.downtime_table((99.0, 99.99), rate_per_hour=75.0)
    assert list(table.columns) == [
        "availability_pct",
        "downtime_hours",
        "downtime_minutes",
        "loss_at_rate",
    ]
    assert table["downtime_minutes"].iloc[1] == pytest.approx(52.56)
    assert table["loss_at_rate"].iloc[0] == pytest.approx(87.6 * 75)
    assert "loss_at_rate" not in AV.downtime_table().columns
