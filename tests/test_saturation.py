"""Growth against a ceiling: compounding, logistic paths and crossing times."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.errors import InputError
from planbook.methods.models import saturation as S


def test_compound_path() -> None:
    assert S.compound_path(100, 10, [0, 1, 2]).tolist() == pytest.approx([100, 110, 121])


def test_crossing_time() -> None:
    assert S.crossing_time(100, 10, 121) == pytest.approx(2.0)
    assert S.crossing_time(6.2, 25, 6.2 / 0.587) == pytest.approx(
        math.log(1 / 0.587) / math.log(1.25)
    )
    assert S.crossing_time(100, 10, 100) == 0.0
    assert S.crossing_time(100, 10, 50) == 0.0
    assert math.isinf(S.crossing_time(100, 0, 200))
    assert math.isinf(S.crossing_time(100, -5, 200))


def test_logistic_path_starts_at_the_start_and_stays_under_the_ceiling() -> None:
    t = np.linspace(0, 60, 61)
    path = S.logistic_path(10, 20, 50, t)
    assert path[0] == pytest.approx(10)
    assert np.all(path < 50)
    assert np.all(np.diff(path) > 0)
    assert path[-1] == pytest.approx(50, rel=1e-3)


def test_logistic_grows_at_the_intrinsic_rate_far_from_the_ceiling() -> None:
    early = S.logistic_path(1, 10, 1e9, [1.0])[0]
    assert early == pytest.approx(1.1, rel=1e-6)


def test_logistic_time_to_share_inverts_the_path() -> None:
    t = S.logistic_time_to_share(6.2, 25, 10.56, 0.95)
    assert S.logistic_path(6.2, 25, 10.56, [t])[0] == pytest.approx(0.95 * 10.56)
    assert S.logistic_time_to_share(9, 25, 10, 0.5) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: S.logistic_path(10, 5, 8, [1]), "must be above the starting value"),
        (lambda: S.logistic_path(10, 0, 20, [1]), "positive rate"),
        (lambda: S.compound_path(-1, 5, [1]), "start must be a positive number"),
        (lambda: S.compound_path(1, -100, [1]), "above -100"),
        (lambda: S.crossing_time(1, 5, 0), "ceiling must be a positive number"),
        (lambda: S.logistic_time_to_share(1, 5, 10, 1.0), "strictly between 0 and 1"),
        (lambda: S.paths(1, 5, 10, 2023, 0), "at least 1"),
    ],
)
def test_bad_inputs_are_refused(call, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()


def test_paths_table() -> None:
    frame = S.paths(6.2, 25, 10.0, 2023, 5, steps_per_year=4)
    assert len(frame) == 21
    assert frame["year"].iloc[0] == 2023 and frame["year"].iloc[-1] == 2028
    assert frame["compound"].iloc[4] == pytest.approx(6.2 * 1.25)
    assert frame["compound_share"].iloc[0] == pytest.approx(62.0)
    assert (frame["logistic"] <= frame["ceiling"]).all()


@settings(max_examples=80, deadline=None)
@given(
    start=st.floats(0.1, 100),
    rate=st.floats(0.5, 80),
    room=st.floats(1.01, 50),
    t=st.floats(0.0, 30),
)
def test_logistic_never_above_compounding_or_the_ceiling(start, rate, room, t) -> None:
    ceiling = start * room
    logistic = S.logistic_path(start, rate, ceiling, [t])[0]
    compound = S.compound_path(start, rate, [t])[0]
    assert logistic <= compound * (1 + 1e-9)
    assert logistic <= ceiling * (1 + 1e-12)
    crossing = S.crossing_time(start, rate, ceiling)
    assert S.compound_path(start, rate, [crossing])[0] == pytest.approx(ceiling)
