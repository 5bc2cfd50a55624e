"""What probes see of a project: globbing, skipped folders, cached documents, the answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.errors import ChecklistError
from checklist.project import Project
from tests.checklist.helpers import make_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = make_project(
        tmp_path,
        {
            "deploy/kmm/module.yaml": "kind: Module\n---\n---\nkind: Namespace\n",
            "deploy/nfd/rule.yml": "kind: NodeFeatureRule\n",
            "device-plugin/vendor/k8s.io/x.go": "package x\n",
            "device-plugin/main.go": "package main\n",
            ".git/config": "[core]\n",
        },
    )
    return Project.open(root)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("deploy/**/*.yaml", ["deploy/kmm/module.yaml"]),
        ("deploy/**/*.{yaml,yml}", ["deploy/kmm/module.yaml", "deploy/nfd/rule.yml"]),
        ("deploy/*.yaml", []),  # `*` stays within one folder
        ("**/*.go", ["device-plugin/main.go"]),  # vendor/ is third-party code
        ("**/config", []),  # .git is never read
        ("{deploy,device-plugin}/**/*.go", ["device-plugin/main.go"]),
    ],
)
def test_glob(project: Project, pattern: str, expected: list[str]) -> None:
    assert project.glob(pattern) == expected


def test_documents_skip_empty_ones_and_keep_their_index(project: Project) -> None:
    documents = project.documents("deploy/kmm/module.yaml")
    assert [(d.index, d.data["kind"]) for d in documents] == [(0, "Module"), (2, "Namespace")]


def test_answers_keep_ids_that_look_like_numbers(tmp_path: Path) -> None:
    root = make_project(tmp_path, {})
    (root / ".copier-answers.yml").write_text("pci_device_ids:\n- 11e8\n- '0001'\n")
    assert Project.open(root).answers["pci_device_ids"] == ["11e8", "0001"]


def test_broken_answers_file(tmp_path: Path) -> None:
    root = make_project(tmp_path, {})
    (root / ".copier-answers.yml").write_text("- a list\n")
    with pytest.raises(ChecklistError, match="not a mapping of answers"):
        Project.open(root)
