"""`scaffold update` refuses, with one line naming the problem, and leaves the project untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from scaffold.errors import EXIT_USER_ERROR, ScaffoldError
from scaffold.main import main
from scaffold.update import check_update, update_project
from tests.update.conftest import NEW_VERSION, OLD_VERSION, Releases, make_project
from tests.update.helpers import commit_all, snapshot


def _refused(project: Path, releases: Releases, pattern: str, **options: object) -> None:
    before = snapshot(project)
    with pytest.raises(ScaffoldError, match=pattern) as raised:
        update_project(project, store=releases.new, **options)  # type: ignore[arg-type]
    assert "\n" not in str(raised.value)
    assert snapshot(project) == before


def _set_recorded(project: Path, **values: str) -> None:
    path = project / ".copier-answers.yml"
    answers = yaml.safe_load(path.read_text())
    answers.update(values)
    path.write_text(yaml.safe_dump(answers, sort_keys=False))
    commit_all(project, "edit the answers file")


def test_refuses_a_project_outside_git(
    old_project: Path, releases: Releases, tmp_path: Path
) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(old_project, plain, ignore=shutil.ignore_patterns(".git"))
    _refused(plain, releases, r"^DIR: .*plain is not in a git repository; run `git init")


def test_refuses_uncommitted_changes(old_project: Path, releases: Releases) -> None:
    (old_project / "README.md").write_text("edited, not committed\n")
    (old_project / "scratch.txt").write_text("untracked\n")
    _refused(old_project, releases, r"^DIR: .* has uncommitted changes \(M README.md, \?\? scratch")


def test_refuses_a_downgrade(tmp_path: Path, releases: Releases) -> None:
    project = make_project(tmp_path / "acme", releases.new)
    _refused(
        project,
        releases,
        rf"^--vcs-ref: {OLD_VERSION} is older than the project's template {NEW_VERSION}: "
        "downgrades are refused$",
        vcs_ref=OLD_VERSION,
    )


def test_refuses_a_project_made_by_a_newer_template(
    old_project: Path,
    releases: Releases,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    major, minor, patch = (int(p) for p in releases.new.latest.split("."))
    newer = f"{major}.{minor + 1}.{patch}"
    _set_recorded(old_project, _commit=newer)
    _refused(
        old_project,
        releases,
        rf"template {newer}, newer than this scaffold knows .*upgrade scaffold$",
    )
    with pytest.raises(ScaffoldError, match="upgrade scaffold"):
        check_update(old_project, store=releases.new)

    monkeypatch.setattr("scaffold.update.installed_store", lambda: releases.new)
    before = snapshot(old_project)
    assert main(["update", str(old_project)]) == EXIT_USER_ERROR
    assert capsys.readouterr().err.strip().endswith("upgrade scaffold")
    assert snapshot(old_project) == before


def test_refuses_a_version_it_does_not_carry(old_project: Path, releases: Releases) -> None:
    _refused(
        old_project,
        releases,
        rf"^--vcs-ref: 1.0.5 is not a template version this scaffold carries \({OLD_VERSION}, ",
        vcs_ref="1.0.5",
    )


def test_refuses_a_project_not_made_from_the_fixed_url(
    old_project: Path, releases: Releases
) -> None:
    _set_recorded(old_project, _src_path="/usr/lib/python3/site-packages/scaffold/_template")
    _refused(
        old_project, releases, r"^\.copier-answers\.yml: _src_path is /usr/lib/.*not scaffold's"
    )


def test_refuses_a_directory_without_answers(tmp_path: Path, releases: Releases) -> None:
    _refused(tmp_path, releases, r"^DIR: .* has no \.copier-answers\.yml")
