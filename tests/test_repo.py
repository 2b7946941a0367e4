"""Repository invariants: lock and conda environment agree; config guards are in place."""

from __future__ import annotations

from pathlib import Path

import yaml

from planbook.engine.lockfile import read_pins, render_environment

REPO = Path(__file__).resolve().parents[1]


def test_environment_yml_pins_equal_the_lock() -> None:
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    env_text = (REPO / "environment.yml").read_text(encoding="utf-8")
    assert env_text == render_environment(lock), "run: python -m planbook.engine.lockfile"
    env = yaml.safe_load(env_text)
    assert "python=3.11" in env["dependencies"]
    pip = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert read_pins("\n".join(pip)) == read_pins(lock)


def test_lock_pins_the_toolchain() -> None:
    pins = read_pins((REPO / "requirements.lock").read_text(encoding="utf-8"))
    assert pins["jupyter-book"] == "1.0.4.post1"
    assert pins["sphinx"].startswith("7.")
    assert pins["statsmodels"] == "0.15.0"
    assert all(v for v in pins.values())


def test_book_config_guards() -> None:
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["only_build_toc_files"] is True
    assert "book/references.bib" in config["bibtex_bibfiles"]
    assert config["repository"]["url"].startswith("https://github.com/")
    assert config["launch_buttons"]["binderhub_url"]
