"""Evaluate the catalog on a project: answers decide what applies, probes and marks what is done.

The rules, in order, for each item:
1. An answer outside the item's ``applies_when`` makes it not applicable (its component is off).
2. A manual ``n/a`` mark makes it not applicable, with the mark's reason.
3. An item with probes is done when every probe passes (one, for an item with ``match: any``).
   Failing probes make it todo even when it is marked done: the mark is then reported as stale,
   because the project no longer shows it.
4. An item without probes is done only by a manual ``done`` mark with evidence.

Nothing here prints or exits: the result is a ``Report`` for a reporter to format.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from checklist import probes
from checklist.catalog import Catalog, load_catalog
from checklist.errors import ChecklistError
from checklist.model import (
    Item,
    ItemResult,
    Mark,
    ProbeCall,
    ProbeResult,
    Report,
    SectionResult,
    Status,
)
from checklist.project import Project
from checklist.state import STATE_FILE, read_marks

FAIL_ON = ("required", "any", "none")
# Answers that identify what a report is evidence for, in the order reports show them.
FACT_ANSWERS = (
    ("vendor_name", "Vendor"),
    ("product_name", "Product"),
    ("pci_vendor_id", "PCI vendor id"),
    ("pci_device_ids", "PCI device ids"),
    ("openshift_versions", "OpenShift releases"),
    ("driver_build", "Driver builds"),
)


def _facts(answers: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    facts = []
    for name, label in FACT_ANSWERS:
        value = answers.get(name)
        if value not in (None, "", []):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            facts.append((label, shown))
    return tuple(facts)


def _unmet_condition(item: Item, answers: dict[str, Any]) -> str | None:
    for name, accepted in item.applies_when.items():
        if name not in answers:
            return f"applies only when {name} is answered (the project has no {name})"
        if answers[name] not in accepted:
            shown = " or ".join(_show(a) for a in accepted)
            return f"applies only when {name} is {shown} (it is {_show(answers[name])})"
    return None


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _marked(mark: Mark) -> str:
    """'marked done by Ann on 2026-11-02': who and when, as far as the entry says."""
    parts = [f"marked {mark.status.value}"]
    parts += [f"by {mark.by}"] if mark.by else []
    parts += [f"on {mark.at[:10]}"] if mark.at else []
    return " ".join(parts)


def run_probes(item: Item, project: Project) -> tuple[tuple[ProbeCall, ProbeResult], ...]:
    results = []
    for call in item.probes:
        try:
            result = probes.get(call.probe).run(project, call.options)
        except ChecklistError as error:  # e.g. a file that vanished while we read the tree
            result = ProbeResult.fail(str(error))
        results.append((call, result))
    return tuple(results)


def evaluate_item(item: Item, project: Project, mark: Mark | None) -> ItemResult:
    unmet = _unmet_condition(item, project.answers)
    if unmet:
        return ItemResult(item, Status.NOT_APPLICABLE, unmet, mark=mark)
    if mark is not None and mark.status is Status.NOT_APPLICABLE:
        return ItemResult(item, Status.NOT_APPLICABLE, f"{_marked(mark)}: {mark.reason}", mark=mark)
    done_mark = mark if mark is not None and mark.status is Status.DONE else None
    if item.automatic:
        outcomes = run_probes(item, project)
        passed = [r for _, r in outcomes if r.passed]
        failed = [r for _, r in outcomes if not r.passed]
        if not failed or (item.match == "any" and passed):
            reason = "; ".join(r.reason for r in passed)
            return ItemResult(item, Status.DONE, reason, outcomes, mark)
        # With match: any every probe failed, and each one's reason may be the useful one.
        why = " / ".join(dict.fromkeys(r.reason for r in failed)) if item.match == "any" else ""
        why = why or failed[0].reason
        if done_mark is not None:
            reason = f"{_marked(done_mark)}, but a probe fails: {why}"
            return ItemResult(item, Status.TODO, reason, outcomes, mark, stale_mark=True)
        return ItemResult(item, Status.TODO, why, outcomes, mark)
    if done_mark is not None:
        reason = f"{_marked(done_mark)}: {done_mark.evidence}"
        return ItemResult(item, Status.DONE, reason, mark=mark)
    return ItemResult(
        item,
        Status.TODO,
        f"needs a manual mark: scaffold checklist mark {item.id} --evidence URL-OR-PATH",
        mark=mark,
    )


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def evaluate(
    project_dir: Path,
    catalog: Catalog | None = None,
    *,
    only: Iterable[str] = (),
    generated_at: str | None = None,
) -> Report:
    """The checklist report of a generated project; ``only`` limits it to some item ids."""
    catalog = catalog or load_catalog()
    project = Project.open(project_dir)
    marks = read_marks(project_dir)
    known = {item.id for item in catalog.items}
    warnings = tuple(
        f"{STATE_FILE} line {m.line}: no checklist item {m.item_id!r}; the entry is ignored"
        for m in marks.values()
        if m.item_id not in known
    )
    wanted = set(only)
    sections = []
    for section in catalog.sections:
        results = tuple(
            evaluate_item(item, project, marks.get(item.id))
            for item in catalog.in_section(section)
            if not wanted or item.id in wanted
        )
        if results:
            sections.append(SectionResult(section, results))
    return Report(
        project_dir=str(project_dir),
        project_name=str(project.answers.get("project_slug") or project_dir.resolve().name),
        catalog_version=catalog.version,
        generated_at=generated_at or _now(),
        sections=tuple(sections),
        warnings=warnings,
        facts=_facts(project.answers),
    )


def failures(report: Report, fail_on: str) -> list[ItemResult]:
    """The items that make a run fail under ``fail_on``: required, any, or none."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {FAIL_ON}")
    if fail_on == "none":
        return []
    if fail_on == "required":
        return [r for r in report.results if r.failing_required]
    return [r for r in report.results if r.status is Status.TODO]
