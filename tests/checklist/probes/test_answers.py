"""answers_recorded."""

from __future__ import annotations

from pathlib import Path

from tests.checklist.helpers import make_project, run_probe


def test_answers_recorded(tmp_path: Path) -> None:
    project = make_project(tmp_path, {}, driver_build="in-cluster")
    result = run_probe("answers_recorded", project, names=["driver_build", "pci_vendor_id"])
    assert result.passed
    assert "driver_build=in-cluster" in result.reason


def test_answers_missing_or_empty(tmp_path: Path) -> None:
    project = make_project(tmp_path, {}, pci_device_ids=[])
    result = run_probe("answers_recorded", project, names=["pci_device_ids", "no_such_answer"])
    assert not result.passed
    assert "pci_device_ids, no_such_answer" in result.reason
