"""The shipped example answers (what `make demo` renders) give a project whose manifests pass."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.commands.new import new_project
from scaffold.main import main
from tests.conftest import ROOT, require_shared

EXAMPLES = sorted((ROOT / "examples").glob("*.yml"))


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_renders_and_validates(tmp_path: Path, example: Path) -> None:
    crds = require_shared("crds")
    answers = yaml.safe_load(example.read_text())
    project = new_project(tmp_path / example.stem, answers).project_dir
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in answers} == answers
    assert main(["validate", str(project), "--crds", str(crds), "--quiet"]) == 0
