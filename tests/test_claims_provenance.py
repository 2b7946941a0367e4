"""Provenance of data/plan/claims.csv against the plan's source text.

Every row of the claims table must point at the plan: its locator occurs in the
text of the stated section and its value, written the way the plan writes it
(``47.8``, ``5234``, ``0.28`` or a Chinese numeral such as 千/萬/兩/三), stands
within a few characters of the locator. A coverage check shows that every Arabic
number of the body of chapters 1-9 is taken up by a row, or is listed below as a
non-claim (dates, model names, section numbers ...).

The source file lives outside the repository (../shared/plan/plan_zh.txt, or the path
in ``PLANBOOK_PLAN_TEXT``). Without it the structure checks still run, and the checks
against the text are skipped with a reason in the run's summary (``-ra``) saying what is
missing and where to put it: a clean clone (CI) reports them as skipped.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
PLAN_TXT = Path(
    os.environ.get("PLANBOOK_PLAN_TEXT")
    or Path(__file__).resolve().parents[1].parent / "shared" / "plan" / "plan_zh.txt"
)
CLAIMS_CSV = REPO / "data" / "plan" / "claims.csv"
SECTIONS_CSV = REPO / "data" / "plan" / "sections.csv"

needs_plan_text = pytest.mark.skipif(
    not PLAN_TXT.is_file(),
    reason=f"plan source text missing: {PLAN_TXT} (not part of the repository); to check "
    "claims.csv against the plan, put plan_zh.txt in shared/plan/ beside the checkout or "
    "set PLANBOOK_PLAN_TEXT to its path",
)

PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
TOC_END = "10.4行業協作倡議"  # last table-of-contents entry; the body starts after it
BODY_END = "溫馨提示"  # website boilerplate from here on
WINDOW = 30  # characters either side of a locator in which the value must stand
PERIOD_WINDOW = 90  # numbers naming a row's period (years, horizons) may stand further off
NUMBER = re.compile(r"\d+(?:\.\d+)?")

COLUMNS = [
    "id",
    "chapter",
    "section",
    "metric",
    "entity",
    "period",
    "kind",
    "value",
    "unit",
    "bound",
    "scope",
    "scope_of",
    "path",
    "stage",
    "passage",
    "locator",
    "note",
]
KINDS = {"actual", "target", "forecast", "case_study", "benchmark"}
BOUNDS = {"", "gt", "ge", "lt", "le", "approx"}
UNITS = {
    "trillion_yuan",
    "100m_yuan",
    "10k_yuan",
    "yuan",
    "yuan_per_user",
    "100m_usd",
    "10k_eur",
    "percent",
    "percentage_points",
    "days",
    "hours",
    "minutes",
    "seconds",
    "months",
    "weeks",
    "years",
    "km",
    "times",
    "times_per_year",
    "count",
    "10k_count",
    "100m_count",
    "score",
    "index",
    "ratio",
}

# Chinese numeral forms in which the plan writes some values (千億, 萬億, 兩年, 超百億 ...).
CHINESE_FORMS = {
    1: ["一", "萬", "億"],
    2: ["二", "兩"],
    3: ["三"],
    4: ["四"],
    5: ["五"],
    10: ["十"],
    100: ["百"],
    1000: ["千"],
    10000: ["萬"],
}

# ---------------------------------------------------------------------------
# Allow-list of Arabic numbers in the body that are NOT quantitative claims.
# Each entry is (section, snippet): every number inside an occurrence of the
# snippet in that section's text is exempt from the coverage check.
# ---------------------------------------------------------------------------
NON_CLAIM_TOKENS = [
    # model, format and product names that contain digits
    "B2C",
    "C2C",
    "C2M",
    "3C",
    "5G",
    "3D",
    "8848網",
    # quarter labels used as milestone names (7.3), the 618 festival, 360-degree profile
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "618",
    "360度",
    # festival name (Double 11)
    "雙11",
    # slogan
    "1+1>2",
]
NON_CLAIM_SNIPPETS = [
    # 1.1 history: dates only
    ("1.1", "20世紀90年代"),  # 1990s, origin of e-commerce
    ("1.1", "eBay(1995年)"),  # founding year
    ("1.1", "Amazon(1994年)"),  # founding year
    ("1.1", "1999年8848網"),  # founding year of 8848.com
    ("1.1", "2003年淘寶成立"),  # founding year of Taobao
    ("1.1", "2010年后"),  # date
    ("1.1", "2020年疫情"),  # date
    # 1.4: date a guideline was issued
    ("1.4", "2021年《平臺經濟"),
    # 1.5: birth years defining Generation Z
    ("1.5", "1995-2009年出生"),
    # 2.1: the 30-day window that defines the churn metric
    ("2.1", "30天流失率"),
    # 2.5: scale of the trust index, year a regulation was issued
    ("2.5", "滿分100分"),
    ("2.5", "2023年新出臺"),
    # 9.2: deadline of a carbon-neutral logistics goal that carries no figure
    ("9.2", "2025年實現"),
]


def _strip(text: str) -> str:
    return PINYIN.sub("", text)


@functools.cache
def section_text() -> dict[str, str]:
    """The plan's body by section (read once, only by the tests that need the text)."""
    text = _strip(PLAN_TXT.read_text(encoding="utf-8"))
    start = text.rfind(TOC_END)
    assert start >= 0, "table of contents end not found"
    body = text[start + len(TOC_END) :]
    end = body.find(BODY_END)
    if end >= 0:
        body = body[:end]
    sections = pd.read_csv(SECTIONS_CSV, dtype=str)
    heads = []
    pos = 0
    for sec, title in zip(sections["section"], sections["title_zh"], strict=True):
        head = f"{sec}{title}"
        k = body.find(head, pos)
        if k < 0:  # chapter 10 is missing from the body
            continue
        heads.append((sec, k, k + len(head)))
        pos = k + len(head)
    out = {}
    for i, (sec, _, hend) in enumerate(heads):
        nxt = heads[i + 1][1] if i + 1 < len(heads) else len(body)
        out[sec] = body[hend:nxt]
    return out


CLAIMS = pd.read_csv(CLAIMS_CSV, dtype=str, keep_default_na=False)
SECTIONS = pd.read_csv(SECTIONS_CSV, dtype=str, keep_default_na=False)


def value_forms(value: str) -> list[str]:
    """The ways the plan may write a value: Arabic as stated, or a Chinese numeral."""
    f = float(value)
    if f == int(f):
        forms = [str(int(f))]
    else:
        forms = [value.rstrip("0").rstrip(".") if "." in value else value]
    if f == int(f) and int(f) in CHINESE_FORMS:
        forms += CHINESE_FORMS[int(f)]
    return forms


def _arabic(form: str) -> re.Pattern:
    return re.compile(r"(?<![\d.])" + re.escape(form) + r"(?![\d]|\.\d)")


def value_spans(text: str, locator: str, value: str, window: int = WINDOW):
    """Spans of the value standing within `window` characters of a locator occurrence."""
    spans = []
    for m in re.finditer(re.escape(locator), text):
        a, b = max(0, m.start() - window), min(len(text), m.end() + window)
        for form in value_forms(value):
            pat = _arabic(form) if form[0].isdigit() else re.compile(re.escape(form))
            spans += [(a + v.start(), a + v.end()) for v in pat.finditer(text[a:b])]
    return spans


# --------------------------------------------------------------------------- structure


def test_columns():
    assert list(CLAIMS.columns) == COLUMNS


def test_ids_unique():
    dup = CLAIMS["id"][CLAIMS["id"].duplicated()].tolist()
    assert not dup, f"duplicate ids: {dup}"


def test_id_format_and_prefix():
    bad = [
        i
        for i, s in zip(CLAIMS["id"], CLAIMS["section"], strict=True)
        if not re.fullmatch(rf"C{re.escape(s)}-\d{{2,}}", i)
    ]
    assert not bad, f"ids not of the form C<section>-<nn>: {bad}"


def test_sections_exist_and_chapters_match():
    chap = dict(zip(SECTIONS["section"], SECTIONS["chapter"], strict=True))
    unknown = sorted(set(CLAIMS["section"]) - set(chap))
    assert not unknown, f"sections not in sections.csv: {unknown}"
    wrong = CLAIMS.loc[CLAIMS["chapter"] != CLAIMS["section"].map(chap), "id"].tolist()
    assert not wrong, f"chapter does not match section: {wrong}"


def test_vocabularies():
    assert set(CLAIMS["kind"]) <= KINDS, set(CLAIMS["kind"]) - KINDS
    assert set(CLAIMS["unit"]) <= UNITS, set(CLAIMS["unit"]) - UNITS
    assert set(CLAIMS["bound"]) <= BOUNDS, set(CLAIMS["bound"]) - BOUNDS
    assert CLAIMS["metric"].str.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*").all()
    pd.to_numeric(CLAIMS["value"], errors="raise")


def test_ids_numbered_in_order():
    for sec, grp in CLAIMS.groupby("section", sort=False):
        nums = [int(i.rsplit("-", 1)[1]) for i in grp["id"]]
        assert nums == list(range(1, len(nums) + 1)), f"{sec}: ids not consecutive"


# --------------------------------------------------------------------------- provenance


@needs_plan_text
@pytest.mark.parametrize("row", CLAIMS.to_dict("records"), ids=CLAIMS["id"].tolist())
def test_row_provenance(row):
    text = section_text().get(row["section"], "")
    assert row["locator"], "empty locator"
    assert 4 <= len(row["locator"]) <= 14, f"locator length {len(row['locator'])}"
    assert row["locator"] in text, f"locator {row['locator']!r} not in section {row['section']}"
    assert value_spans(text, row["locator"], row["value"]), (
        f"value {row['value']} not within {WINDOW} chars of {row['locator']!r}"
    )


# --------------------------------------------------------------------------- coverage


def _coverage():
    """Numbers of each section: (section, number, position, covered, context)."""
    result = []
    for sec, text in section_text().items():
        if int(sec.split(".")[0]) > 9:
            continue
        covered: set[int] = set()
        for tok in NON_CLAIM_TOKENS:
            for m in re.finditer(re.escape(tok), text):
                covered.update(range(m.start(), m.end()))
        for s, snip in NON_CLAIM_SNIPPETS:
            if s == sec:
                for m in re.finditer(re.escape(snip), text):
                    covered.update(range(m.start(), m.end()))
        rows = CLAIMS[CLAIMS["section"] == sec]
        for loc, val, period in zip(rows["locator"], rows["value"], rows["period"], strict=True):
            for a, b in value_spans(text, loc, val):
                covered.update(range(a, b))
            # years and horizons that name the row's period (2023, 12 months, years 1-2)
            for tok in re.findall(r"\d+", period):
                for m in re.finditer(re.escape(loc), text):
                    a = max(0, m.start() - PERIOD_WINDOW)
                    b = min(len(text), m.end() + WINDOW)
                    for v in _arabic(tok).finditer(text[a:b]):
                        covered.update(range(a + v.start(), a + v.end()))
        for m in NUMBER.finditer(text):
            ok = all(p in covered for p in range(m.start(), m.end()))
            result.append(
                (sec, m.group(), m.start(), ok, text[max(0, m.start() - 8) : m.end() + 8])
            )
    return result


@needs_plan_text
def test_every_number_covered():
    cov = _coverage()
    missing = [(s, n, ctx) for s, n, _, ok, ctx in cov if not ok]
    n_all, n_ok = len(cov), sum(1 for c in cov if c[3])
    print(
        f"\nclaims coverage: {n_ok}/{n_all} Arabic numbers in the body of chapters 1-9 "
        f"covered by a claim row or the non-claim allow-list; {len(CLAIMS)} claim rows"
    )
    assert not missing, "numbers not covered by any claim row:\n" + "\n".join(
        f"  {s}: {n} in ...{ctx}..." for s, n, ctx in missing
    )
