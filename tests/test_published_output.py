"""Published output verified: the executed notebooks a site is built from are checked
against the cache's checksums, and the site's files against the manifest its build wrote.

The fast tests work on a tiny folder and a one-chapter scratch book (no kernel); the slow
ones corrupt a copy of the built book, each in its own way, and build it again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from conftest import planbook
from nbformat.v4 import new_code_cell, new_notebook

from planbook.engine.build.books import CHECKSUMS, check_books, materialize
from planbook.engine.build.cache import cache_for
from planbook.engine.build.manifest import check_manifest, folder_manifest, write_manifest
from planbook.engine.build.plan import CACHED, STALE, UP_TO_DATE, plan_jobs
from planbook.engine.registry import Chapter
from planbook.paths import BookPaths

# --------------------------------------------------------------------------- the manifest


def same_length_edit(path: Path, old: bytes, new: bytes, keep_time: bool = True) -> None:
    """Replace ``old`` by ``new`` (same length) in ``path``; put its times back if asked."""
    assert len(old) == len(new)
    data = path.read_bytes()
    assert old in data
    times = os.stat(path)
    path.write_bytes(data.replace(old, new))
    if keep_time:
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert path.stat().st_size == len(data)


def test_the_manifest_catches_every_kind_of_damage(tmp_path: Path) -> None:
    site = tmp_path / "html"
    (site / "_images").mkdir(parents=True)
    (site / "index.html").write_text("<p>47.8 trillion yuan</p>")
    (site / "_images" / "chart.png").write_bytes(b"\x89PNG" + bytes(range(200)))
    manifest = tmp_path / "site.manifest.json"
    assert check_manifest(site, manifest).problem == "has no readable manifest of its files"
    write_manifest(site, manifest)
    assert set(folder_manifest(site)) == {"index.html", "_images/chart.png"}
    assert check_manifest(site, manifest) is None
    pristine = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def restore() -> None:
        for p in site.rglob("*"):
            if p.is_file() and p not in pristine:
                p.unlink()
        for p, data in pristine.items():
            p.write_bytes(data)
        assert check_manifest(site, manifest) is None

    page, image = site / "index.html", site / "_images" / "chart.png"
    # a same-length edit whose modification time was put back: the checksum catches it
    same_length_edit(page, b"47.8", b"99.9", keep_time=True)
    damage = check_manifest(site, manifest)
    assert damage is not None and damage.file == "index.html" and "checksum" in damage.problem
    assert damage.describe("_build/html").startswith("_build/html/index.html was changed")
    restore()
    page.write_bytes(page.read_bytes()[:5])  # truncated
    damage = check_manifest(site, manifest)
    assert damage is not None and damage.file == "index.html" and "5 bytes" in damage.problem
    restore()
    image.unlink()
    damage = check_manifest(site, manifest)
    assert damage is not None and damage.file == "_images/chart.png"
    assert damage.problem == "is missing"
    restore()
    (site / "extra.html").write_text("<script>alert(1)</script>")
    damage = check_manifest(site, manifest)
    assert damage is not None and damage.file == "extra.html"
    restore()
    manifest.write_text("{not json")
    assert check_manifest(site, manifest).file == ""


# --------------------------------------------------------------------------- executed books


@pytest.fixture()
def checkout(tmp_path: Path) -> BookPaths:
    """A one-chapter scratch book: enough for the keys, the cache and the books."""
    root = tmp_path / "book"
    for sub in ("data/plan", "scenarios", "lib/planbook", "notebooks"):
        (root / sub).mkdir(parents=True)
    (root / "data/plan/claims.csv").write_text("id,value\nC1,1\n")
    (root / "lib/planbook/x.py").write_text("X = 1\n")
    nb = new_notebook()
    params = new_code_cell("forecast_horizon = 3\nconfidence = 0.9\n")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params]
    nbformat.write(nb, root / "notebooks" / "nb.ipynb")
    return BookPaths(root)


CHAPTER = Chapter(1, "market", "nb", "nb.ipynb", "nb", ("1.1",))


def executed(key: str, value: str) -> bytes:
    """What the cache would hold: an executed notebook showing ``value``."""
    out = {"output_type": "display_data", "data": {"text/plain": value}, "metadata": {}}
    cell = {"cell_type": "code", "source": "", "metadata": {}, "outputs": [out]}
    nb = {"cells": [cell], "metadata": {"planbook": {"key": key, "params": {}}}}
    return json.dumps(nb).encode()


@pytest.mark.parametrize("book", [None, "alt"])
def test_an_executed_notebook_that_differs_from_its_checksum_is_put_back_or_rerun(
    checkout: BookPaths, book: str | None
) -> None:
    def plan() -> list:
        return plan_jobs([CHAPTER], checkout, None, None, keep_last=False, book=book)

    [job] = plan()
    true = executed(job.key, "47.8")
    cache = cache_for(checkout)
    cache.put(job.key, true)
    materialize(plan(), checkout)
    assert job.output.read_bytes() == true
    assert (job.output.parent / CHECKSUMS).is_file()
    lines: list[str] = []
    [ok] = check_books(plan(), checkout, lines.append)
    assert ok.state == UP_TO_DATE and lines == []

    # a same-length edit keeps the key in the notebook: the plan alone sees nothing
    same_length_edit(job.output, b'"47.8"', b'"99.9"')
    [job] = plan()
    assert job.state == UP_TO_DATE
    [job] = check_books([job], checkout, lines.append)
    assert job.state == CACHED
    assert len(lines) == 1 and "differs from its execution" in lines[0]
    assert "nb.ipynb" in lines[0] and "cached execution back" in lines[0]
    assert materialize([job], checkout) == [job]
    assert job.output.read_bytes() == true

    # the cache emptied: the book's own record still vouches for an intact notebook ...
    cache.prune(everything=True)
    [job] = check_books(plan(), checkout, lines.append)
    assert job.state == UP_TO_DATE and len(lines) == 1
    assert materialize([job], checkout) == []
    # ... and an edited one must run again, since nothing can put it back
    same_length_edit(job.output, b'"47.8"', b'"99.9"')
    [job] = check_books(plan(), checkout, lines.append)
    assert job.state == STALE and "running it again" in lines[-1]
    # with neither the cache nor the record, a notebook cannot be checked: it runs again
    (job.output.parent / CHECKSUMS).unlink()
    job.output.write_bytes(true)
    [job] = check_books(plan(), checkout, lines.append)
    assert job.state == STALE and "cannot be checked" in lines[-1]


# --------------------------------------------------------------------------- the built book

PAGE = Path("_build/html/notebooks/01_market_background.html")
EXECUTED = Path("book/chapters/01_market_background.ipynb")
# the glued value of tv_2023 (47.8 trillion yuan), as the executed notebook stores it
GLUED = b'"application/papermill.record/text/plain": "47.8"'


@pytest.mark.slow
def test_a_hand_edited_executed_notebook_is_put_back(book_copy: Path, built_book: Path) -> None:
    same_length_edit(book_copy / EXECUTED, GLUED, GLUED.replace(b"47.8", b"99.9"))
    result = planbook("build", root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "01_market_background.ipynb differs from its execution" in result.stdout
    assert "running" not in result.stdout
    assert (book_copy / EXECUTED).read_bytes() == (built_book / EXECUTED).read_bytes()
    page = (book_copy / PAGE).read_text(encoding="utf-8")
    assert "47.8 trillion yuan" in page and "99.9 trillion yuan" not in page


def _truncate(root: Path) -> str:
    page = root / PAGE
    page.write_bytes(page.read_bytes()[:1000])
    return "01_market_background.html has 1,000 bytes"


def _delete_image(root: Path) -> str:
    image = sorted((root / "_build/html/_images").glob("*.png"))[0]
    image.unlink()
    return f"{image.name} is missing"


def _edit_keeping_time(root: Path) -> str:
    same_length_edit(root / PAGE, b"47.8 trillion yuan", b"99.9 trillion yuan", keep_time=True)
    return "01_market_background.html was changed"


def _truncate_site_and_last_build(root: Path) -> str:
    """The last build's output damaged too: the site must come from jupyter-book again."""
    out = root / "_build/.work/book/out" / PAGE
    out.write_bytes(out.read_bytes()[:1000])
    return _truncate(root)


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage", [_truncate, _delete_image, _edit_keeping_time, _truncate_site_and_last_build]
)
def test_a_damaged_site_is_rebuilt(book_copy: Path, built_book: Path, damage) -> None:
    said = damage(book_copy)
    result = planbook("build", root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert said in result.stdout and "site up to date" not in result.stdout
    if damage is _truncate_site_and_last_build:
        assert "rebuilding the site" in result.stdout and "site built" in result.stdout
    else:
        assert "restoring the site from its last build" in result.stdout
    site, good = book_copy / "_build/html", built_book / "_build/html"
    assert folder_manifest(site) == folder_manifest(good)
    again = planbook("build", root=book_copy)
    assert again.returncode == 0 and "site up to date" in again.stdout


@pytest.mark.slow
def test_a_clean_build_stays_a_no_op_and_the_check_is_cheap(book_copy: Path) -> None:
    result = planbook("build", root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site up to date" in result.stdout
    assert not any(w in result.stdout for w in ("differs", "restoring", "rebuilding", "running"))
    site, manifest = book_copy / "_build/html", book_copy / "_build/.work/book/site.manifest.json"
    assert check_manifest(site, manifest) is None
