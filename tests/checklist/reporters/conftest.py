"""One report with every status in it (done, missing, todo, stale, n/a) for the format tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.engine import evaluate
from checklist.model import Mark, Report, Status
from checklist.state import set_mark
from tests.checklist.helpers import EVIDENCE_URL, HOSTILE, SCRIPT_URL, make_project


@pytest.fixture
def mixed_report(tmp_path: Path) -> Report:
    project = make_project(
        tmp_path / "project",
        {"kernel-module/Kbuild": "obj-m += acme_edu.o\n"},
        with_monitoring=False,
        vendor_name=HOSTILE,
    )
    set_mark(project, Mark("kernel-module.pci-id-table", Status.DONE, evidence="x", by="J", at=""))
    set_mark(
        project, Mark("kmm.subscription", Status.NOT_APPLICABLE, reason=HOSTILE, by="J", at="")
    )
    set_mark(project, Mark("validated.github-user", Status.DONE, evidence=HOSTILE, by="J", at=""))
    set_mark(
        project, Mark("validated.must-gather", Status.DONE, evidence=EVIDENCE_URL, by="J", at="")
    )
    set_mark(
        project, Mark("validated.software-stack", Status.DONE, evidence=SCRIPT_URL, by="J", at="")
    )
    report = evaluate(project)
    words = {r.status for r in report.results}
    assert words == set(Status)
    assert any(r.stale_mark for r in report.results)
    return report
