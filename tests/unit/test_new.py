"""`scaffold new`: renders, refuses bad input one line a field, never leaves half a project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scaffold.commands.new import new_project
from scaffold.errors import EXIT_USER_ERROR, ScaffoldError
from scaffold.main import main
from tests.conftest import ANSWERS_DIR, TEMPLATE, answer_set, require_tool


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir()) if parent.exists() else []


def test_renders_a_project_with_the_answers_file(tmp_path: Path) -> None:
    result = new_project(tmp_path / "acme", answer_set("default"))
    recorded = yaml.safe_load((result.project_dir / ".copier-answers.yml").read_text())
    assert recorded["pci_device_ids"] == ["11e8"]
    assert recorded["project_slug"] == "acme-edu-accelerator"
    assert Path(".copier-answers.yml") in result.files
    assert oct(result.project_dir.stat().st_mode & 0o777) != oct(0o700)


def test_bad_answers_leave_nothing_on_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "deep" / "acme"
    code = main(
        [
            "new",
            str(dest),
            "--data-file",
            str(ANSWERS_DIR / "default.yml"),
            "--data",
            "pci_vendor_id=12G4",
            "--data",
            "vendor_domain=ACME",
        ]
    )
    assert code == EXIT_USER_ERROR
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "scaffold: error: vendor_domain: 'ACME' is not a lowercase DNS domain with at least two "
        "labels (e.g. acme.com)",
        "scaffold: error: pci_vendor_id: '12G4' is not 4 hexadecimal digits",
    ]
    assert _leftovers(tmp_path) == []


def test_a_failure_while_rendering_removes_the_staging_tree(tmp_path: Path) -> None:
    broken = tmp_path / "template"
    shutil.copytree(TEMPLATE, broken)
    (broken / "project" / "zz-broken.txt.jinja").write_text("{{ no_such_answer }}\n")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Exception, match="no_such_answer"):
        new_project(out / "new" / "acme", answer_set("default"), template=str(broken))
    assert _leftovers(out) == []


def test_existing_non_empty_destination_needs_overwrite(tmp_path: Path) -> None:
    dest = tmp_path / "acme"
    dest.mkdir()
    (dest / "NOTES.txt").write_text("mine\n")
    with pytest.raises(ScaffoldError, match=r"^DEST: .* is not empty; pass --overwrite"):
        new_project(dest, answer_set("default"))
    new_project(dest, answer_set("default"), overwrite=True)
    assert (dest / "NOTES.txt").read_text() == "mine\n"
    assert (dest / "README.md").is_file()


def test_pretend_writes_nothing(tmp_path: Path) -> None:
    new_project(tmp_path / "acme", answer_set("default"), pretend=True)
    assert _leftovers(tmp_path) == []


def _scaffold(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed CLI with no terminal on stdin, as CI does."""
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_without_a_terminal_it_uses_defaults_instead_of_hanging(tmp_path: Path) -> None:
    run = _scaffold("new", "acme", "--data-file", str(ANSWERS_DIR / "default.yml"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Created" in run.stdout and "Next steps:" in run.stdout
    answers = yaml.safe_load((tmp_path / "acme" / ".copier-answers.yml").read_text())
    assert answers["driver_build"] == "both"


def test_without_a_terminal_missing_answers_are_named_in_one_line(tmp_path: Path) -> None:
    run = _scaffold("new", "acme", "--data", "vendor_name=Acme", cwd=tmp_path)
    assert run.returncode == EXIT_USER_ERROR
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        "scaffold: error: missing answers: vendor_domain, product_name, pci_vendor_id, "
        "pci_device_ids (pass them with --data KEY=VALUE or --data-file FILE; "
        "`scaffold questions` describes each)"
    ]
    assert _leftovers(tmp_path) == []


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        [require_tool("git"), *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_vcs_ref_selects_a_template_version(tmp_path: Path) -> None:
    repo = tmp_path / "template-repo"
    shutil.copytree(TEMPLATE, repo)
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-qm", "v1", cwd=repo)
    _git("tag", "1.0.0", cwd=repo)
    (repo / "project" / "ADDED-IN-2.md").write_text("new in 2.0.0\n")
    _git("add", "-A", cwd=repo)
    _git("commit", "-qm", "v2", cwd=repo)
    _git("tag", "2.0.0", cwd=repo)

    old = new_project(tmp_path / "old", answer_set("default"), template=str(repo), vcs_ref="1.0.0")
    new = new_project(tmp_path / "new", answer_set("default"), template=str(repo))
    assert (
        yaml.safe_load((old.project_dir / ".copier-answers.yml").read_text())["_commit"] == "1.0.0"
    )
    assert not (old.project_dir / "ADDED-IN-2.md").exists()
    assert (new.project_dir / "ADDED-IN-2.md").is_file()


BAD_ON_THE_COMMAND_LINE = {
    "vendor_name": " padded",
    "vendor_domain": "acme",
    "product_name": "",
    "project_slug": "Acme_EDU",
    "pci_vendor_id": "12G4",
    "pci_device_ids": "[]",
    "pci_device_class": "12",
    "kernel_module_name": "acme-edu",
    "resource_name": "kubernetes.io/edu",
    "image_registry": "quay.io/Acme",
    "go_module": "acme/x",
    "openshift_versions": "4.20-4.16",
    "license": "GPL-3.0",
    "driver_build": "docker",
    "secure_boot": "maybe",
    "with_firmware": "maybe",
    "with_device_plugin": "maybe",
    "with_operator": "maybe",
    "with_monitoring": "maybe",
    "with_certification": "maybe",
}


def test_every_question_is_covered_here() -> None:
    from scaffold.template import questions

    assert {q.name for q in questions(TEMPLATE)} == set(BAD_ON_THE_COMMAND_LINE)


@pytest.mark.parametrize(("field", "value"), sorted(BAD_ON_THE_COMMAND_LINE.items()))
def test_a_bad_answer_to_any_question_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: str
) -> None:
    dest = tmp_path / "acme"
    argv = ["new", str(dest), "--data-file", str(ANSWERS_DIR / "default.yml")]
    code = main([*argv, "--data", f"{field}={value}"])
    assert code == EXIT_USER_ERROR
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"scaffold: error: {field}: ")
    assert _leftovers(tmp_path) == []
