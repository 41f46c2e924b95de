"""The program as users install it: a wheel holds every module and every file the code opens at
run time, and the installed command says its version and where it works without a config."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from importlib import metadata

import pytest
from click.testing import CliRunner
from conftest import ROOT

from indexer import config as config_module
from indexer.cli import main

PACKAGES = ("indexer", "app")


def shipped(root) -> set[str]:
    """Every file of the packages in a source tree, as a wheel names it."""
    return {path.relative_to(root).as_posix() for package in PACKAGES for path in (root / package).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_data_file(tmp_path):
    if not (ROOT / "indexer").is_dir():
        pytest.skip("the installed package is tested: no source tree to build from")
    source = tmp_path / "source"  # built from a copy: the build writes nothing into the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(tmp_path)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("rapportsok-*.whl")
    names = {n for n in zipfile.ZipFile(wheel).namelist() if n.split("/")[0] in PACKAGES}
    expected = shipped(ROOT)
    assert {"indexer/data/nltk_data/tokenizers/punkt_tab/swedish/sent_starters.txt", "app/templates/base.html",
            "app/static/style.css"} <= expected
    assert names == expected


def test_version_is_the_installed_distributions():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"rapportsok, version {metadata.version('rapportsok')}\n"


def test_without_a_config_it_works_in_the_current_folder_and_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv(config_module.ENV_VAR, raising=False)
    monkeypatch.setattr(config_module, "DEFAULT", tmp_path / "installed" / "config.toml")  # as in a wheel
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["parse"])
    assert result.exit_code == 1 and "corpus: no such file" in result.stderr  # none here to read
    assert result.stderr.startswith(f"No config.toml here: reports are read from {tmp_path / 'corpus'}, the index "
                                    f"is kept in {tmp_path / 'var' / 'index'}.\n")
