"""The machine-readable report, versioned by ``SCHEMA_VERSION`` and described by a JSON Schema
shipped in the package (``checklist/schema/report-v1.json``, see ``schema_path()``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checklist import SCHEMA_VERSION
from checklist.model import ItemResult, Mark, Progress, Report
from checklist.reporters.common import status_word

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "report-v1.json"


def schema_path() -> Path:
    return SCHEMA_FILE


def _progress(progress: Progress) -> dict[str, Any]:
    return {"done": progress.done, "applicable": progress.applicable, "percent": progress.percent}


def _mark(mark: Mark | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    return {
        "status": mark.status.value,
        "evidence": mark.evidence,
        "reason": mark.reason,
        "by": mark.by,
        "at": mark.at,
    }


def _item(result: ItemResult) -> dict[str, Any]:
    item = result.item
    return {
        "id": item.id,
        "title": item.title,
        "status": result.status.value,
        "display_status": status_word(result),
        "reason": result.reason,
        "level": item.level.value,
        "owner": item.owner.value,
        "automatic": item.automatic,
        "component": item.component,
        "applies_when": {k: list(v) for k, v in item.applies_when.items()},
        "why": item.why,
        "how": item.how,
        "docs": item.docs,
        "stale_mark": result.stale_mark,
        "mark": _mark(result.mark),
        "probes": [
            {
                "probe": call.probe,
                "options": dict(call.options),
                "passed": outcome.passed,
                "reason": outcome.reason,
                "evidence": list(outcome.evidence),
            }
            for call, outcome in result.probe_results
        ],
    }


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "catalog_version": report.catalog_version,
        "generated_at": report.generated_at,
        "project": {
            "name": report.project_name,
            "path": report.project_dir,
            "facts": dict(report.facts),
        },
        "summary": {
            **_progress(report.progress),
            "required": _progress(report.required_progress),
            "required_missing": sum(r.failing_required for r in report.results),
        },
        "sections": [
            {
                "id": s.section.id,
                "title": s.section.title,
                **_progress(s.progress),
                "items": [_item(r) for r in s.results],
            }
            for s in report.sections
        ],
        "warnings": list(report.warnings),
    }


def render(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False)
