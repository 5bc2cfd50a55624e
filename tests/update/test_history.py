"""Template versions from git history: one per bump, the working tree when it differs, fallbacks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scaffold.errors import ScaffoldError
from scaffold.versions.bundle import BUNDLE_NAME, Manifest, build_bundle
from scaffold.versions.history import read_history
from scaffold.versions.store import build_from_source
from tests.update.helpers import MERGED, commit_all, git, make_template_source, set_version


def _bump(root: Path, version: str) -> str:
    set_version(root / "template", version)
    return commit_all(root, f"template {version}")


def _edit(root: Path, text: str) -> str:
    (root / "template" / "project" / MERGED).write_text(text)
    return commit_all(root, "edit the template without a bump")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """1.0.0, an unreleased edit, 1.1.0 (which includes the edit), an edit, 2.0.0."""
    root = make_template_source(tmp_path / "source", "1.0.0")
    _edit(root, "first edit\n")
    _bump(root, "1.1.0")
    _edit(root, "second edit\n")
    _bump(root, "2.0.0")
    return root


def _bump_commits(root: Path) -> list[str]:
    log = git(root, "log", "--reverse", "--format=%H", "--", "template/VERSION")
    return log.split()


def test_one_version_per_bump_with_the_tree_of_the_bumping_commit(source: Path) -> None:
    history = read_history(source)
    assert history.versions == ["1.0.0", "1.1.0", "2.0.0"]
    bumps = _bump_commits(source)
    assert [r.commit for r in history.released] == bumps
    assert [r.tree for r in history.released] == [
        git(source, "rev-parse", f"{c}:template").strip() for c in bumps
    ]
    assert history.working.label is None  # the working tree is 2.0.0 exactly
    assert history.notes == ()


def test_unreleased_edits_become_a_development_version(source: Path) -> None:
    (source / "template" / "project" / "NEW.md").write_text("not released yet\n")
    history = read_history(source)
    assert history.working.label == f"2.0.0+dev.{history.working.digest[:10]}"
    assert history.versions[-1] == history.working.label
    assert any("bump template/VERSION" in note for note in history.notes)


def test_an_uncommitted_bump_is_the_newest_version(source: Path) -> None:
    set_version(source / "template", "2.1.0")
    assert read_history(source).versions == ["1.0.0", "1.1.0", "2.0.0", "2.1.0"]


def test_a_lower_working_version_is_refused(source: Path) -> None:
    set_version(source / "template", "1.5.0")
    with pytest.raises(ScaffoldError, match=r"VERSION: 1.5.0 is older than the released .* 2.0.0"):
        read_history(source)


def test_a_malformed_version_is_refused(source: Path) -> None:
    set_version(source / "template", "2.0")
    with pytest.raises(ScaffoldError, match=r"template version '2.0' is not MAJOR.MINOR.PATCH"):
        read_history(source)


def test_without_git_the_working_tree_is_the_one_version(source: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(source, plain, ignore=shutil.ignore_patterns(".git"))
    history = read_history(plain)
    assert history.versions == ["2.0.0"]
    assert "no template history in git" in history.notes[0]
    assert history.working.files == read_history(source).working.files


def test_a_shallow_clone_keeps_only_the_bumps_it_can_see(source: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{source}", str(clone)], check=True
    )
    history = read_history(clone)
    # Depth 2 holds the edit before 2.0.0 (a boundary: its own diff is unknown) and the bump.
    assert history.versions == ["2.0.0"]
    assert history.released[0].commit == _bump_commits(source)[-1]
    assert any("shallow" in note for note in history.notes)


def test_the_bundle_tags_each_version_at_its_tree(source: Path, tmp_path: Path) -> None:
    history = read_history(source)
    manifest = build_bundle(history, tmp_path / "out")
    assert manifest.versions == tuple(history.versions)
    assert Manifest.load(tmp_path / "out" / "manifest.json") == manifest
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(tmp_path / "out" / BUNDLE_NAME), str(clone))
    for release in history.released:
        assert git(clone, "rev-parse", f"{release.version}^{{tree}}").strip() == release.tree
    assert git(clone, "describe", "--tags").strip() == manifest.latest


def test_the_same_history_gives_the_same_bundle(source: Path, tmp_path: Path) -> None:
    first = build_bundle(read_history(source), tmp_path / "a")
    second = build_bundle(read_history(source), tmp_path / "b")
    assert first.id == second.id


def test_a_checkout_reuses_its_bundle_until_the_template_changes(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
    first = build_from_source(source)
    assert build_from_source(source).bundle == first.bundle
    (source / "template" / "project" / MERGED).write_text("edited again\n")
    changed = build_from_source(source)
    assert changed.bundle != first.bundle
    assert changed.latest.startswith("2.0.0+dev.")
    assert changed.template_dir("1.0.0") != changed.template_dir(changed.latest)
    assert (changed.template_dir("1.0.0") / "VERSION").read_text().strip() == "1.0.0"
