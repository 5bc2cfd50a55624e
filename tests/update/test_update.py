"""`scaffold update` on projects made by an older template version: merges, conflicts, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.errors import ScaffoldError
from scaffold.update import update_project
from tests.update.conftest import NEW_VERSION, OLD_VERSION, Releases, make_project
from tests.update.helpers import (
    ADDED,
    CONFLICTED,
    MERGED,
    RENAMED_NEW,
    RENAMED_OLD,
    commit_all,
    git,
    replace_line,
    snapshot,
)

# Each test renders a project and runs a whole Copier update (2-5 s).
pytestmark = pytest.mark.slow


def _recorded_version(project: Path) -> str:
    return str(yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"])


def test_update_keeps_edits_brings_new_files_and_flags_overlaps(
    old_project: Path, releases: Releases
) -> None:
    readme = old_project / "README.md"
    user_note = "A note the partner added to the generated README."
    readme.write_text(readme.read_text() + f"\n{user_note}\n")
    replace_line(old_project / MERGED, 2, "merged line 2 (the partner's edit)")
    replace_line(old_project / CONFLICTED, 2, "conflict line 2 (the partner's edit)")
    commit_all(old_project, "partner edits")

    result = update_project(old_project, store=releases.new)

    assert (result.old, result.new) == (OLD_VERSION, NEW_VERSION)
    assert _recorded_version(old_project) == NEW_VERSION
    assert user_note in readme.read_text()
    merged = (old_project / MERGED).read_text().splitlines()
    assert merged[1] == "merged line 2 (the partner's edit)"
    assert merged[11] == "merged line 12 (changed by the template)"
    assert (old_project / ADDED).is_file()
    conflicted = (old_project / CONFLICTED).read_text()
    assert "conflict line 2 (the partner's edit)" in conflicted
    assert "conflict line 2 (changed by the template)" in conflicted
    assert "<<<<<<<" in conflicted
    assert CONFLICTED in result.conflicts
    assert MERGED not in result.conflicts
    assert not (old_project / RENAMED_OLD).exists()
    assert (old_project / RENAMED_NEW).is_file()


def test_a_migration_moves_the_partners_edit_to_the_renamed_file(
    old_project: Path, releases: Releases
) -> None:
    partner_line = "renamed line 2 (the partner's edit)"
    replace_line(old_project / RENAMED_OLD, 2, partner_line)
    commit_all(old_project, "partner edits the file the template renames")

    result = update_project(old_project, store=releases.new)

    assert not (old_project / RENAMED_OLD).exists()
    renamed = (old_project / RENAMED_NEW).read_text().splitlines()
    assert partner_line in renamed
    assert "renamed line 12 (changed by the template)" in renamed
    assert RENAMED_NEW not in result.conflicts
    assert ("R ", f"{RENAMED_OLD} -> {RENAMED_NEW}") in [
        (status[0] + " ", path) for status, path in result.changes
    ]


def test_rej_mode_leaves_reject_files_and_lists_them(old_project: Path, releases: Releases) -> None:
    replace_line(old_project / CONFLICTED, 2, "conflict line 2 (the partner's edit)")
    commit_all(old_project, "partner edits")

    result = update_project(old_project, store=releases.new, conflict="rej")

    assert result.conflicts == (f"{CONFLICTED}.rej",)
    assert (old_project / f"{CONFLICTED}.rej").is_file()
    assert "<<<<<<<" not in (old_project / CONFLICTED).read_text()


def test_pretend_reports_the_changes_and_writes_nothing(
    old_project: Path, releases: Releases
) -> None:
    replace_line(old_project / CONFLICTED, 2, "conflict line 2 (the partner's edit)")
    commit_all(old_project, "partner edits")
    before = snapshot(old_project)

    result = update_project(old_project, store=releases.new, pretend=True)

    assert snapshot(old_project) == before
    assert result.pretend and result.new == NEW_VERSION
    changed = {path for _, path in result.changes}
    assert {ADDED, MERGED, CONFLICTED, ".copier-answers.yml"} <= changed
    assert result.conflicts == (CONFLICTED,)


def test_data_changes_an_answer_while_updating(old_project: Path, releases: Releases) -> None:
    registry = "registry.example.com/partner"
    assert (
        yaml.safe_load((old_project / ".copier-answers.yml").read_text())["image_registry"]
        != registry
    )

    update_project(old_project, store=releases.new, data={"image_registry": registry})

    recorded = yaml.safe_load((old_project / ".copier-answers.yml").read_text())
    assert recorded["image_registry"] == registry
    assert recorded["_commit"] == NEW_VERSION


def test_data_is_checked_by_the_rules_before_anything_runs(
    old_project: Path, releases: Releases
) -> None:
    before = snapshot(old_project)
    with pytest.raises(ScaffoldError, match=r"^pci_vendor_id: "):
        update_project(old_project, store=releases.new, data={"pci_vendor_id": "xyz"})
    assert snapshot(old_project) == before


def test_updating_to_the_same_version_changes_nothing(tmp_path: Path, releases: Releases) -> None:
    project = make_project(tmp_path / "acme", releases.new)
    before = snapshot(project)
    result = update_project(project, store=releases.new)
    assert result.up_to_date and result.old == result.new == releases.new.latest
    assert snapshot(project) == before


def test_an_explicit_vcs_ref_updates_to_that_version(tmp_path: Path, releases: Releases) -> None:
    project = make_project(tmp_path / "acme", releases.new, version=OLD_VERSION)
    assert _recorded_version(project) == OLD_VERSION
    result = update_project(project, store=releases.new, vcs_ref=NEW_VERSION)
    assert result.new == NEW_VERSION == _recorded_version(project)


def test_a_failing_update_puts_the_project_back(
    old_project: Path, releases: Releases, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copier

    def half_update(dst_path: str, **_: object) -> None:
        Path(dst_path, "README.md").write_text("half written\n")
        Path(dst_path, "stray.txt").write_text("left behind\n")
        raise ValueError("boom")

    before = snapshot(old_project)
    monkeypatch.setattr(copier, "run_update", half_update)
    with pytest.raises(ScaffoldError, match=r"^update: boom$"):
        update_project(old_project, store=releases.new)
    assert snapshot(old_project) == before


def test_overlapping_edits_in_a_moved_file_conflict_against_the_old_content(
    old_project: Path, releases: Releases
) -> None:
    original = (old_project / RENAMED_OLD).read_text()
    replace_line(old_project / RENAMED_OLD, 12, "renamed line 12 (the partner's edit)")
    commit_all(old_project, "partner edits the line the template changes")

    result = update_project(old_project, store=releases.new)

    assert RENAMED_NEW in result.conflicts
    text = (old_project / RENAMED_NEW).read_text()
    assert "renamed line 12 (the partner's edit)" in text
    assert "renamed line 12 (changed by the template)" in text
    # Only the overlapping line conflicts: the base is the old file, not an empty one.
    assert text.count("<<<<<<<") == 1
    assert git(old_project, "show", f":1:{RENAMED_NEW}") == original


def test_a_project_in_a_subdirectory_of_a_repository(tmp_path: Path, releases: Releases) -> None:
    from scaffold.commands.new import new_project
    from tests.conftest import answer_set

    repo = tmp_path / "monorepo"
    (repo / "other").mkdir(parents=True)
    (repo / "other" / "keep.txt").write_text("not part of the project\n")
    project = new_project(repo / "hw" / "acme", answer_set("default"), store=releases.old)
    git(repo, "init", "-q")
    commit_all(repo, "a monorepo holding the project")
    replace_line(project.project_dir / CONFLICTED, 2, "conflict line 2 (the partner's edit)")
    commit_all(repo, "partner edits")

    result = update_project(project.project_dir, store=releases.new)

    assert result.conflicts == (CONFLICTED,)
    assert (ADDED in {path for _, path in result.changes}) and (
        project.project_dir / ADDED
    ).is_file()
    assert (repo / "other" / "keep.txt").read_text() == "not part of the project\n"
    assert _recorded_version(project.project_dir) == NEW_VERSION
