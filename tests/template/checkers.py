"""Which real tool checks each kind of generated file, and the light checks run on every file.

Every file a render produces must match one entry of ``CHECKERS``; a file of a new kind fails
``test_every_generated_file_has_a_checker`` until someone says which tool proves it right. Heavy
checks (compilers, schema validation) live in their component's tests; the entry names that test.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.conftest import require_tool


class UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate mapping keys (PyYAML silently keeps the last)."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def load_yaml_documents(path: Path) -> list[object]:
    return list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader))


def check_yaml(path: Path) -> None:
    load_yaml_documents(path)
    if path.parent.name == "workflows" and path.parent.parent.name == ".github":
        check_workflow(path)


def check_workflow(path: Path) -> None:
    """GitHub Actions workflows: actionlint checks the schema, expressions and, with shellcheck,
    every ``run:`` script."""
    run = subprocess.run(
        [require_tool("actionlint"), "-shellcheck", require_tool("shellcheck"), str(path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def check_json(path: Path) -> None:
    json.loads(path.read_text(encoding="utf-8"))


def check_shell(path: Path) -> None:
    run = subprocess.run(
        [require_tool("shellcheck"), "--severity=style", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def check_dockerfile(path: Path) -> None:
    config = next(
        (p / ".hadolint.yaml" for p in path.parents if (p / ".hadolint.yaml").exists()), None
    )
    args = [require_tool("hadolint"), "--no-color"]
    if config:
        args += ["--config", str(config)]
    run = subprocess.run([*args, str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def check_markdown(path: Path) -> None:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))
    assert tokens, f"{path} renders to nothing"


def check_makefile(path: Path) -> None:
    """make parses the file and can plan its default target without running anything."""
    run = subprocess.run(
        [require_tool("make"), "-n", "-f", path.name, "help"],
        cwd=path.parent,
        capture_output=True,
        text=True,
    )
    missing_target = "No rule to make target 'help'" in run.stderr
    assert run.returncode == 0 or missing_target, run.stderr


def by_component_test(_path: Path) -> None:
    """Checked by the component's own test module (named in CHECKERS)."""


@dataclass(frozen=True)
class Checker:
    patterns: tuple[str, ...]
    tool: str
    check: Callable[[Path], None]


CHECKERS: list[Checker] = [
    Checker(
        ("*.yaml", "*.yml", ".yamllint.yaml", ".copier-answers.yml"),
        "PyYAML + yamllint",
        check_yaml,
    ),
    Checker(("*.json",), "json", check_json),
    Checker(("*.sh",), "shellcheck", check_shell),
    Checker(("Dockerfile", "*.Dockerfile", "Containerfile"), "hadolint", check_dockerfile),
    Checker(("*.md",), "markdown-it (CommonMark)", check_markdown),
    Checker(("Makefile", "*.mk"), "make -n", check_makefile),
    Checker(
        ("*.c", "*.h", "Kbuild"),
        "kbuild + sparse (tests/template/test_kernel_module.py)",
        by_component_test,
    ),
    Checker(("*.go", "go.mod", "go.sum"), "go build/vet/test (component tests)", by_component_test),
    Checker(
        ("*.dockerignore",),
        "BuildKit's pattern matcher (tests/template/test_driver_container.py)",
        by_component_test,
    ),
    Checker(
        ("VERSION",),
        "make reads it, modinfo shows it (tests/template/test_kernel_module.py)",
        by_component_test,
    ),
    Checker(
        (".editorconfig",),
        "editorconfig-checker over the whole project (test_render.py)",
        by_component_test,
    ),
    Checker(
        ("LICENSE", ".gitignore", "*.txt"),
        "plain text: read back in test_render.py, git check-ignore in test_kernel_module.py",
        by_component_test,
    ),
]


def checker_for(path: Path) -> Checker | None:
    for checker in CHECKERS:
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in checker.patterns):
            return checker
    return None


def run_editorconfig_checker(project: Path, tmp_dir: Path) -> None:
    """Every file keeps the project's .editorconfig (charset, LF, final newline, no trailing
    spaces, tabs where make and Go need them); tab-then-spaces alignment, kernel style, is fine."""
    config = tmp_dir / "editorconfig-checker.json"
    config.write_text(json.dumps({"SpacesAfterTabs": True}))
    run = subprocess.run(
        [require_tool("editorconfig-checker"), "-no-color", "-config", str(config)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def run_yamllint(project: Path) -> None:
    run = subprocess.run(
        [require_tool("yamllint"), "--strict", "--format", "parsable", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
