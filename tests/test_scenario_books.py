"""Publishing the scenarios with the main book (``planbook build --with-scenarios``).

The build itself is measured in ``bench/scenarios.py`` (the suite builds the main book
only, to stay within its time budget); here: what the site build stages, the page that
compares the scenarios, and the order and failure rules of the orchestration.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from planbook.engine.build import scenario_books as SB
from planbook.engine.build.site import DOWNLOADS, EXTRA, Extras, stage_sources
from planbook.engine.params import Scenario
from planbook.engine.registry import get_chapter
from planbook.errors import ExecutionError, InputError
from planbook.paths import BookPaths


def _stage(repo: Path, tmp_path: Path, extras: Extras | None) -> tuple[dict[str, Path], Path]:
    stage = tmp_path / "src"
    files = stage_sources(BookPaths(repo), tmp_path / "executed", stage, extras)
    return files, stage


def test_plain_staging_keeps_config_and_toc_and_stages_the_data_tables(
    repo: Path, tmp_path: Path
) -> None:
    files, stage = _stage(repo, tmp_path, None)
    assert (stage / "_config.yml").read_text() == (repo / "_config.yml").read_text()
    assert "book/scenarios" not in (stage / "_toc.yml").read_text()
    tables = {p.relative_to(repo).as_posix() for g in DOWNLOADS for p in repo.glob(g)}
    assert "data/plan/claims.csv" in tables and len(tables) > 10
    for rel in tables:  # at their repository paths, so ../data/... links resolve
        assert (stage / rel).read_bytes() == (repo / rel).read_bytes()
    assert not any(rel.startswith(EXTRA) for rel in files)


def test_extras_add_the_page_to_the_toc_and_the_files_to_html_extra_path(
    repo: Path, tmp_path: Path
) -> None:
    page = tmp_path / "scenarios.md"
    page.write_text("# Scenarios\n")
    site_file = tmp_path / "index.html"
    site_file.write_text("<html></html>")
    extras = Extras(pages={SB.PAGE: page}, files={"scenarios/a/index.html": site_file})
    files, stage = _stage(repo, tmp_path, extras)
    toc = yaml.safe_load((stage / "_toc.yml").read_text())
    assert toc["parts"][-1]["chapters"][-1] == {"file": "book/scenarios"}
    assert (stage / SB.PAGE).read_text() == "# Scenarios\n"
    config = yaml.safe_load((stage / "_config.yml").read_text())
    assert EXTRA in config["sphinx"]["config"]["html_extra_path"]
    assert f"{EXTRA}/**" in config["exclude_patterns"]  # a scenario site's sources are no pages
    assert (stage / EXTRA / "scenarios/a/index.html").read_text() == "<html></html>"
    # the staged files feed the site's key: a scenario site that changes rebuilds the main one
    assert files[f"{EXTRA}/scenarios/a/index.html"] == site_file
    # dropping the extras again removes them from the stage
    _stage(repo, tmp_path, None)
    assert not [p for p in (stage / EXTRA).rglob("*") if p.is_file()]
    assert not (stage / SB.PAGE).exists()


def _scenario(name: str, settings: dict[str, dict[str, object]]) -> Scenario:
    return Scenario(name=name, path=None, description=f"the {name} view", settings=settings)


def test_assumptions_list_what_some_scenario_changes() -> None:
    plain = _scenario("plain", {})
    bold = _scenario("bold", {"market": {"confidence": 0.8}})
    table = SB.assumptions([plain, bold])
    assert list(table["parameter"]) == ["confidence"]
    row = table.iloc[0]
    assert (row["chapter"], row["default"], row["plain"], row["bold"]) == (1, 0.9, 0.9, 0.8)
    assert SB.assumptions([plain]).empty


def _values() -> dict[str, dict[str, dict[str, object]]]:
    return {
        "low": {"market": {"online_fc_median": 15.97, "ch1_claims": 60, "label": "text"}},
        "high": {"market": {"online_fc_median": 34.55, "ch1_claims": 60, "label": "text"}},
    }


def test_key_numbers_side_by_side_from_the_books_glued_values() -> None:
    units = pd.DataFrame({"pattern": ["online_fc_*", "ch[0-9]_*"], "unit": ["tn", "count"]})
    table = SB.key_number_table(_values(), units)
    assert list(table["key"]) == ["online_fc_median", "ch1_claims"]  # text is no number
    assert list(table["differs"]) == [True, False]
    assert list(table["unit"]) == ["tn", "count"]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (2028.0, "year", "2028"),
        (12345.678, "", "12,346"),
        (0.5, "", "0.5"),
        (0.006411, "", "0.0064"),
        (0.000123456, "", "0.0001"),
        (3.5, "percent", "3.5%"),
        (1e7, "", "10,000,000"),
        (float("nan"), "", "–"),
        (None, "", "–"),
    ],
)
def test_numbers_read_without_noise(value: float | None, unit: str, shown: str) -> None:
    assert SB.number(value, unit) == shown


def test_the_page_links_every_scenario_book_and_escapes_what_it_shows() -> None:
    scenarios = [_scenario("low", {}), _scenario("high", {"market": {"confidence": 0.8}})]
    numbers = SB.key_number_table(_values(), pd.DataFrame({"pattern": [], "unit": []}))
    settings = SB.assumptions(scenarios)
    settings.loc[0, "description"] = "a <b>bold</b> | claim"
    text = SB.page_markdown(scenarios, settings, numbers)
    for name in ("low", "high"):
        assert f'href="../{SB.SITE_FOLDER}/{name}/index.html"' in text
    assert f'href="../{SB.SITE_FOLDER}/key_numbers.csv"' in text
    assert "&lt;b&gt;bold&lt;/b&gt; &#124; claim" in text
    assert "1 move between scenarios and 1 do not" in text
    assert "34.55" in text and "nan" not in text and "e+" not in text


def test_a_failed_scenario_stops_before_the_main_site(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[str | None, bool, bool]] = []

    def fake_build(paths, scenario, overrides, *, site=True, extras=None, **_):  # noqa: ANN001
        name = scenario.name if scenario else None
        calls.append((name, site, extras is not None))
        if name == "bad":
            raise ExecutionError("chapter 1 market failed")
        return paths.site(name)

    scenarios = [_scenario("good", {}), _scenario("bad", {}), _scenario("later", {})]
    monkeypatch.setattr(SB, "build_book", fake_build)
    monkeypatch.setattr(SB.P, "check_scenarios", lambda _: scenarios)
    with pytest.raises(ExecutionError) as caught:
        SB.build_with_scenarios(BookPaths(tmp_path), None)
    message = str(caught.value)
    assert message.startswith("scenario bad: chapter 1 market failed")
    assert "main site is unchanged" in message and "\n" not in message
    # the main book's chapters first (no site), then the scenarios; never the main site
    assert calls == [(None, False, False), ("good", True, False), ("bad", True, False)]


def test_force_reruns_each_chapter_once_and_rebuilds_the_main_site(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[str | None, bool, bool]] = []

    def fake_build(paths, scenario, overrides, *, force, site=True, extras=None, **_):  # noqa: ANN001
        calls.append((scenario.name if scenario else None, force, extras is not None))
        return paths.site(None)

    paths = BookPaths(tmp_path)
    key = paths.work(None) / "site.key"
    key.parent.mkdir(parents=True)
    key.write_text("old")
    monkeypatch.setattr(SB, "build_book", fake_build)
    monkeypatch.setattr(SB.P, "check_scenarios", lambda _: [_scenario("one", {})])
    monkeypatch.setattr(SB, "publish", lambda *_: Extras())
    assert SB.build_with_scenarios(paths, None, force=True) == paths.site(None)
    assert calls == [(None, True, False), ("one", True, False), (None, False, True)]
    assert not key.exists()  # the main site is rebuilt from scratch all the same


def test_with_scenarios_refuses_a_scenario_and_an_empty_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="drop --scenario"):
        SB.build_with_scenarios(BookPaths(tmp_path), _scenario("x", {}))
    (tmp_path / "scenarios").mkdir()
    with pytest.raises(InputError, match="holds no scenario file"):
        SB.build_with_scenarios(BookPaths(tmp_path), None)


def test_unchanged_chapters_share_the_main_books_execution_key(repo: Path) -> None:
    """A scenario that leaves a chapter's parameters alone asks the cache for the main
    book's key: nothing in the key names the book."""
    from planbook.engine.build.keys import chapter_digests, fingerprint
    from planbook.engine.params import resolve

    paths = BookPaths(repo)
    chapter = get_chapter("glossary")
    digest = chapter_digests([chapter], paths)[chapter]
    scen = _scenario("other", {"market": {"confidence": 0.8}})
    main = fingerprint(chapter, resolve(chapter), paths, digest)
    assert fingerprint(chapter, resolve(chapter, scen), paths, digest) == main
