"""JUnit XML for CI test tabs: one test suite per section, one test case per applicable item.

A required item not done is a failure; a recommended one not done is skipped (visible, not red).
Items that do not apply are left out, so the counts match what the project has to do.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checklist.model import ItemResult, Level, Report, Status
from checklist.reporters.common import clean


def _case(parent: ET.Element, result: ItemResult, suite_id: str) -> tuple[int, int]:
    """Add one test case; return (failures, skipped) it adds."""
    item = result.item
    case = ET.SubElement(
        parent,
        "testcase",
        {
            "classname": f"checklist.{suite_id}",
            "name": f"{item.id}: {clean(item.title)}",
            "time": "0",
        },
    )
    if result.status is Status.DONE:
        ET.SubElement(case, "system-out").text = clean(result.reason)
        return 0, 0
    details = "\n".join(
        clean(line)
        for line in (result.reason, f"Why: {item.why}", f"How: {item.how}", f"Docs: {item.docs}")
    )
    if item.level is Level.REQUIRED:
        failure = ET.SubElement(
            case, "failure", {"message": clean(result.reason), "type": "required-item-not-done"}
        )
        failure.text = details
        return 1, 0
    ET.SubElement(case, "skipped", {"message": f"recommended, not done: {clean(result.reason)}"})
    return 0, 1


def render(report: Report) -> str:
    root = ET.Element("testsuites", {"name": f"enablement checklist: {clean(report.project_name)}"})
    totals = [0, 0, 0]
    for section in report.sections:
        applicable = [r for r in section.results if r.applicable]
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": clean(section.section.title), "timestamp": report.generated_at[:19]},
        )
        failures = skipped = 0
        for result in applicable:
            failed, skip = _case(suite, result, section.section.id)
            failures += failed
            skipped += skip
        suite.attrib.update(
            {
                "tests": str(len(applicable)),
                "failures": str(failures),
                "errors": "0",
                "skipped": str(skipped),
            }
        )
        totals = [totals[0] + len(applicable), totals[1] + failures, totals[2] + skipped]
    root.attrib.update(
        {
            "tests": str(totals[0]),
            "failures": str(totals[1]),
            "errors": "0",
            "skipped": str(totals[2]),
        }
    )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
