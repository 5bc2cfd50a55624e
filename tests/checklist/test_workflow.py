"""The generated project's CI workflow runs the checklist: valid for GitHub Actions and yamllint."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.conftest import require_tool

WORKFLOW = Path(".github/workflows/checklist.yml")


def _steps(project: Path) -> list[dict]:
    workflow = yaml.safe_load((project / WORKFLOW).read_text())
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_workflow_validates_against_the_github_schema(render_session) -> None:
    tool = require_tool("check-jsonschema")
    project = render_session("default")
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", str(project / WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_passes_the_projects_yamllint(render_session) -> None:
    tool = require_tool("yamllint")
    project = render_session("hostile")
    result = subprocess.run(
        [tool, "--strict", "-c", str(project / ".yamllint.yaml"), str(project / WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_publishes_the_summary_and_gates_main(render_session) -> None:
    steps = _steps(render_session("default"))
    runs = [str(step.get("run", "")) for step in steps]
    assert any("pip install" in run for run in runs)
    assert any(
        "scaffold checklist status . --format markdown" in run and "$GITHUB_STEP_SUMMARY" in run
        for run in runs
    )
    assert any("--format junit" in run for run in runs)
    gate = next(step for step in steps if "--fail-on required" in str(step.get("run", "")))
    assert "refs/heads/main" in gate["if"]


def test_checklist_item_for_ci_is_done_on_a_fresh_project(render_session) -> None:
    from checklist.engine import evaluate
    from checklist.model import Status

    result = evaluate(render_session("default")).result("project.ci-runs-checklist")
    assert result.status is Status.DONE, result.reason
    assert str(WORKFLOW) in result.reason
