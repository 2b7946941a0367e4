"""Chapter 10's brief: the scorecard, the odds of the targets, the gaps, what holds up."""

from __future__ import annotations

from planbook.chapters.briefs.words import Bullet, cap, count, pct, short_probability
from planbook.chapters.conclusions import Conclusions

GAPS = "What the plan leaves out"
SCORECARD = "The scorecard"
HOLDS_UP = "What holds up"


def checks(c: Conclusions) -> Bullet:
    """Share of the audit's checks that hold (the landing page's fact)."""
    bad = int(c.n_inconsistent)
    rest = "none fails" if bad == 0 else f"{bad:,} {'does' if bad == 1 else 'do'} not"
    if bad and c.n_high:
        rest += f", {c.n_high:,} of them of high severity"
    return Bullet(
        f"{pct(c.holds_pct, 0)} of the {count(c.n_checks, 'check')} of the plan's arithmetic "
        f"hold (consistent, within rounding or within tolerance); {rest}.",
        SCORECARD,
    )


def targets(c: Conclusions) -> Bullet:
    """How the targets with an official series behind them fare, by band."""
    bands = [(c.n_likely, "likely"), (c.n_possible, "possible"), (c.n_unlikely, "unlikely")]
    shown = [(int(k), name) for k, name in bands if k]
    n = int(c.n_tested)
    if len(shown) == 1 and shown[0][0] == n:
        said = f"all {n:,} are {shown[0][1]}" if n > 1 else f"it is {shown[0][1]}"
    else:
        said = ", ".join(f"{k:,} {name}" for k, name in shown) or "none is banded"
    return Bullet(
        f"Of the {count(n, 'target')} that official data can test, {said} (likely at odds "
        f"of {pct(c.likely, 0)} or more, unlikely below {pct(c.unlikely, 0)}); the best "
        f"placed has odds of {short_probability(c.best_p_text)}.",
        SCORECARD,
    )


def gaps(c: Conclusions) -> Bullet:
    """The sections the plan announces and never writes."""
    return Bullet(
        f"The plan's contents list {count(c.n_missing, 'section')} of conclusions that its "
        f"body never reaches; it stops inside chapter 9, where {c.gaps_text}.",
        GAPS,
    )


def holding(c: Conclusions) -> Bullet:
    """The checks that hold and the rules that find nothing wrong."""
    clean = [x for x in str(c.clean_rules).split(", ") if x]
    rules = (
        f"{count(len(clean), 'rule')} of the audit find nothing wrong at all"
        if clean
        else "every rule of the audit finds something"
    )
    verb = "holds" if int(c.n_holds) == 1 else "hold"
    return Bullet(f"{cap(count(c.n_holds, 'check'))} {verb}, and {rules}.", HOLDS_UP)


def brief(c: Conclusions) -> list[Bullet]:
    """Chapter 10's findings."""
    return [checks(c), targets(c), gaps(c), holding(c)]


__all__ = ["brief", "checks", "gaps", "holding", "targets"]
