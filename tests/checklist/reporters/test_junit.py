"""JUnit XML: parses, one test case per applicable item, required-and-not-done items fail."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checklist.model import Level, Report, Status
from checklist.reporters import junit


def test_counts_match_the_report(mixed_report: Report) -> None:
    root = ET.fromstring(junit.render(mixed_report))
    applicable = [r for r in mixed_report.results if r.applicable]
    required_todo = [
        r for r in applicable if r.status is Status.TODO and r.item.level is Level.REQUIRED
    ]
    recommended_todo = [
        r for r in applicable if r.status is Status.TODO and r.item.level is Level.RECOMMENDED
    ]
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(applicable) == int(root.get("tests", "-1"))
    assert len(root.findall("./testsuite/testcase/failure")) == len(required_todo)
    assert int(root.get("failures", "-1")) == len(required_todo)
    assert int(root.get("skipped", "-1")) == len(recommended_todo)
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests", "-1")) == len(suite.findall("testcase"))
        assert int(suite.get("failures", "-1")) == len(suite.findall("testcase/failure"))


def test_not_applicable_items_are_left_out(mixed_report: Report) -> None:
    names = [c.get("name", "") for c in ET.fromstring(junit.render(mixed_report)).iter("testcase")]
    left_out = [r.item.id for r in mixed_report.results if not r.applicable]
    assert left_out
    assert not any(name.startswith(f"{item_id}:") for name in names for item_id in left_out)


def test_failure_carries_reason_why_and_docs(mixed_report: Report) -> None:
    root = ET.fromstring(junit.render(mixed_report))
    stale = next(r for r in mixed_report.results if r.stale_mark)
    case = next(c for c in root.iter("testcase") if c.get("name", "").startswith(stale.item.id))
    failure = case.find("failure")
    assert failure is not None
    assert "but a probe fails" in failure.get("message", "")
    assert stale.item.docs in (failure.text or "")
