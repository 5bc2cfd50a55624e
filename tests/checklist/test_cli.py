"""`scaffold checklist ...` driven through scaffold.main.main, as a user would run it."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from checklist.catalog import load_catalog
from checklist.state import STATE_FILE
from scaffold.errors import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USER_ERROR
from scaffold.main import main
from tests.checklist.helpers import make_project

MANUAL = "validated.must-gather"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {"kernel-module/Kbuild": "obj-m += acme_edu.o\n"})


def _json_status(project: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()  # drop what earlier commands printed
    assert main(["checklist", "status", str(project), "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    return {i["id"]: i for s in document["sections"] for i in s["items"]}


def test_mark_na_and_reset_round_trip(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _json_status(project, capsys)[MANUAL]["status"] == "todo"

    code = main(
        ["checklist", "mark", MANUAL, str(project), "--evidence", "https://x/mg.tgz", "--by", "Ann"]
    )
    assert code == EXIT_OK
    item = _json_status(project, capsys)[MANUAL]
    assert (item["status"], item["mark"]["evidence"], item["mark"]["by"]) == (
        "done",
        "https://x/mg.tgz",
        "Ann",
    )

    assert (
        main(["checklist", "na", MANUAL, str(project), "--reason", "lab only", "--by", "Ann"])
        == EXIT_OK
    )
    item = _json_status(project, capsys)[MANUAL]
    assert (item["status"], item["mark"]["reason"]) == ("n/a", "lab only")

    assert main(["checklist", "reset", MANUAL, str(project)]) == EXIT_OK
    assert _json_status(project, capsys)[MANUAL]["mark"] is None
    assert MANUAL not in (yaml.safe_load((project / STATE_FILE).read_text())["items"] or {})


def test_mark_accepts_a_path_in_the_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "stack.md").write_text("# Validated stack\n")
    args = [
        "checklist",
        "mark",
        "validated.software-stack",
        str(project),
        "--evidence",
        "docs/stack.md",
    ]
    assert main(args) == EXIT_OK
    assert _json_status(project, capsys)["validated.software-stack"]["status"] == "done"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["mark", "no.such-item", "--evidence", "https://x"], "no checklist item 'no.such-item'"),
        (["mark", MANUAL, "--evidence", "missing/file.txt"], "neither a URL"),
        (["na", MANUAL, "--reason", "  "], "say why"),
    ],
)
def test_user_errors_exit_1_and_write_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    action, item, *rest = args
    assert main(["checklist", action, item, str(project), *rest]) == EXIT_USER_ERROR
    assert needle in capsys.readouterr().err
    assert not (project / STATE_FILE).exists()


def test_malformed_state_file_is_reported_and_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "version: 1\nitems:\n  a.b: {status: done\n"
    (project / STATE_FILE).write_text(broken)
    assert (
        main(["checklist", "mark", MANUAL, str(project), "--evidence", "https://x"])
        == EXIT_USER_ERROR
    )
    assert f"{STATE_FILE} line" in capsys.readouterr().err
    assert main(["checklist", "status", str(project)]) == EXIT_USER_ERROR
    assert (project / STATE_FILE).read_text() == broken


def test_fail_on_sets_the_exit_code(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["checklist", "status", str(project), "--format", "junit"]
    assert main([*base, "--fail-on", "none"]) == EXIT_OK
    assert capsys.readouterr().err == ""
    assert main([*base, "--fail-on", "required"]) == EXIT_CHECK_FAILED
    captured = capsys.readouterr()
    assert "required items not done" in captured.err
    assert ET.fromstring(captured.out.encode()).tag == "testsuites"  # stdout stays a document


def test_fail_on_required_passes_when_only_recommended_items_are_open(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _json_status(project, capsys)
    for item_id, item in items.items():
        if item["level"] == "required" and item["status"] == "todo":
            assert main(["checklist", "na", item_id, str(project), "--reason", "test"]) == EXIT_OK
    assert main(["checklist", "status", str(project), "--fail-on", "required"]) == EXIT_OK
    assert main(["checklist", "status", str(project), "--fail-on", "any"]) == EXIT_CHECK_FAILED


@pytest.mark.parametrize("format_name", ["table", "markdown", "json", "junit", "html", "badge"])
def test_every_format_writes_to_a_file(project: Path, tmp_path: Path, format_name: str) -> None:
    target = tmp_path / f"report.{format_name}"
    badge = tmp_path / "badge.svg"
    args = [
        "checklist",
        "status",
        str(project),
        "-f",
        format_name,
        "-o",
        str(target),
        "--badge",
        str(badge),
    ]
    assert main(args) == EXIT_OK
    assert target.read_text(encoding="utf-8").strip()
    assert ET.parse(badge).getroot().tag.endswith("svg")


def test_explain_says_what_is_needed_and_why_not_done(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = load_catalog().item("kmm.module")
    assert main(["checklist", "explain", item.id, str(project)]) == EXIT_OK
    text = capsys.readouterr().out
    for expected in (
        item.title,
        item.why,
        item.how,
        item.docs,
        "[FAIL] yaml_kind",
        "no file matches",
    ):
        assert expected in text


def test_list_and_probes(capsys: pytest.CaptureFixture[str]) -> None:
    from checklist.probes import REGISTRY

    assert main(["checklist", "list"]) == EXIT_OK
    listed = capsys.readouterr().out
    assert all(item.id in listed for item in load_catalog().items)
    assert main(["checklist", "probes"]) == EXIT_OK
    documented = capsys.readouterr().out
    assert all(name in documented for name in REGISTRY)


def test_not_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "status", str(tmp_path)]) == EXIT_USER_ERROR
    assert "not a generated project" in capsys.readouterr().err


def test_help_does_not_import_the_checklist(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, scaffold.main as m; m.build_parser(); "
        "print(sorted(n for n in sys.modules if n.startswith(('checklist', 'ruamel'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_shipped_project_copy_is_not_touched(render_session, tmp_path: Path) -> None:
    fresh = render_session("default")
    project = Path(shutil.copytree(fresh, tmp_path / "p"))
    assert (
        main(["checklist", "status", str(project), "-f", "json", "-o", str(tmp_path / "r.json")])
        == EXIT_OK
    )
    assert not (project / STATE_FILE).exists()


def test_commands_find_the_project_from_a_subfolder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inside = project / "kernel-module"
    args = ["checklist", "mark", MANUAL, str(inside), "--evidence", "https://x/mg"]
    assert main(args) == EXIT_OK
    assert (project / STATE_FILE).is_file() and not (inside / STATE_FILE).exists()
    assert _json_status(inside, capsys)[MANUAL]["status"] == "done"


def test_reports_of_a_rendered_project_agree(
    render_session, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    from checklist.reporters.json import schema_path

    project = render_session("full")
    capsys.readouterr()
    assert main(["checklist", "status", str(project), "-f", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, json.loads(schema_path().read_text()))
    assert main(["checklist", "status", str(project), "-f", "junit"]) == EXIT_OK
    suites = ET.fromstring(capsys.readouterr().out.encode())
    summary = document["summary"]
    assert int(suites.get("tests", "-1")) == summary["applicable"]
    assert int(suites.get("failures", "-1")) == summary["required_missing"]


def test_who_defaults_to_the_git_user(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "config", "user.name", "Ann Tester"], check=True)
    assert main(["checklist", "mark", MANUAL, str(project), "--evidence", "https://x"]) == EXIT_OK
    mark = _json_status(project, capsys)[MANUAL]["mark"]
    assert mark["by"] == "Ann Tester"
    assert mark["at"].endswith("+00:00")
