"""Template renders (with pytest-copie): defaults, every switch both ways, hostile answers.

Each rendered project is then checked by the real tool of each file kind (see checkers.py).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import TEMPLATE, answer_set, require_tool
from tests.template.checkers import (
    checker_for,
    load_yaml_documents,
    run_editorconfig_checker,
    run_yamllint,
)

SWITCH_FOLDERS = {
    "with_device_plugin": "device-plugin/",
    "with_operator": "operator/",
    "with_monitoring": "monitoring/",
    "with_certification": "certification/",
}
# Switches whose component this template version generates; the others are recorded and shown in
# the checklist, but no folder comes of them yet.
GENERATED = {s for s, folder in SWITCH_FOLDERS.items() if (TEMPLATE / "project" / folder).is_dir()}


def _render(copie: Any, answers: dict[str, Any]) -> Path:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code == 0, result.exception
    assert result.project_dir is not None
    return Path(result.project_dir)


def _all_files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*") if p.is_file() and ".git" not in p.parts)


def _check_every_file(project: Path) -> None:
    for path in _all_files(project):
        checker = checker_for(path)
        assert checker is not None, f"{path.relative_to(project)}: no tool checks this kind of file"
        checker.check(path)
    run_yamllint(project)
    run_editorconfig_checker(project, project.parent)


def _readme_folders(project: Path) -> set[str]:
    """The folders the README's 'What is inside' table lists, read through a Markdown parser."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse((project / "README.md").read_text())
    return {
        t.content for t in tokens if t.type == "inline" and re.fullmatch(r"`[-a-z]+/`", t.content)
    } | {
        child.content
        for t in tokens
        if t.type == "inline" and t.children
        for child in t.children
        if child.type == "code_inline" and child.content.endswith("/")
    }


def test_defaults_render_and_every_file_passes_its_tool(copie: Any) -> None:
    project = _render(copie, answer_set("default"))
    _check_every_file(project)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["kernel_module_name"] == "acme_edu_accelerator"
    assert answers["resource_name"] == "acme.com/acme-edu-accelerator"


@pytest.mark.slow
@pytest.mark.parametrize("switch", sorted(SWITCH_FOLDERS))
@pytest.mark.parametrize("enabled", [True, False])
def test_each_component_switch(copie: Any, switch: str, enabled: bool) -> None:
    project = _render(copie, {**answer_set("default"), switch: enabled})
    _check_every_file(project)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())[switch] is enabled
    generated = switch in GENERATED and enabled
    assert (project / SWITCH_FOLDERS[switch]).is_dir() is generated
    assert (SWITCH_FOLDERS[switch] in _readme_folders(project)) is generated


def test_all_switches_off_still_renders_the_core(copie: Any) -> None:
    project = _render(copie, {**answer_set("default"), **dict.fromkeys(SWITCH_FOLDERS, False)})
    _check_every_file(project)
    assert {"kernel-module/", "driver-container/", "deploy/"} <= _readme_folders(project)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


def test_hostile_answers_come_out_as_data_everywhere(copie: Any) -> None:
    hostile = answer_set("hostile")
    project = _render(copie, hostile)
    _check_every_file(project)
    vendor, product = hostile["vendor_name"], hostile["product_name"]

    # YAML and JSON: every string that carries the vendor or product name carries it exactly.
    found = 0
    for path in _all_files(project):
        if path.suffix in {".yaml", ".yml"}:
            docs = load_yaml_documents(path)
        elif path.suffix == ".json":
            docs = [json.loads(path.read_text())]
        else:
            continue
        for text in _strings(docs):
            for name, marker in ((vendor, "Quantum"), (product, "O'Brien")):
                if marker in text and name in text:
                    found += 1
                elif marker in text:
                    pytest.fail(f"{path.relative_to(project)}: {text!r} mangles {name!r}")
    assert found >= 2  # at least the answers file records both

    # Markdown: the README's title renders to exactly the product name.
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse((project / "README.md").read_text())
    title = next(t for t in tokens if t.type == "inline")
    assert "".join(c.content for c in title.children or []) == f"{product} on OpenShift"

    # Plain text: the licence names the vendor verbatim.
    assert f"Copyright 2026 {vendor}\n" in (project / "LICENSE").read_text()

    # make: the top-level Makefile still parses and plans its targets.
    run = subprocess.run(
        [require_tool("make"), "-n", "all", "test", "lint"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("name", ["default", "full"])
def test_the_projects_gitignore_hides_no_generated_file(copie: Any, name: str) -> None:
    """A partner commits the project as generated: nothing in it may match its own .gitignore."""
    project = _render(copie, answer_set(name))
    git = require_tool("git")
    subprocess.run([git, "init", "-q"], cwd=project, check=True)
    files = [str(p.relative_to(project)) for p in _all_files(project)]
    ignored = subprocess.run(
        [git, "check-ignore", "--no-index", "--stdin"],
        cwd=project,
        input="\n".join(files),
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == [], "generated files that .gitignore hides"
