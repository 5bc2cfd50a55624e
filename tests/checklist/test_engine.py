"""How answers, probes and marks combine into an item's status, and how --fail-on reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.catalog import load_catalog
from checklist.engine import evaluate, failures
from checklist.errors import ChecklistError
from checklist.model import Level, Mark, Status
from checklist.state import set_mark
from tests.checklist.helpers import make_project

KBUILD = {"kernel-module/Kbuild": "obj-m += acme_edu.o\n"}


def _status(project: Path, item_id: str) -> tuple[Status, str]:
    result = evaluate(project).result(item_id)
    return result.status, result.reason


def test_probe_passing_makes_an_item_done(tmp_path: Path) -> None:
    project = make_project(tmp_path, KBUILD)
    status, reason = _status(project, "kernel-module.kbuild")
    assert status is Status.DONE and "acme_edu.ko" in reason


def test_failing_probe_beats_a_stale_manual_done_and_says_so(tmp_path: Path) -> None:
    project = make_project(tmp_path, {})
    set_mark(
        project,
        Mark(
            "kernel-module.kbuild",
            Status.DONE,
            evidence="https://ci/1",
            by="Jo",
            at="2026-01-02T00:00:00",
        ),
    )
    result = evaluate(project).result("kernel-module.kbuild")
    assert result.status is Status.TODO
    assert result.stale_mark
    assert "marked done by Jo on 2026-01-02, but a probe fails: no Kbuild file" in result.reason


def test_manual_item_needs_a_mark(tmp_path: Path) -> None:
    project = make_project(tmp_path, {})
    status, reason = _status(project, "validated.must-gather")
    assert status is Status.TODO and "scaffold checklist mark validated.must-gather" in reason
    set_mark(
        project, Mark("validated.must-gather", Status.DONE, evidence="https://x/mg", by="Jo", at="")
    )
    status, reason = _status(project, "validated.must-gather")
    assert status is Status.DONE and reason == "marked done by Jo: https://x/mg"


def test_na_mark_makes_an_item_not_applicable(tmp_path: Path) -> None:
    project = make_project(tmp_path, KBUILD)
    set_mark(
        project,
        Mark("kernel-module.kbuild", Status.NOT_APPLICABLE, reason="in-tree", by="Jo", at=""),
    )
    status, reason = _status(project, "kernel-module.kbuild")
    assert status is Status.NOT_APPLICABLE and reason.endswith("in-tree")


@pytest.mark.parametrize(
    ("answers", "item_id"),
    [
        ({"with_operator": False}, "operator.csv"),
        ({"with_device_plugin": False}, "device-plugin.allocate"),
        ({"with_monitoring": False}, "monitoring.prometheus-rules"),
        ({"with_certification": False}, "certification.preflight-config"),
        ({"with_firmware": False}, "kmm.firmware"),
        ({"driver_build": "prebuilt"}, "kmm.in-cluster-build"),
    ],
)
def test_answers_switch_items_off(tmp_path: Path, answers: dict, item_id: str) -> None:
    status, reason = _status(make_project(tmp_path, {}, **answers), item_id)
    assert status is Status.NOT_APPLICABLE
    name = next(iter(answers))
    assert f"applies only when {name} is" in reason


def test_match_any_needs_one_probe(tmp_path: Path) -> None:
    daemonset = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: dp}\nspec: {}\n"
    project = make_project(tmp_path, {"deploy/dp.yaml": daemonset})
    status, reason = _status(project, "device-plugin.daemonset")
    assert status is Status.DONE and "DaemonSet 'dp'" in reason


def test_unknown_marks_become_warnings(tmp_path: Path) -> None:
    project = make_project(tmp_path, {})
    set_mark(project, Mark("retired.item", Status.DONE, evidence="x", by="", at=""))
    lines = (project / "checklist.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.strip() == "retired.item:")
    report = evaluate(project)
    assert report.warnings == (
        f"checklist.yaml line {line}: no checklist item 'retired.item'; the entry is ignored",
    )


def test_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError, match="not a generated project"):
        evaluate(tmp_path)
    with pytest.raises(ChecklistError, match="no such directory"):
        evaluate(tmp_path / "missing")


def test_fail_on_policies(tmp_path: Path) -> None:
    report = evaluate(make_project(tmp_path, {}))
    todo = [r for r in report.results if r.status is Status.TODO]
    required = [r for r in todo if r.item.level is Level.REQUIRED]
    assert failures(report, "none") == []
    assert failures(report, "any") == todo
    assert failures(report, "required") == required
    assert 0 < len(required) < len(todo)


def test_progress_counts_only_applicable_items(tmp_path: Path) -> None:
    report = evaluate(make_project(tmp_path, KBUILD, with_operator=False))
    applicable = [r for r in report.results if r.status is not Status.NOT_APPLICABLE]
    assert report.progress.applicable == len(applicable)
    assert report.progress.done == sum(r.status is Status.DONE for r in applicable)
    assert len(report.results) == len(load_catalog().items)
