"""file_exists, file_contains and no_placeholders: one passing and one failing project each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checklist.helpers import make_project, run_probe


@pytest.mark.parametrize(
    ("files", "options", "passed"),
    [
        ({"kernel-module/Kbuild": "obj-m += x.o\n"}, {"paths": "kernel-module/Kbuild"}, True),
        ({"a/b/c.yaml": "x: 1\n"}, {"paths": "**/*.{yml,yaml}"}, True),
        ({"a.yaml": ""}, {"paths": ["a.yaml", "missing.yaml"]}, False),
        ({"a.yaml": ""}, {"paths": "*.yaml", "exclude": ["a.yaml"]}, False),
        ({}, {"paths": "kernel-module/Kbuild"}, False),
    ],
)
def test_file_exists(tmp_path: Path, files: dict[str, str], options: dict, passed: bool) -> None:
    result = run_probe("file_exists", make_project(tmp_path, files), **options)
    assert result.passed is passed, result.reason
    if not passed:
        assert "no file matches" in result.reason


def test_file_contains_passes_and_names_the_file(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"km/main.c": 'MODULE_LICENSE("GPL");\n', "km/x.c": ""})
    result = run_probe("file_contains", project, paths="km/*.c", pattern=r"MODULE_LICENSE\(")
    assert result.passed
    assert result.evidence == ("km/main.c",)


def test_file_contains_fails_without_the_pattern(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"km/main.c": "int x;\n"})
    result = run_probe("file_contains", project, paths="km/*.c", pattern=r"MODULE_LICENSE\(")
    assert not result.passed
    assert "not found" in result.reason


def test_file_contains_all_files_names_the_misses(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.c": "GPL", "b.c": "nothing"})
    result = run_probe("file_contains", project, paths="*.c", pattern="GPL", all_files=True)
    assert not result.passed
    assert "b.c" in result.reason and "a.c" not in result.reason


@pytest.mark.parametrize(
    "text",
    [
        "name: my-project\n",
        "run: echo ${{ github.ref }}\n",  # a GitHub Actions expression
        "{{ .Values.image }}\n{{- end }}\n",  # a Helm / Go template
        '"legendFormat": "{{instance}} {{ device }}"\n',  # Grafana
        "summary: '{{ $labels.node }} lost {{ $value }} devices'\n",  # Prometheus
    ],
)
def test_no_placeholders_passes_on_rendered_text(tmp_path: Path, text: str) -> None:
    assert run_probe("no_placeholders", make_project(tmp_path, {"f.yaml": text})).passed


@pytest.mark.parametrize(
    ("files", "shown"),
    [
        ({"README.md": "# Title\nBy {{ vendor_name }}\n"}, "README.md:2"),
        ({"Makefile": "{%- if with_operator %}\n"}, "Makefile:1"),
        ({"deploy/module.yaml.jinja": "x: 1\n"}, "module.yaml.jinja"),
        ({"x.yaml": "a: {{ kernel_module_name | upper }}\n"}, "x.yaml:1"),
        ({"deploy/ns.yaml": "name: {{ names.namespace }}\n"}, "deploy/ns.yaml:1"),
        ({"a.txt": "{{ _copier_conf.answers_file }}\n"}, "a.txt:1"),
    ],
)
def test_no_placeholders_fails_and_names_the_place(
    tmp_path: Path, files: dict[str, str], shown: str
) -> None:
    result = run_probe("no_placeholders", make_project(tmp_path, files))
    assert not result.passed
    assert shown in result.reason


def test_no_placeholders_takes_extra_markers(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"README.md": "Contact: CHANGEME\n"})
    assert run_probe("no_placeholders", project).passed
    assert not run_probe("no_placeholders", project, markers=["CHANGEME"]).passed


def test_file_contains_literal_text_and_bad_regex(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"main.go": 'const name = "acme.com/edu(x)"\n'})
    literal = run_probe(
        "file_contains", project, paths="*.go", pattern="acme.com/edu(x)", literal=True
    )
    assert literal.passed
    assert not run_probe("file_contains", project, paths="*.go", pattern="acme.com/edu(x)").passed
    broken = run_probe("file_contains", project, paths="*.go", pattern="edu(")
    assert not broken.passed and "not a valid regex" in broken.reason


def test_no_placeholders_accepts_jinja_like_text_that_came_from_an_answer(tmp_path: Path) -> None:
    vendor = 'Acme "Quantum" {{ x }} {% raw %}'
    rendered = {
        "LICENSE": f"Copyright {vendor}\n",
        "main.c": '#define AUTHOR "Acme \\"Q\\" {{ x }}"\n',
    }
    assert run_probe(
        "no_placeholders", make_project(tmp_path / "a", rendered, vendor_name=vendor)
    ).passed
    leftover = {**rendered, "README.md": "{{ product_name }}\n"}
    result = run_probe(
        "no_placeholders", make_project(tmp_path / "b", leftover, vendor_name=vendor)
    )
    assert not result.passed and "README.md:1 '{{ product_name }}'" in result.reason


def test_file_contains_description_replaces_the_regex_in_reasons(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"km/Makefile": "all:\n"})
    options = {"paths": "km/Makefile", "pattern": r"^lint\s*:", "description": "a lint target"}
    result = run_probe("file_contains", project, **options)
    assert not result.passed
    assert result.reason.startswith("a lint target not found") and "^lint" not in result.reason
