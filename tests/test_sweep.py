"""Parameter sweeps: points, the tidy table, sensitivity, progress, the command line.

The arithmetic is checked on small made-up tables whose effects are known exactly; the
command's bad input on a copy of the book (no kernel, nothing written); one slow test
sweeps the market chapter for real, with one point made to fail.
"""

from __future__ import annotations

import io
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import copy_book, planbook

from planbook.engine.build.executors import ExecutorSpec, executor_spec
from planbook.engine.glued import glued_from_notebook
from planbook.engine.registry import get_chapter
from planbook.engine.sweep import points as SP
from planbook.engine.sweep import sensitivity as SE
from planbook.engine.sweep import table as ST
from planbook.engine.sweep.progress import SweepProgress, duration, progress_text, time_left
from planbook.engine.sweep.report import number_label, render_page
from planbook.errors import InputError

MARKET = get_chapter("market")


# --------------------------------------------------------------------------- points


def test_a_grid_is_every_combination_first_parameter_slowest() -> None:
    frame = SP.grid_points({"a": [1, 2], "b": ["x", "y", "z"]})
    assert list(frame["point"]) == [1, 2, 3, 4, 5, 6]
    assert list(zip(frame["a"], frame["b"], strict=True)) == [
        (1, "x"), (1, "y"), (1, "z"), (2, "x"), (2, "y"), (2, "z"),
    ]  # fmt: skip


def test_a_null_level_stays_none_not_nan() -> None:
    frame = SP.grid_points({"a": [None, 5.0]})
    assert frame["a"].tolist() == [None, 5.0]


def test_grid_levels_are_parsed_by_the_schema() -> None:
    levels = SP.parse_grid(MARKET, ["confidence=0.8, 0.95", "forecast_method=naive,drift"])
    assert levels == {"confidence": [0.8, 0.95], "forecast_method": ["naive", "drift"]}
    assert SP.parse_grid(MARKET, ["forecast_horizon=2,5"]) == {"forecast_horizon": [2, 5]}


def test_a_latin_hypercube_puts_one_point_in_every_stratum() -> None:
    ranges = [SP.Range("confidence", 0.5, 0.99, False), SP.Range("history_start", 2014, 2018, True)]
    frame = SP.lhs_points(ranges, 5, seed=7)
    conf = frame["confidence"].to_numpy()
    assert ((conf >= 0.5) & (conf <= 0.99)).all()
    strata = np.floor((conf - 0.5) / (0.99 - 0.5) * 5).astype(int)
    assert sorted(strata) == [0, 1, 2, 3, 4]
    # five whole numbers in five points: each year exactly once
    assert sorted(frame["history_start"]) == [2014, 2015, 2016, 2017, 2018]
    assert frame["history_start"].dtype.kind == "i"
    assert all(len(f"{v:.10g}".replace("0.", "").lstrip("0")) <= 6 for v in conf)  # 6 digits


def test_a_latin_hypercube_is_reproducible_from_its_seed() -> None:
    ranges = [SP.Range("confidence", 0.5, 0.99, False)]
    first = SP.lhs_points(ranges, 8, seed=3)
    assert first.equals(SP.lhs_points(ranges, 8, seed=3))
    assert not first.equals(SP.lhs_points(ranges, 8, seed=4))


def test_a_sample_of_whole_numbers_covers_the_range_evenly() -> None:
    frame = SP.lhs_points([SP.Range("h", 1, 10, True)], 100, seed=0)
    counts = frame["h"].value_counts()
    assert sorted(counts.index) == list(range(1, 11)) and set(counts) == {10}


def test_design_says_what_it_is() -> None:
    grid = SP.design(MARKET, ["confidence=0.8,0.9", "forecast_horizon=2,3,4"], None, [], None)
    assert grid.kind == "grid" and len(grid.points) == 6
    assert grid.swept == ["confidence", "forecast_horizon"]
    sample = SP.design(MARKET, [], 4, ["confidence=0.8:0.9"], 2)
    assert sample.kind == "sample" and len(sample.points) == 4 and "seed 2" in sample.description


@pytest.mark.parametrize(
    ("grid", "sample", "ranges", "seed", "expected"),
    [
        ([], None, [], None, "nothing to sweep"),
        (["confidence=0.8"], 3, [], None, "not both"),
        (["confidense=0.8"], None, [], None, "did you mean 'confidence'"),
        (["confidence=1.5"], None, [], None, "at most 0.99"),
        (["confidence"], None, [], None, "expected name=v1,v2"),
        (["confidence=0.8,"], None, [], None, "a level is empty"),
        (["confidence=0.8,0.80"], None, [], None, "given twice"),
        (["confidence=0.8", "confidence=0.9"], None, [], None, "given twice"),
        (["confidence=0.8"], None, [], 1, "--seed applies to --sample only"),
        ([], 3, ["confidence=0.9:0.8"], None, "low end must be below"),
        ([], 3, ["confidence=0.8-0.9"], None, "expected name=low:high"),
        ([], 3, ["forecast_method=a:b"], None, "not a number; sweep its values with --grid"),
        ([], 3, ["history_start=2013:2018"], None, "at least 2014"),
        ([], 3, ["forecast_horizon=1.5:3"], None, "whole number"),
        ([], 3, [], None, "needs at least one --range"),
        ([], None, ["confidence=0.8:0.9"], None, "needs --sample"),
        ([], 1, ["confidence=0.8:0.9"], None, "from 2 to"),
    ],
)
def test_bad_sweep_flags_are_refused_with_the_fix(grid, sample, ranges, seed, expected) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        SP.design(MARKET, grid, sample, ranges, seed)
    assert "\n" not in str(caught.value)


def test_the_sweep_digest_names_the_points_and_fixed_values() -> None:
    points = SP.grid_points({"confidence": [0.8, 0.9]})
    digest = SP.sweep_digest(MARKET, points, {})
    assert digest == SP.sweep_digest(MARKET, points.copy(), {})
    assert digest != SP.sweep_digest(MARKET, points, {"forecast_horizon": "5"})
    assert digest != SP.sweep_digest(MARKET, SP.grid_points({"confidence": [0.8, 0.95]}), {})


# --------------------------------------------------------------------------- the table


def _results() -> tuple[pd.DataFrame, dict[int, ST.PointResult]]:
    points = SP.grid_points({"a": [1, 2, 3]})
    results = {
        1: ST.PointResult(ST.OK, {"x": 1.5, "label": "low", "flag": True}),
        2: ST.PointResult(ST.FAILED, error="chapter 1 market failed in cell 3: ValueError: no"),
        3: ST.PointResult(ST.OK, {"x": 4.5, "label": "high", "flag": False}),
    }
    return points, results


def test_the_tidy_table_has_a_row_per_point_and_number() -> None:
    points, results = _results()
    table = ST.tidy_table(points, results)
    assert list(table.columns) == ["point", "a", "number", "value", "text", "status", "error"]
    assert len(table) == 3 + 1 + 3
    ok = table[table["status"] == "ok"].set_index(["point", "number"])
    assert ok.loc[(3, "x"), "value"] == 4.5 and ok.loc[(3, "x"), "text"] == "4.5"
    assert math.isnan(ok.loc[(1, "label"), "value"]) and ok.loc[(1, "label"), "text"] == "low"
    assert ok.loc[(1, "flag"), "value"] == 1.0 and ok.loc[(3, "flag"), "value"] == 0.0
    [failed] = table[table["status"] == "failed"].to_dict(orient="records")
    assert failed["point"] == 2 and failed["a"] == 2 and failed["number"] == ""
    assert "ValueError: no" in failed["error"]
    assert ST.summary_counts(table) == {"points": 3, "ok": 2, "failed": 1, "numbers": 3}
    assert ST.failed_points(table)["point"].tolist() == [2]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_table_round_trips_through_csv_and_parquet(tmp_path: Path, suffix: str) -> None:
    table = ST.tidy_table(*_results())
    path = tmp_path / f"t{suffix}"
    ST.write_table(table, path)
    back = ST.read_table(path)
    assert (
        back["value"].tolist()[:1] == [1.5] and back["status"].tolist() == table["status"].tolist()
    )
    assert back.loc[back["status"] == "failed", "error"].str.contains("ValueError").all()
    assert not list(tmp_path.glob(".*tmp"))  # written through a temporary file


def test_an_unwritable_or_unknown_out_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.json extension.*\.csv or \.parquet"):
        ST.check_out_path(tmp_path / "t.json")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        ST.check_out_path(tmp_path / "dir.csv")
    ST.check_out_path(tmp_path / "new" / "deeper" / "t.parquet")  # created when written


# --------------------------------------------------------------------------- sensitivity


def _table(frame: pd.DataFrame, numbers: dict[str, np.ndarray]) -> pd.DataFrame:
    results = {
        int(p): ST.PointResult(ST.OK, {k: float(v[i]) for k, v in numbers.items()})
        for i, p in enumerate(frame["point"])
    }
    return ST.tidy_table(frame, results)


def test_main_effects_of_a_grid_are_the_range_of_level_means() -> None:
    frame = SP.grid_points({"a": [0, 1], "b": [0, 1, 2]})
    a, b = frame["a"].to_numpy(float), frame["b"].to_numpy(float)
    table = _table(frame, {"y": 2 * a + 10 * b, "ab": a * b, "flat": np.full(6, 3.0)})
    effects = SE.sensitivity(table, ["a", "b"], "grid").set_index(["parameter", "number"])
    assert effects.loc[("a", "y"), "effect"] == pytest.approx(2.0)
    assert effects.loc[("b", "y"), "effect"] == pytest.approx(20.0)
    assert effects.loc[("b", "y"), "spread"] == pytest.approx(22.0)
    assert effects.loc[("a", "y"), "standardized"] == pytest.approx(2 / 22)
    # a*b: at a=0 the mean is 0, at a=1 it is mean(0, 1, 2) = 1; over b: 0, 0.5, 1
    assert effects.loc[("a", "ab"), "effect"] == pytest.approx(1.0)
    assert effects.loc[("b", "ab"), "effect"] == pytest.approx(1.0)
    assert (
        effects.loc[("a", "flat"), "effect"] == 0
        and effects.loc[("a", "flat"), "standardized"] == 0
    )
    ranked = SE.sensitivity(table, ["a", "b"], "grid")
    assert ranked.iloc[0][["parameter", "number"]].tolist() in (
        ["b", "y"],
        ["a", "ab"],
        ["b", "ab"],
    )
    assert ranked["standardized"].abs().is_monotonic_decreasing


def test_rounding_noise_is_not_an_effect() -> None:
    frame = SP.grid_points({"a": [0, 1]})
    table = _table(frame, {"y": np.array([0.3, 0.1 + 0.2])})  # 0.30000000000000004
    [row] = SE.sensitivity(table, ["a"], "grid").to_dict(orient="records")
    assert row["effect"] == 0 and row["standardized"] == 0 and row["spread"] == 0


def test_regression_effects_of_a_sample_are_standardized_coefficients() -> None:
    frame = SP.lhs_points([SP.Range("x1", 0, 10, False), SP.Range("x2", 0, 1, False)], 30, 1)
    x1, x2 = frame["x1"].to_numpy(), frame["x2"].to_numpy()
    y = 3 * x1 - 40 * x2 + 5
    table = _table(frame, {"y": y, "flat": np.zeros(30)})
    effects = SE.sensitivity(table, ["x1", "x2"], "sample").set_index(["parameter", "number"])
    sd_y = np.std(y, ddof=1)
    assert effects.loc[("x1", "y"), "standardized"] == pytest.approx(3 * np.std(x1, ddof=1) / sd_y)
    assert effects.loc[("x2", "y"), "standardized"] == pytest.approx(
        -40 * np.std(x2, ddof=1) / sd_y
    )
    assert effects.loc[("x1", "y"), "effect"] == pytest.approx(3 * (x1.max() - x1.min()))
    assert effects.loc[("x1", "y"), "r_squared"] == pytest.approx(1.0)
    assert effects.loc[("x2", "flat"), "standardized"] == 0


def test_too_few_points_for_a_fit_give_no_coefficient() -> None:
    frame = SP.lhs_points([SP.Range("x1", 0, 1, False), SP.Range("x2", 0, 1, False)], 3, 1)
    table = _table(frame, {"y": frame["x1"].to_numpy() * 2})
    effects = SE.sensitivity(table, ["x1", "x2"], "sample")
    assert effects["standardized"].isna().all()


def test_failed_points_and_text_numbers_are_left_out_of_the_effects() -> None:
    points, results = _results()
    effects = SE.sensitivity(ST.tidy_table(points, results), ["a"], "grid")
    assert set(effects["number"]) == {"x", "flag"} and (effects["points"] == 2).all()
    assert effects.set_index("number").loc["x", "effect"] == pytest.approx(3.0)


# --------------------------------------------------------------------------- page and labels


def test_numbers_get_readable_labels() -> None:
    assert number_label("tv_fc_2023_median") == "Transaction volume forecast 2023 median"
    assert number_label("n_checks") == "Number of checks"
    assert number_label("level_pct") == "Level (%)"


def test_the_page_escapes_names_and_embeds_the_heat_map() -> None:
    frame = SP.grid_points({"a": [0, 1]})
    table = _table(frame, {"<b>bad</b>": np.array([1.0, 2.0])})
    effects = SE.sensitivity(table, ["a"], "grid")
    page = render_page(
        effects, title="T & <t>", summary=["<script>x</script>"], param_labels={"a": "a (u)"}
    )
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert "<b>bad</b>" not in page and "T &amp; &lt;t&gt;" in page
    assert '<img src="data:image/png;base64,' in page
    still = render_page(effects.assign(standardized=0.0), title="t", summary=[], param_labels={})
    assert "No key number moved" in still and "<img" not in still


# --------------------------------------------------------------------------- progress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_time_left_follows_the_pace_of_the_points_that_ran() -> None:
    assert time_left(ran=4, running_for=40.0, remaining=6) == pytest.approx(60.0)
    assert math.isnan(time_left(0, 5.0, 6)) and time_left(3, 9.0, 0) == 0
    assert (
        duration(59.6) == "1 min 00 s" and duration(3725) == "1 h 02 min" and duration(7) == "7 s"
    )
    text = progress_text("sweep market", 5, 10, 1, 2, 90.0)
    assert text == "sweep market: 5/10 points done (2 from cache), 1 failed, about 1 min 30 s left"


def test_progress_rewrites_one_line_on_a_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = SweepProgress("sweep x", 4, stream, tty=True, clock=clock)
    progress.from_cache(1)
    clock.now = 10.0
    progress.finished(True)
    progress.finished(False)
    progress.close()
    out = stream.getvalue()
    assert out.count("\n") == 1 and out.count("\r") == 4
    assert out.rstrip().endswith(
        "sweep x: 3/4 points done (1 from cache), 1 failed, about 5 s left"
    )


def test_progress_writes_periodic_lines_elsewhere() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = SweepProgress("sweep x", 10, stream, tty=False, clock=clock, every=10.0)
    for t in range(10):
        clock.now = t * 3.0
        progress.finished(True)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert len(lines) == 4  # at 0, 12, 24 s and the end
    assert lines[-1] == "sweep x: 10/10 points done, 0 failed"


# --------------------------------------------------------------------------- odds and ends


def test_glued_values_are_read_from_a_notebook_dict() -> None:
    record = "application/papermill.record/"
    outputs = [
        {"metadata": {"scrapbook": {"name": "x"}}, "data": {record + "text/plain": "0.25"}},
        {"metadata": {"scrapbook": {"name": "t"}}, "data": {record + "text/markdown": "R&amp;D"}},
        {"metadata": {}, "data": {"text/plain": "not glued"}},
    ]
    nb = {"cells": [{"cell_type": "code", "outputs": outputs}, {"cell_type": "markdown"}]}
    assert glued_from_notebook(nb) == {"x": 0.25, "t": "R&D"}


def test_executor_flags() -> None:
    assert executor_spec(None, None) == ExecutorSpec("local")
    assert executor_spec("dask", None) == ExecutorSpec("dask")
    assert executor_spec(None, "tcp://127.0.0.1:8786") == ExecutorSpec(
        "dask", "tcp://127.0.0.1:8786"
    )
    for bad, message in [
        (("spark", None), "unknown executor"),
        ((None, "127.0.0.1:8786"), "expected tcp://HOST:PORT"),
        ((None, "tcp://host:99999"), "expected tcp://HOST:PORT"),
        (("local", "tcp://h:1"), "drop one of the two"),
    ]:
        with pytest.raises(InputError, match=message):
            executor_spec(*bad)


def test_commands_without_dask_flags_never_import_dask() -> None:
    code = (
        "import sys; import planbook.cli, planbook.engine.build.orchestrate, "
        "planbook.engine.build.run, planbook.engine.sweep.run; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_inputs_pack_reproducibly_and_unpack_once(tmp_path: Path) -> None:
    from planbook.engine.build.dask_inputs import pack_inputs, unpack_inputs

    root = tmp_path / "book"
    files = {
        "lib/planbook/a.py": "A = 1\n",
        "data/x.csv": "a\n1\n",
        "notebooks/n.ipynb": "{}",
        "lib/planbook/__pycache__/a.pyc": "junk",
        "book/other.md": "not shipped",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    payload, digest = pack_inputs(root)
    assert (payload, digest) == pack_inputs(root)
    target = unpack_inputs(payload, digest, tmp_path / "worker")
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == [".complete", "data/x.csv", "lib/planbook/a.py", "notebooks/n.ipynb"]
    (target / "data/x.csv").write_text("changed")  # a complete folder is reused as is
    assert unpack_inputs(payload, digest, tmp_path / "worker") == target
    assert (target / "data/x.csv").read_text() == "changed"
    (root / "data/x.csv").write_text("a\n2\n")
    assert pack_inputs(root)[1] != digest


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book's sources (never built: bad input must not start anything)."""
    return copy_book(tmp_path_factory.mktemp("sweep") / "book")


CLI_BAD = [
    (["sweep", "market", "--grid", "confidense=0.8"], ["--grid", "did you mean 'confidence'"]),
    (["sweep", "market", "--grid", "confidence=1.5,0.8"], ["--grid confidence=", "at most 0.99"]),
    (["sweep", "market", "--sample", "3", "--range", "confidence=0.2:0.9"], ["at least 0.5"]),
    (["sweep", "market", "--grid", "confidence=0.8;0.9"], ["--grid", "must be a number"]),
    (["sweep", "market", "--sample", "3", "--range", "confidence=0.8..0.9"], ["name=low:high"]),
    (["sweep", "market"], ["nothing to sweep", "--grid", "--sample"]),
    (["sweep", "market", "--grid", "confidence=0.8", "--sample", "2"], ["not both"]),
    (["sweep", "market", "--grid", "confidence=0.8", "--out", "t.xlsx"], [".csv or .parquet"]),
    (["sweep", "market", "--grid", "confidence=0.8", "--set", "confidence=0.9"], ["--set"]),
    (["sweep", "markte", "--grid", "confidence=0.8"], ["did you mean 'market'"]),
    (["sweep", "market", "--grid", "confidence=0.8", "--executor", "ray"], ["--executor"]),
    (["run", "market", "--scheduler", "localhost:8786"], ["tcp://HOST:PORT"]),
    (["build", "--executor", "local", "--scheduler", "tcp://h:1"], ["drop one of the two"]),
]


@pytest.mark.parametrize(("args", "expected"), CLI_BAD, ids=lambda a: " ".join(a))
def test_bad_sweep_input_is_one_line_and_exit_2(
    sources: Path, args: list[str], expected: list[str]
) -> None:
    result = planbook(*args, root=sources)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for text in expected:
        assert text in lines[0]
    assert not (sources / "_build").exists()  # refused before anything ran or was written


FAIL_AT_HORIZON_7 = """

_compute = compute


def compute(params, claims):  # made to fail at one point of the sweep test
    if params.forecast_horizon == 7:
        raise ValueError("deliberate failure at forecast_horizon 7")
    return _compute(params, claims)
"""


@pytest.mark.slow
def test_a_sweep_of_the_market_chapter_tabulates_and_resumes(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    with (root / "lib/planbook/chapters/market/__init__.py").open("a") as handle:
        handle.write(FAIL_AT_HORIZON_7)
    out = tmp_path / "out" / "market.csv"
    args = ["sweep", "market", "--grid", "forecast_horizon=2,3,7", "--set", "confidence=0.8"]
    first = planbook(*args, "--out", str(out), root=root)
    assert first.returncode == 1, first.stdout + first.stderr
    [error] = [line for line in first.stderr.splitlines() if line.startswith("error:")]
    assert "1 of 3 points failed" in error and "deliberate failure" in error
    assert "3 points (0 from cache), 2 ok, 1 failed" in first.stdout
    assert "Traceback" not in first.stderr

    table = ST.read_table(out)
    status = table.drop_duplicates("point").set_index("forecast_horizon")["status"]
    assert status.to_dict() == {2: "ok", 3: "ok", 7: "failed"}
    failed = table[table["status"] == "failed"]
    assert (
        len(failed) == 1 and "deliberate failure at forecast_horizon 7" in failed["error"].iloc[0]
    )
    ok = table[table["status"] == "ok"]
    values = ok.pivot_table(index="number", columns="forecast_horizon", values="value")
    assert values.loc["online_end_year", 3] - values.loc["online_end_year", 2] == 1
    assert (values.loc["level_pct"] == 80.0).all()  # the --set value reached every point
    assert ok.groupby("point")["number"].nunique().nunique() == 1  # same numbers each point
    assert set(ok.loc[ok["value"].isna(), "text"].str.len() > 0) == {True}  # text numbers

    effects = pd.read_csv(out.with_name("market.sensitivity.csv"))
    horizon = effects.set_index("number").loc["online_end_year"]
    assert horizon["effect"] == pytest.approx(1.0) and horizon["parameter"] == "forecast_horizon"
    page = out.with_name("market.sensitivity.html").read_text()
    assert '<img src="data:image/png;base64,' in page and "forecast_horizon (years)" in page

    cache = sorted((root / "_build/cache").glob("??/*/notebook.ipynb"))
    stamps = {p: p.stat().st_mtime_ns for p in cache}
    again = planbook(*args, "--out", str(out), root=root)  # the failed point runs again
    assert again.returncode == 1 and "3 points (2 from cache), 2 ok, 1 failed" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in cache} == stamps
    assert ST.read_table(out).equals(table)

    subset = ["sweep", "market", "--grid", "forecast_horizon=3,2", "--set", "confidence=0.8"]
    resumed = planbook(*subset, "--out", str(tmp_path / "again.parquet"), root=root)
    assert resumed.returncode == 0, resumed.stderr
    assert "2 points (2 from cache), 2 ok, 0 failed" in resumed.stdout
    parquet = ST.read_table(tmp_path / "again.parquet")
    merged = parquet.merge(ok, on=["forecast_horizon", "number"], suffixes=("", "_first"))
    assert len(merged) == len(ok) and (merged["text"] == merged["text_first"]).all()


def test_a_lost_dask_task_fails_its_chapter_in_one_line() -> None:
    from distributed.scheduler import KilledWorker

    from planbook.engine.build.dask_executor import lost
    from planbook.engine.build.execute import Task

    task = Task("ab" * 32, "market", 1, "01.ipynb", {}, "/book", "/book/l", "/book/f", 60)
    died = lost(task, KilledWorker("planbook-market-x", None, 1))
    assert not died.ok and died.key == task.key and died.exit_code == 1
    assert died.message.startswith("chapter 1 market could not run: its Dask worker died")
    gone = lost(task, OSError("connection closed\nby the scheduler"))
    assert gone.message == (
        "chapter 1 market could not run on Dask: OSError: connection closed by the scheduler"
    )
