"""The plan's periods: one parse of the ``period`` column of the claims table.

A claim's period is one of a few forms (``data/plan/README.md``): a calendar year
(``2023``) or range of years (``2020-2023``); a horizon from the plan's start
(``3 years``, ``12 months``); a phase of the plan (``year 2``, ``years 1-2``,
``years 5+``, ``months 7-18``); a quarterly milestone (``Q2``); a recurring period
(``annual``, ``quarterly``, ``monthly``, ``weekly``); or a reference point (``current``,
``before``, ``after``, ``unspecified``). :func:`parse_period` turns the text into a
:class:`Period`, whose properties answer what the chapters and the audit ask of it.

Plan time runs in months from the plan's start (month 0): ``3 years`` and ``years 1-3``
are months 0-36, ``year 2`` months 12-24, ``months 7-18`` months 6-18 and ``years 5+``
months 48 on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

__all__ = [
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "HOURS_PER_YEAR",
    "KINDS",
    "PERIOD_RE",
    "Period",
    "parse_period",
]

DAYS_PER_YEAR = 365
"""The book's one day-count convention: a calendar year of 365 days (360 is the banker's
convention some firms use; 365.25 the Julian year). Turns and days of stock, hours of
downtime and the conversion of the plan's time units all use it."""

DAYS_PER_MONTH = DAYS_PER_YEAR / 12
"""A month as a twelfth of :data:`DAYS_PER_YEAR`."""

HOURS_PER_YEAR = DAYS_PER_YEAR * 24
"""8,760 hours in a :data:`DAYS_PER_YEAR` year."""

PeriodKind = Literal[
    "year",
    "year_range",
    "duration_years",
    "duration_months",
    "plan_years",
    "plan_years_open",
    "plan_months",
    "quarter",
    "recurring",
    "current",
    "before",
    "after",
    "unspecified",
]

_FORMS: tuple[tuple[PeriodKind, str], ...] = (
    ("year", r"(?P<first>\d{4})"),
    ("year_range", r"(?P<first>\d{4})-(?P<last>\d{4})"),
    ("duration_years", r"(?P<last>\d+) years"),
    ("duration_months", r"(?P<last>\d+) months"),
    ("plan_years", r"year (?P<first>\d)"),
    ("plan_years", r"years (?P<first>\d)-(?P<last>\d)"),
    ("plan_years_open", r"years (?P<first>\d)\+"),
    ("plan_months", r"months (?P<first>\d+)-(?P<last>\d+)"),
    ("quarter", r"Q(?P<first>[1-4])"),
    ("recurring", r"annual|quarterly|monthly|weekly"),
    ("current", r"current"),
    ("before", r"before"),
    ("after", r"after"),
    ("unspecified", r"unspecified"),
)
"""Every form of period text, with its kind (the first form that matches wins)."""

KINDS: tuple[str, ...] = tuple(dict.fromkeys(kind for kind, _ in _FORMS))
"""The kinds of :class:`Period`, in the order of :data:`_FORMS`."""

PERIOD_RE = re.compile("^(" + "|".join(re.sub(r"\?P<\w+>", "", p) for _, p in _FORMS) + ")$")
"""Any valid period text."""

_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _FORMS)
_YEAR_UNIT = ("duration_years", "plan_years", "plan_years_open")
_MONTH_UNIT = ("duration_months", "plan_months")


@dataclass(frozen=True)
class Period:
    """A parsed period of the plan (see the module notes for the forms).

    Attributes
    ----------
    text : str
        The period as the claims table states it.
    kind : str
        One of :data:`KINDS`.
    first, last : int or None
        The numbers the text states, in its kind's unit: calendar years (``2020-2023``
        is 2020 to 2023; ``2023`` is 2023 to 2023); plan years (``year 2`` is 2 to 2,
        ``years 1-2`` 1 to 2, ``years 5+`` 5 to None, ``3 years`` 1 to 3); plan months
        (``months 7-18`` is 7 to 18, ``12 months`` 1 to 12); the quarter (``Q2`` is 2
        to 2). None for the other kinds.
    """

    text: str
    kind: PeriodKind
    first: int | None = None
    last: int | None = None

    # ------------------------------------------------------------------ calendar

    @property
    def year(self) -> int | None:
        """The calendar year of a single year (``2023``); None otherwise."""
        return self.first if self.kind == "year" else None

    @property
    def span_years(self) -> int | None:
        """Years between the ends of a calendar range (``2020-2023``: 3); None otherwise."""
        if self.kind != "year_range":
            return None
        return int(self.last) - int(self.first)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ plan time

    @property
    def years(self) -> int | None:
        """The length of a horizon stated in years (``3 years``: 3); None otherwise
        (``12 months`` and ``year 1`` included)."""
        return self.last if self.kind == "duration_years" else None

    @property
    def is_phase(self) -> bool:
        """Is this a phase of the plan (``year 2``, ``years 1-2``, ``years 5+``,
        ``months 7-18``) rather than a horizon from its start?"""
        return self.kind in ("plan_years", "plan_years_open", "plan_months")

    @property
    def is_open(self) -> bool:
        """Is this an open-ended phase (``years 5+``)?"""
        return self.kind == "plan_years_open"

    @property
    def window(self) -> tuple[float, float] | None:
        """Months from the plan's start the period covers, ``(start, end)``.

        The end is ``inf`` for an open phase. None for periods that are no window of the
        plan: calendar years, reference points, recurring periods and quarters (whose
        plan year the text does not state; see :meth:`month_window`).

        >>> [parse_period(p).window for p in ("3 years", "year 2", "years 5+", "months 7-18")]
        [(0.0, 36.0), (12.0, 24.0), (48.0, inf), (6.0, 18.0)]
        """
        if self.first is None:
            return None
        if self.kind in _YEAR_UNIT:
            end = math.inf if self.last is None else 12.0 * self.last
            return 12.0 * (self.first - 1), end
        if self.kind in _MONTH_UNIT:
            return float(self.first - 1), float(self.last)  # type: ignore[arg-type]
        return None

    def month_window(self, milestone_year: int = 1) -> tuple[float, float | None] | None:
        """Like :attr:`window`, with a quarter placed in plan year ``milestone_year`` and
        an open end given as None.

        >>> parse_period("Q2").month_window(2), parse_period("years 5+").month_window()
        ((15.0, 18.0), (48.0, None))

        Raises
        ------
        ValueError
            If ``milestone_year`` is below 1.
        """
        if milestone_year < 1:
            raise ValueError(f"milestone_year must be at least 1, got {milestone_year}")
        if self.kind == "quarter":
            base = 12.0 * (milestone_year - 1)
            q = int(self.first)  # type: ignore[arg-type]
            return base + 3.0 * (q - 1), base + 3.0 * q
        win = self.window
        if win is None:
            return None
        return win[0], (None if math.isinf(win[1]) else win[1])

    @property
    def due_month(self) -> float | None:
        """The month a target for this window falls due: the window's end, or its start
        when open-ended (``years 5+``: 48); None without a window."""
        win = self.window
        if win is None:
            return None
        return win[1] if math.isfinite(win[1]) else win[0]

    @property
    def horizon_years(self) -> float | None:
        """Exact years from the plan's start to the end of the window (``months 7-18``:
        1.5); an open phase ends with its first year (``years 5+``: 5). None without a
        window."""
        win = self.window
        if win is None:
            return None
        end = win[0] + 12.0 if math.isinf(win[1]) else win[1]
        return end / 12.0

    def horizon(self, unspecified_years: float = math.nan) -> tuple[float, bool]:
        """Years to a target's end and whether the plan states them.

        :attr:`horizon_years` when stated; ``unspecified`` takes ``unspecified_years``
        (not stated); anything else has no horizon (``nan``, not stated).
        """
        years = self.horizon_years
        if years is not None:
            return years, True
        if self.kind == "unspecified":
            return float(unspecified_years), False
        return math.nan, False

    @property
    def whole_years(self) -> int | None:
        """Years to the end of a closed window, rounded up to whole years
        (``months 7-18``: 2); None for an open phase and without a window."""
        win = self.window
        if win is None or math.isinf(win[1]):
            return None
        return math.ceil(win[1] / 12.0)

    def due_year(self, plan_start_year: int) -> int | None:
        """The calendar year by whose end a target for this period is due.

        A calendar year is its own; a closed window ends in plan year
        ``ceil(end / 12)``, counted from ``plan_start_year`` (a quarter lies in plan year
        1). None otherwise: a range of past years, an open phase, a reference point or a
        recurring period.
        """
        if self.kind == "year":
            return self.first
        win = self.month_window()
        if win is None or win[1] is None:
            return None
        return plan_start_year + math.ceil(win[1] / 12.0) - 1


@cache
def parse_period(text: str) -> Period:
    """Parse a claim's period text (cached: each distinct text is parsed once).

    >>> parse_period("years 1-2")
    Period(text='years 1-2', kind='plan_years', first=1, last=2)

    Raises
    ------
    ValueError
        If the text is none of the forms of :data:`PERIOD_RE`.
    """
    text = str(text)
    for kind, pattern in _COMPILED:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        groups = m.groupdict()
        first = int(groups["first"]) if groups.get("first") else None
        last = int(groups["last"]) if groups.get("last") else None
        if kind in ("year", "quarter") or (kind == "plan_years" and last is None):
            last = first
        if kind in ("duration_years", "duration_months"):
            first = 1
        return Period(text, kind, first, last)
    raise ValueError(
        f"unknown period {text!r}: use a year, a year range, current, unspecified, before, "
        "after, annual, quarterly, monthly, weekly, 'N months', 'N years', 'year N', "
        "'years N-M', 'years N+', 'months N-M' or Q1-Q4"
    )
