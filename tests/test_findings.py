"""The key findings of the landing page: computed from the chapters' results, worded from
their verdicts in English and Chinese, and the Sphinx extension that keeps the page fresh."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from planbook.chapters import conclusions, findings, goals, market
from planbook.data.plan import load_claims, load_sections
from planbook.engine.build import glue_deps
from planbook.engine.params import ConclusionsParams, GoalsParams, MarketParams
from planbook.errors import InputError
from planbook.methods.forecast import Evaluations
from planbook.page import landing

CJK = re.compile(r"[\u4e00-\u9fff]")


EVALUATIONS = Evaluations()
"""The official series evaluated once for the module (the slow part of every compute)."""


def _compute(params: ConclusionsParams) -> findings.KeyFindings:
    claims = load_claims()
    result = conclusions.compute(params, claims, load_sections(), EVALUATIONS)
    return findings.compute(params, claims, result, EVALUATIONS)


@pytest.fixture(scope="module")
def key() -> findings.KeyFindings:
    return _compute(ConclusionsParams())


def test_six_to_ten_findings_each_with_a_link_text_caveat_and_chinese(key) -> None:
    assert 6 <= key.kf_n == len(key.findings) <= 10
    assert [f.key for f in key.findings] == list(findings.LINKS)
    for f in key.findings:
        assert f.numbers and all(math.isfinite(v) for v in f.numbers.values()), f.key
        assert f.text.endswith(".") and f.caveat and CJK.search(f.zh), f.key
        assert not CJK.search(f.text + f.caveat), f.key  # English text stays English


def test_glued_names_are_prefixed_and_scalar(key) -> None:
    glued = key.glued()
    assert all(name.startswith("kf_") for name in glued)
    assert {"kf_n", "kf_gmv_p", "kf_tv_text", "kf_users_caveat", "kf_budget_zh"} <= set(glued)
    assert all(isinstance(v, (int, float, str)) for v in glued.values())


def test_numbers_are_the_chapters_own(key) -> None:
    claims = load_claims()
    params = ConclusionsParams()
    m = market.compute(findings.shared_params(MarketParams, params), claims, EVALUATIONS)
    g = goals.compute(findings.shared_params(GoalsParams, params), claims)
    glued = key.glued()
    assert glued["kf_tv_plan"] == m.tv_2023 == 47.8
    assert glued["kf_online_gap"] == pytest.approx(m.online_2023_gap)
    assert glued["kf_outlook_median"] == pytest.approx(m.online_fc_median)
    assert glued["kf_users_end"] == pytest.approx(g.ck_users)
    # the GMV odds are chapter 10's own (one function computes every target's odds)
    gmv = key.get("gmv")
    assert gmv.numbers["target"] == 80 and 0 < gmv.numbers["p"] < 50


def test_sentences_follow_the_verdicts(key) -> None:
    # at the default 2% tolerance the plan's online retail figure is 6.7% low ...
    assert "below the official" in key.get("online").text
    assert "a published level" in key.get("online").text  # the basis the plan is set against
    assert "低" in key.get("online").zh
    assert "inside the 90% interval" in key.get("tv").text  # ... and 2023 volume holds up
    assert "more than the" in key.get("users").text and "超过" in key.get("users").zh
    assert "loses" in key.get("customer").text and "亏损" in key.get("customer").zh
    assert "add up" in key.get("budget").text and "一致" in key.get("budget").zh
    # ... and at a 10% tolerance the same figure agrees: the sentence is computed
    loose = _compute(ConclusionsParams(level_tolerance_pct=10.0, draws=1000))
    assert "agree with the official" in loose.get("online").text
    assert "一致" in loose.get("online").zh
    assert loose.summary.set_index("key").loc["online", "holds"]


def test_english_and_chinese_quote_the_same_numbers(key) -> None:
    for f in key.findings:
        figures = set(re.findall(r"\d+\.\d", f.zh))
        # the English says 亿 in English scales (1.21 billion for 12.1 亿): the Chinese
        # quotes the finding's own numbers in the plan's unit
        quoted = {f"{v:.1f}" for v in f.numbers.values()}
        assert figures <= set(re.findall(r"\d+\.\d", f.text + f.caveat)) | quoted, f.key


def test_summary_table_gaps(key) -> None:
    s = key.summary.set_index("key")
    assert set(s.index) == {"tv", "online", "gmv", "users", "budget", "customer"}
    assert s.loc["online", "gap_pct"] == pytest.approx((14.4 / 15.4264 - 1) * 100)
    assert s.loc["tv", "holds"] and s.loc["budget", "holds"]
    assert not s.loc["gmv", "holds"] and not s.loc["customer", "holds"]


def test_gap_pct_and_its_error() -> None:
    assert findings.gap_pct(120.0, 100.0) == pytest.approx(20.0)
    with pytest.raises(InputError, match="non-zero"):
        findings.gap_pct(1.0, 0.0)


def test_shared_params_pass_what_the_chapters_share() -> None:
    params = ConclusionsParams(forecast_method="drift", level_tolerance_pct=5.0, seed=3)
    m = findings.shared_params(MarketParams, params)
    assert (m.forecast_method, m.level_tolerance_pct) == ("drift", 5.0)
    assert m.confidence == MarketParams().confidence  # not chapter 10's: the default
    assert findings.shared_params(GoalsParams, params).seed == 3


def test_unknown_finding_is_refused(key) -> None:
    with pytest.raises(InputError, match="not one of"):
        key.get("nope")


def test_summary_chart_and_alt_text(key) -> None:
    fig = landing.summary_chart(key.summary)
    assert fig.axes[0].get_title(loc="left") == "The plan's figures against the evidence"
    alt = landing.summary_alt(key.summary)
    assert all(label in alt for label in key.summary["label"])
    html = landing.HtmlFigure(b"png", 'a "quoted" <alt>', "cap & tion")._repr_html_()
    assert 'alt="a &quot;quoted&quot; &lt;alt&gt;"' in html and "cap &amp; tion" in html


def test_glue_deps_notes_the_pasted_from_notebook() -> None:
    from myst_nb.ext.glue.utils import PendingGlueReference

    document = new_document("intro.md", get_default_settings(Parser))
    para = nodes.paragraph()
    for key in ("a", "b"):
        para += PendingGlueReference(refdoc="notebooks/10_conclusions", key=key)
    document += para
    noted: list[str] = []
    env = SimpleNamespace(doc2path=lambda doc: f"/src/{doc}.ipynb", note_dependency=noted.append)
    glue_deps.note_glue_sources(SimpleNamespace(env=env), document)
    assert noted == ["/src/notebooks/10_conclusions.ipynb"]  # once per notebook
