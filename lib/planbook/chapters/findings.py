"""The book's key findings, for the landing page: computed with chapter 10, never retyped.

Each finding takes its numbers from the result of the chapter that shows it (chapter 1's
:func:`planbook.chapters.market.compute`, chapter 2's customer model, chapter 3's checks,
chapter 6's budget checks, chapter 10's odds of the targets and its scorecard), run with
chapter 10's parameters where the chapters share them (tolerances, forecast method, draws,
seed) and with each chapter's defaults otherwise. The sentence that carries a verdict is
worded from the verdict, in English and in Chinese, so the landing page stays true under
other parameters. Chapter 10 glues every scalar (:meth:`KeyFindings.glued`) and the
landing page pastes them with ``{glue:text}`` from that notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from planbook.chapters import challenges, goals, market, resources
from planbook.chapters.audit import HOLDS
from planbook.chapters.conclusions import Conclusions
from planbook.data.amounts import figure, in_scale, people, yuan
from planbook.engine.params import (
    ChallengesParams,
    ChapterParams,
    GoalsParams,
    MarketParams,
    ResourcesParams,
)
from planbook.errors import InputError
from planbook.methods import forecast as F

P = TypeVar("P", bound=ChapterParams)

LINKS: dict[str, tuple[str, str]] = {
    "tv": ("01_market_background", "where-the-official-series-are-heading"),
    "online": ("01_market_background", "the-plan-beside-official-statistics"),
    "gmv": ("08_benefits", "the-growth-promise-both-ways"),
    "users": ("03_goals", "user-growth-against-saturation"),
    "outlook": ("01_market_background", "where-the-official-series-are-heading"),
    "budget": ("06_resources", "checks-of-the-plan-s-arithmetic"),
    "customer": ("02_challenges", "the-model-what-an-acquired-customer-is-worth"),
    "gaps": ("10_conclusions", "what-the-plan-leaves-out"),
    "checks": ("10_conclusions", "what-holds-up"),
}
"""Each finding's page (notebook stem) and the id of the section that shows it on the built
page (docutils' id; the Markdown link names MyST's slug, which drops the apostrophe)."""


def shared_params(schema: type[P], params: ChapterParams) -> P:
    """Another chapter's parameters: the values ``params`` shares with it, else defaults."""
    mine = type(params).model_fields
    return schema(**{k: getattr(params, k) for k in schema.model_fields if k in mine})


def gap_pct(plan: float, evidence: float) -> float:
    """How far the plan's figure sits from the evidence, in percent of the evidence."""
    if evidence == 0:
        raise InputError("evidence of 0: a gap in percent needs a non-zero reference figure")
    return (plan / evidence - 1) * 100


@dataclass(frozen=True)
class Finding:
    """One headline result: its numbers, its sentence, caveat and Chinese sentence.

    ``numbers`` are glued as ``kf_<key>_<name>``; ``text``, ``caveat`` and ``zh`` as
    ``kf_<key>_text``, ``kf_<key>_caveat`` and ``kf_<key>_zh``; ``words`` (an amount in
    English scales, :mod:`planbook.data.amounts`) as ``kf_<key>_<name>``. ``plan``,
    ``evidence`` and ``holds`` place the finding on the summary chart (``None``: not on it).
    """

    key: str
    title: str
    numbers: dict[str, float]
    text: str
    caveat: str
    zh: str
    label: str | None = None
    plan: float | None = None
    evidence: float | None = None
    holds: bool | None = None
    words: dict[str, str] = field(default_factory=dict)

    def glued(self) -> dict[str, object]:
        """The finding's values by glued name."""
        out: dict[str, object] = {f"kf_{self.key}_{k}": float(v) for k, v in self.numbers.items()}
        out |= {f"kf_{self.key}_{k}": v for k, v in self.words.items()}
        out |= {f"kf_{self.key}_text": self.text, f"kf_{self.key}_caveat": self.caveat}
        return out | {f"kf_{self.key}_zh": self.zh}


def _short(probability_text: str) -> str:
    """A probability's words without their Monte Carlo error: '4.5%', 'under 1%'."""
    return probability_text.split(" (")[0]


def _zh_probability(p_pct: float) -> str:
    """A probability in Chinese, with the precision of :func:`_short`."""
    return "不足 1%" if p_pct < 1 else f"{p_pct:.2g}%"


_BAND_ZH = {"likely": "可能实现", "possible": "有一定可能", "unlikely": "不太可能实现"}


def _tv(m: market.MarketResult) -> Finding:
    inside = bool(m.tv_fc_2023_lower <= m.tv_2023 <= m.tv_fc_2023_upper)
    return Finding(
        key="tv",
        title="2023 transaction volume",
        numbers={
            "plan": m.tv_2023,
            "median": m.tv_fc_2023_median,
            "lower": m.tv_fc_2023_lower,
            "upper": m.tv_fc_2023_upper,
            "level": m.level_pct,
        },
        text=(
            f"The plan's 2023 e-commerce transaction volume, {m.tv_2023:.1f} trillion yuan, "
            f"lies {'inside' if inside else 'outside'} the {m.level_pct:.0f}% interval of the "
            f"official trend for 2023 ({m.tv_fc_2023_lower:.1f} to {m.tv_fc_2023_upper:.1f} "
            f"trillion, median {m.tv_fc_2023_median:.1f})."
        ),
        caveat=(
            f"The official series ends in {m.tv_end} ({m.tv_n} annual points), so the 2023 "
            "figure is checked against a forecast, not a published number."
        ),
        zh=(
            f"规划所称 2023 年电商交易额 {m.tv_2023:.1f} 万亿元，落在官方趋势 "
            f"{m.level_pct:.0f}% 预测区间（{m.tv_fc_2023_lower:.1f}–{m.tv_fc_2023_upper:.1f} "
            f"万亿元）{'之内' if inside else '之外'}。"
        ),
        label="2023 transaction volume vs official trend",
        plan=m.tv_2023,
        evidence=m.tv_fc_2023_median,
        holds=inside,
    )


def _online(m: market.MarketResult, level_tol: float) -> Finding:
    gap = m.online_2023_gap
    holds = bool(abs(gap) <= level_tol)
    side, side_zh = ("below", "低") if gap < 0 else ("above", "高")
    official = m.online_2023_official
    return Finding(
        key="online",
        title="Online retail in 2023",
        numbers={"plan": m.online_2023, "official": official, "gap": gap},
        text=(
            f"The plan's 2023 online retail sales, {m.online_2023:.1f} trillion yuan, "
            + (
                f"agree with the official {official:.1f} trillion, a published level "
                f"(within {level_tol:g}%)."
                if holds
                else f"are {abs(gap):.1f}% {side} the official {official:.1f} trillion, a "
                "published level (National Bureau of Statistics)."
            )
        ),
        caveat=(
            "The plan cites no source: an earlier release or another definition may explain "
            "part of the gap."
        ),
        zh=(
            f"规划所称 2023 年网上零售额 {m.online_2023:.1f} 万亿元，"
            + (
                f"与国家统计局的 {official:.1f} 万亿元一致。"
                if holds
                else f"比国家统计局公布的 {official:.1f} 万亿元{side_zh} {abs(gap):.1f}%。"
            )
        ),
        label="2023 online retail vs official (NBS)",
        plan=m.online_2023,
        evidence=official,
        holds=holds,
    )


def _gmv(c: Conclusions) -> Finding:
    rows = c.banded[c.banded["metric"] == "gmv"]
    if rows.empty:
        raise InputError(
            "claims: no GMV level target with an official series behind it; "
            "restore the transaction-volume target of plan 8.1 in data/plan/claims.csv"
        )
    row = rows.iloc[0]
    p = float(row["probability"]) * 100
    req, hist = float(row["required_growth_pct"]), float(row["historical_growth_pct"])
    target, year, band = float(row["target_value"]), int(row["target_year"]), str(row["band"])
    return Finding(
        key="gmv",
        title="The GMV target",
        numbers={
            "p": p,
            "target": target,
            "year": year,
            "required": req,
            "history": hist,
            "median": float(row["forecast_median"]),
        },
        text=(
            f"The target of {target:.0f} trillion yuan of transactions by {year} needs "
            f"{req:.1f}% growth a year against the {hist:.1f}% of the official record; on the "
            f"official trend its odds are {_short(str(row['probability_text']))}, so it is "
            f"{band}."
        ),
        caveat=(
            f"The odds rest on {int(row['n_obs'])} annual points and one trend method "
            f"({row['method']}); a break in the trend would change them."
        ),
        zh=(
            f"规划提出 {year} 年电商交易额达到 {target:.0f} 万亿元，需年均增长 {req:.1f}%，"
            f"而官方数据的历史增速为 {hist:.1f}%；按官方趋势，实现概率约为 "
            f"{_zh_probability(p)}，{_BAND_ZH.get(band, band)}。"
        ),
        label=f"{year} GMV target vs official-trend median",
        plan=target,
        evidence=float(row["forecast_median"]),
        holds=band != "unlikely",
    )


def _users(g: goals.GoalsResult) -> Finding:
    holds = g.ck_users_verdict in HOLDS
    return Finding(
        key="users",
        title="Lower-tier users",
        numbers={
            "rate": g.lt_cagr,
            "start": g.s_start,
            "end": g.ck_users,
            "all": g.ck_total,
            "years": g.ck_horizon,
            "official": g.s_official_2023,
        },
        text=(
            f"Growing lower-tier users by {g.lt_cagr:.0f}% a year (plan 3.1) takes them from "
            f"{people(g.s_start)} to {people(g.ck_users)} in {g.ck_horizon:.0f} years, "
            f"{'within' if holds else 'more than'} the {people(g.ck_total)} "
            "e-commerce users of all kinds that plan 1.2 implies."
        ),
        caveat=(
            "All users is the plan's own figure (lower-tier users over their share); CNNIC "
            f"counted {people(g.s_official_2023)} online shoppers in 2023."
        ),
        zh=(
            f"规划提出下沉市场用户每年增长 {g.lt_cagr:.0f}%，{g.ck_horizon:.0f} 年后将由 "
            f"{g.s_start:.1f} 亿增至 {g.ck_users:.1f} 亿，"
            f"{'未超过' if holds else '超过'}规划第 1.2 节隐含的全部电商用户 {g.ck_total:.1f} 亿。"
        ),
        label="Lower-tier users in 3 years vs all users (plan 1.2)",
        plan=g.ck_users,
        evidence=g.ck_total,
        holds=holds,
        words={"end_words": people(g.ck_users)},
    )


def _outlook(m: market.MarketResult, forecast_method: str) -> Finding:
    method = m.online_method.split(",")[0]
    chosen = (
        "the one the backtest chose"
        if forecast_method == "auto"
        else "set by the parameter forecast_method"
    )
    return Finding(
        key="outlook",
        title="Online retail in 2028",
        numbers={
            "median": m.online_fc_median,
            "lower": m.online_fc_lower,
            "upper": m.online_fc_upper,
            "year": m.online_end_year,
            "level": m.level_pct,
        },
        text=(
            f"On the official series, online retail sales reach {m.online_fc_median:.1f} "
            f"trillion yuan in {m.online_end_year} (median), with a {m.level_pct:.0f}% interval "
            f"from {m.online_fc_lower:.1f} to {m.online_fc_upper:.1f} trillion."
        ),
        caveat=(
            f"{m.online_n} annual points ({m.online_start} to {m.online_end}); the method, "
            f"{method}, is {chosen}, and the interval is calibrated on backtest errors."
        ),
        zh=(
            f"按官方数据预测，{m.online_end_year} 年网上零售额的中位数为 "
            f"{m.online_fc_median:.1f} 万亿元（{m.level_pct:.0f}% 区间 "
            f"{m.online_fc_lower:.1f}–{m.online_fc_upper:.1f} 万亿元）。"
        ),
    )


def _budget(r: resources.ResourcesResult, reading: str) -> Finding:
    split = r.checks.set_index("check").loc["First-year split adds up to the first-year total"]
    holds = str(split["verdict"]) in HOLDS
    lines = f"{r.tech:g} + {r.chain:g} + {r.marketing:g} = {float(split['recomputed']):g}"
    bn = [figure(in_scale(x, "100m_yuan", "billion")[0]) for x in (r.tech, r.chain, r.marketing)]
    lines_en = f"{' + '.join(bn)} = {yuan(float(split['recomputed']), scale='billion')}"
    return Finding(
        key="budget",
        title="The budget",
        numbers={
            "year1": r.total_y1,
            "checks": r.ch6_checks,
            "hold": r.ch6_checks_hold,
            "five": r.total_y5,
            "unallocated": r.unallocated_y5_share,
        },
        text=(
            f"The first-year budget lines {'add up' if holds else 'do not add up'} ({lines_en} "
            f"against {yuan(r.total_y1)} stated) and {r.ch6_checks_hold} of "
            f"{r.ch6_checks} budget checks hold, but {r.unallocated_y5_share:.0f}% of the "
            f"five-year {yuan(r.total_y5)} is not allotted to any line."
        ),
        caveat=(
            f"How the three-year funding adds to year 1 is our reading ({reading}); the "
            "plan's hardware and software spending exceed its technology line alone."
        ),
        zh=(
            f"第一年预算各项相加为 {lines} 亿元，与所列总额 {r.total_y1:g} 亿元"
            f"{'一致' if holds else '不符'}；但五年预算 {r.total_y5:g} 亿元中有 "
            f"{r.unallocated_y5_share:.0f}% 未分配到具体项目。"
        ),
        label="First-year budget lines vs stated total",
        plan=float(split["recomputed"]),
        evidence=float(split["stated"]),
        holds=holds,
    )


def _customer(ch: challenges.ChallengesResult, p: ChallengesParams) -> Finding:
    pays = ch.ltv_cac >= 1
    loss = ch.profit_per_customer
    return Finding(
        key="customer",
        title="What a customer is worth",
        numbers={
            "ratio": ch.ltv_cac,
            "ltv": ch.ltv,
            "cac": ch.cac_2023,
            "profit": loss,
            "margin": ch.margin_used,
        },
        text=challenges.customer_sentence(ch),
        caveat=(
            "Margin and order frequency are the plan's industry averages; the "
            f"{p.customer_lifetime_years:g}-year lifetime and {p.discount_rate_pct:g}% discount "
            "rate are ours."
        ),
        zh=(
            f"按规划自身 {ch.margin_used:.1f}% 的利润率，一个客户的终身价值约 {ch.ltv:.0f} 元，"
            f"获客成本却为 {ch.cac_2023:.0f} 元（比值 {ch.ltv_cac:.2f}），每获得一个新客户"
            f"{'盈利' if loss >= 0 else '亏损'} {abs(loss):.0f} 元。"
        ),
        label="Customer lifetime value vs acquisition cost",
        plan=ch.ltv,
        evidence=ch.cac_2023,
        holds=pays,
    )


def _gaps(c: Conclusions) -> Finding:
    partial = c.n_gaps - c.n_missing
    return Finding(
        key="gaps",
        title="What the plan leaves out",
        numbers={"missing": c.n_missing, "partial": partial},
        text=(
            f"The plan's contents list {c.n_missing} sections of conclusions (chapter 10) that "
            f"its body never reaches; it stops inside chapter 9, where {c.gaps_text}."
        ),
        caveat=(
            "The text is a copy from a document-sharing site; a complete version may exist "
            "elsewhere."
        ),
        zh=(
            f"规划目录列出的第 10 章（结论）共 {c.n_missing} 节，正文全部缺失；"
            f"第 9 章另有 {partial} 节空缺或中断。"
        ),
    )


def _checks(c: Conclusions) -> Finding:
    return Finding(
        key="checks",
        title="The plan's arithmetic",
        numbers={"holds": c.holds_pct, "n": c.n_checks, "bad": c.n_inconsistent},
        text=(
            f"{c.holds_pct:.0f}% of the {c.n_checks} checks of the plan's arithmetic hold "
            f"(consistent, within rounding or within tolerance); {c.n_inconsistent} do not."
        ),
        caveat=(
            f"At tolerances of {c.rate_tol:g} percentage points for rates and {c.level_tol:g}% "
            "for levels; "
            "a figure that agrees with the others can still be wrong."
        ),
        zh=(
            f"对规划数字的 {c.n_checks} 项核算中，{c.holds_pct:.0f}% 成立（一致、在四舍五入"
            f"范围内或在容差范围内），{c.n_inconsistent} 项不成立。"
        ),
    )


@dataclass(frozen=True)
class KeyFindings:
    """The landing page's findings, in reading order, and the summary chart's data.

    ``summary`` has one row per finding on the chart: key, label, plan, evidence,
    ``gap_pct`` (:func:`gap_pct`) and ``holds``.
    """

    findings: tuple[Finding, ...]
    kf_n: int
    summary: pd.DataFrame = field(repr=False)

    def glued(self) -> dict[str, object]:
        """Every finding's values by glued name, and the count ``kf_n``."""
        out: dict[str, object] = {"kf_n": self.kf_n}
        for f in self.findings:
            out |= f.glued()
        return out

    def get(self, key: str) -> Finding:
        """The finding named ``key``."""
        for f in self.findings:
            if f.key == key:
                return f
        raise InputError(f"finding {key!r}: not one of {', '.join(LINKS)}")


def summary_table(findings: tuple[Finding, ...]) -> pd.DataFrame:
    """The findings that set a plan figure against evidence, with the gap in percent."""
    rows = [
        {
            "key": f.key,
            "label": f.label,
            "plan": f.plan,
            "evidence": f.evidence,
            "gap_pct": gap_pct(f.plan, f.evidence),
            "holds": bool(f.holds),
        }
        for f in findings
        if f.plan is not None and f.evidence is not None
    ]
    return pd.DataFrame(rows)


def compute(
    params: Any,
    claims: pd.DataFrame,
    conclusions: Conclusions,
    evaluations: F.Evaluations | None = None,
) -> KeyFindings:
    """The key findings under chapter 10's ``params`` (see the module's docstring).

    Parameters
    ----------
    params
        A ``ConclusionsParams``; its tolerances and forecast settings pass to the chapters.
    claims
        The claims table.
    conclusions
        Chapter 10's result (its odds of the targets, scorecard and gaps).
    evaluations
        The run's evaluations of the official series, shared with chapter 10.
    """
    m = market.compute(shared_params(MarketParams, params), claims, evaluations)
    g = goals.compute(shared_params(GoalsParams, params), claims)
    res_params = shared_params(ResourcesParams, params)
    r = resources.compute(res_params, claims)
    ch_params = shared_params(ChallengesParams, params)
    ch = challenges.compute(ch_params, claims)
    found = (
        _tv(m),
        _online(m, params.level_tolerance_pct),
        _gmv(conclusions),
        _users(g),
        _outlook(m, params.forecast_method),
        _budget(r, res_params.three_year_reading),
        _customer(ch, ch_params),
        _gaps(conclusions),
        _checks(conclusions),
    )
    return KeyFindings(findings=found, kf_n=len(found), summary=summary_table(found))


__all__ = [
    "LINKS",
    "Finding",
    "KeyFindings",
    "compute",
    "gap_pct",
    "shared_params",
    "summary_table",
]
