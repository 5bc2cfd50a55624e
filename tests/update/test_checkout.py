"""A checkout with no usable history still works: CI's shallow clone, a source tree without .git.

It carries its working tree as the one current version, and says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ANSWERS_DIR
from tests.update.helpers import commit_all, copy_project_source, git

pytestmark = pytest.mark.slow


def _python(checkout: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Python with the checkout first on the path, as an editable install of it would run."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "SCAFFOLD_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=checkout,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _carries_only_the_working_tree(checkout: Path, tmp_path: Path, note: str) -> None:
    cache = tmp_path / "cache"
    found = _python(checkout, cache, "-c", "import scaffold; print(scaffold.__file__)")
    assert Path(found.stdout.strip()).is_relative_to(checkout), found
    version = (checkout / "template" / "VERSION").read_text().strip()
    listed = _python(checkout, cache, "-m", "scaffold", "versions", "--json")
    assert listed.returncode == 0, listed.stderr
    report = json.loads(listed.stdout)
    assert report["versions"] == [version]
    assert any(note in n for n in report["notes"]), report["notes"]
    answers_file = str(ANSWERS_DIR / "default.yml")
    made = _python(
        checkout,
        cache,
        "-m",
        "scaffold",
        "new",
        str(tmp_path / "acme"),
        "--data-file",
        answers_file,
    )
    assert made.returncode == 0, made.stderr
    answers = yaml.safe_load((tmp_path / "acme" / ".copier-answers.yml").read_text())
    assert answers["_commit"] == version


def test_a_shallow_clone_carries_its_working_tree(tmp_path: Path) -> None:
    source = copy_project_source(tmp_path / "source")
    commit_all(source, "the template version is set here")
    readme = source / "template" / "project" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nAn edit after the bump.\n")
    commit_all(source, "a later template edit")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    _carries_only_the_working_tree(clone, tmp_path, "shallow git clone")


def test_a_source_tree_without_git_carries_its_working_tree(tmp_path: Path) -> None:
    tree = copy_project_source(tmp_path / "tree", init=False)
    _carries_only_the_working_tree(tree, tmp_path, "no template history in git")
