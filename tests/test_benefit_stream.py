"""The shared benefit stream (models/benefit_stream.py) on hand-computed drivers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planbook.data import plan as D
from planbook.engine.params import BenefitsParams, ResourcesParams
from planbook.methods.models import benefit_stream as BS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


def toy(**changes: float) -> BS.Drivers:
    values = dict(
        scope="firm",
        gmv=100.0,
        logistics_cut_pp=5.0,
        commission_cut_pp=3.0,
        cac_from=200.0,
        cac_cut=50.0,
        acquisition_spend=10.0,
        turns_from=4.0,
        turns_to=8.0,
        gross_margin_pct=20.0,
        carrying_cost_pct=10.0,
        claim_ids={},
    )
    values.update(changes)
    return BS.Drivers(**values)


def test_component_values_hand_computed() -> None:
    values = BS.component_values(toy())
    assert values["logistics"] == pytest.approx(100 * 0.05)
    assert values["acquisition"] == pytest.approx(10 * 50 / 200)
    # stock: 100 * 0.8 = 80 of goods; 80/4 - 80/8 = 10 less stock; 10% of it a year
    assert values["inventory"] == pytest.approx(1.0)
    assert values["commission"] == pytest.approx(3.0)


def test_annual_benefit_counts_the_commission_only_when_asked() -> None:
    d = toy()
    assert BS.annual_benefit(d) == pytest.approx(5 + 2.5 + 1)
    assert BS.annual_benefit(d, include_commission=True) == pytest.approx(5 + 2.5 + 1 + 3)
    assert BS.annual_benefit(d, realisation=0.5) == pytest.approx(4.25)
    with pytest.raises(ValueError, match="realisation"):
        BS.annual_benefit(d, realisation=1.5)


def test_ramp() -> None:
    assert list(BS.ramp(5, 2, 3)) == pytest.approx([0, 1 / 3, 2 / 3, 1, 1])
    assert list(BS.ramp(3, 1, 1)) == [1.0, 1.0, 1.0]
    assert list(BS.ramp(2, 4, 2)) == [0.0, 0.0]
    with pytest.raises(ValueError, match="at least 1"):
        BS.ramp(0, 1, 1)


def test_stream_is_ramp_times_annual_benefit() -> None:
    d = toy()
    stream = BS.benefit_stream(d, 5, realisation=0.8, start_year=2, ramp_years=2)
    assert list(stream.columns) == ["logistics", "acquisition", "inventory", "ramp", "total"]
    assert list(stream.index) == [1, 2, 3, 4, 5]
    expected = BS.ramp(5, 2, 2) * BS.annual_benefit(d, 0.8)
    pd.testing.assert_series_equal(stream["total"], expected, check_names=False)
    with_commission = BS.benefit_stream(d, 2, include_commission=True)
    assert with_commission["commission"].iloc[0] == pytest.approx(3.0)


def test_drivers_validate() -> None:
    with pytest.raises(ValueError, match="scope"):
        toy(scope="country")
    with pytest.raises(ValueError, match="gmv"):
        toy(gmv=0.0)
    with pytest.raises(ValueError, match="gross_margin_pct"):
        toy(gross_margin_pct=100.0)
    with pytest.raises(ValueError, match="unknown driver"):
        BS.with_values(toy(), turnover=3.0)
    assert BS.with_values(toy(), gmv=50.0).gmv == 50.0


def test_drivers_from_claims_firm_and_industry(claims) -> None:
    firm = BS.drivers_from_claims(claims, "firm", 1.0, 20.0)
    industry = BS.drivers_from_claims(claims, "industry", 1.0, 20.0)
    assert firm.gmv == pytest.approx(10_000)  # 1 trillion yuan in 100 million yuan
    assert industry.gmv == pytest.approx(478_000)  # 47.8 trillion (plan 8.1)
    assert firm.logistics_cut_pp == pytest.approx(15 - 10)
    assert firm.commission_cut_pp == pytest.approx(12 - 9)
    assert (firm.cac_from, firm.cac_cut) == (185, 185 - 120)
    assert (firm.turns_from, firm.turns_to, firm.gross_margin_pct) == (4, 8, 25)
    assert firm.acquisition_spend == pytest.approx(40)  # the first-year marketing budget
    assert industry.acquisition_spend == pytest.approx(40 * 47.8)
    assert "C8.1-17" in firm.claim_ids["logistics_cut_pp"]
    assert industry.claim_ids["gmv"] == "C8.1-02"
    values = BS.component_values(firm)
    assert values["logistics"] == pytest.approx(500)
    assert values["inventory"] == pytest.approx(10_000 * 0.75 * (1 / 4 - 1 / 8) * 0.2)
    with pytest.raises(ValueError, match="scope"):
        BS.drivers_from_claims(claims, "world", 1.0, 20.0)


def test_chapters_6_and_8_share_the_stream(claims) -> None:
    """The same stream parameters give the same drivers in both chapters."""
    shared = dict(benefit_scope="industry", firm_gmv=2.0, carrying_cost_pct=30.0)
    assert BS.drivers_from_params(ResourcesParams(**shared), claims) == BS.drivers_from_params(
        BenefitsParams(**shared), claims
    )


def test_driver_table(claims) -> None:
    table = BS.driver_table(BS.drivers_from_claims(claims, "firm", 1.0, 20.0))
    assert len(table) == len(BS.NUMERIC_FIELDS)
    assert set(table.columns) == {"driver", "value", "unit", "source"}
