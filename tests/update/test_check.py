"""`scaffold update --check`: JSON for CI bots, exit 2 when a newer template version exists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scaffold.errors import EXIT_CHECK_FAILED, EXIT_OK
from scaffold.main import main
from tests.update.conftest import NEW_VERSION, OLD_VERSION, Releases, make_project
from tests.update.helpers import snapshot


@pytest.fixture
def installed_new(monkeypatch: pytest.MonkeyPatch, releases: Releases) -> None:
    monkeypatch.setattr("scaffold.update.installed_store", lambda: releases.new)


@pytest.mark.usefixtures("installed_new")
def test_check_reports_a_newer_version(
    old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(old_project)
    assert main(["update", "--check", str(old_project)]) == EXIT_CHECK_FAILED
    report = json.loads(capsys.readouterr().out)
    assert report["current"] == OLD_VERSION
    assert report["latest"] == NEW_VERSION
    assert report["newer"] == [NEW_VERSION]
    assert report["update_available"] is True
    assert snapshot(old_project) == before


@pytest.mark.usefixtures("installed_new")
def test_check_is_quiet_success_when_current(
    tmp_path: Path, releases: Releases, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "acme", releases.new)
    assert main(["update", "--check", "--quiet", str(project)]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert (report["current"], report["newer"], report["update_available"]) == (
        releases.new.latest,
        [],
        False,
    )


@pytest.mark.slow
@pytest.mark.usefixtures("installed_new")
def test_cli_update_exits_non_zero_and_lists_conflicts(
    old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.update.helpers import CONFLICTED, commit_all, replace_line

    replace_line(old_project / CONFLICTED, 2, "conflict line 2 (the partner's edit)")
    commit_all(old_project, "partner edits")
    assert main(["update", str(old_project)]) == EXIT_CHECK_FAILED
    out = capsys.readouterr().out
    assert f"Updated {old_project} from template {OLD_VERSION} to {NEW_VERSION}" in out
    listed = out.split("Conflicts (1), to resolve by hand:\n", 1)[1].splitlines()
    assert listed[0].strip() == CONFLICTED


def test_versions_lists_what_the_install_carries(
    monkeypatch: pytest.MonkeyPatch, releases: Releases, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("scaffold.commands.versions.installed_store", lambda: releases.new)
    assert main(["versions", "--quiet"]) == EXIT_OK
    assert capsys.readouterr().out.split() == list(releases.new.versions)
    assert main(["versions", "--json"]) == EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert listed["versions"] == [OLD_VERSION, NEW_VERSION] == list(releases.new.versions)
    assert listed["latest"] == NEW_VERSION
    assert Path(listed["bundle"]) == releases.new.bundle


def test_new_refuses_a_version_it_does_not_carry(tmp_path: Path, releases: Releases) -> None:
    from scaffold.commands.new import new_project
    from scaffold.errors import ScaffoldError
    from tests.conftest import answer_set

    with pytest.raises(ScaffoldError, match=r"^--vcs-ref: 7\.0\.0 is not a template version"):
        new_project(tmp_path / "acme", answer_set("default"), store=releases.old, vcs_ref="7.0.0")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.usefixtures("installed_new")
def test_cli_pretend_lists_changes_and_would_be_conflicts(
    old_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.update.helpers import ADDED, CONFLICTED, commit_all, replace_line

    replace_line(old_project / CONFLICTED, 2, "conflict line 2 (the partner's edit)")
    commit_all(old_project, "partner edits")
    before = snapshot(old_project)
    assert main(["update", "--pretend", str(old_project)]) == EXIT_CHECK_FAILED
    out = capsys.readouterr().out
    assert snapshot(old_project) == before
    assert f"Would update {old_project} from template {OLD_VERSION} to {NEW_VERSION}" in out
    assert ["??", ADDED] in [line.split() for line in out.splitlines()]
    assert out.split("to resolve by hand:\n", 1)[1].split() == [CONFLICTED]
