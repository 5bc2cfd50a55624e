"""The JSON report validates against the schema shipped in the package."""

from __future__ import annotations

import json

import jsonschema
import pytest

from checklist import SCHEMA_VERSION
from checklist.model import Report, Status
from checklist.reporters import json as json_reporter


def _schema() -> dict:
    schema = json.loads(json_reporter.schema_path().read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_report_validates_against_its_schema(mixed_report: Report) -> None:
    document = json.loads(json_reporter.render(mixed_report))
    jsonschema.validate(document, _schema(), format_checker=jsonschema.FormatChecker())
    assert document["schema_version"] == SCHEMA_VERSION


def test_counts_match_the_report(mixed_report: Report) -> None:
    document = json.loads(json_reporter.render(mixed_report))
    assert document["summary"]["done"] == mixed_report.progress.done
    assert document["summary"]["applicable"] == mixed_report.progress.applicable
    items = [i for s in document["sections"] for i in s["items"]]
    assert [i["id"] for i in items] == [r.item.id for r in mixed_report.results]
    assert document["project"]["facts"] == dict(mixed_report.facts)
    stale = [i for i in items if i["stale_mark"]]
    assert stale and all(i["status"] == Status.TODO.value for i in stale)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda d: d.update(schema_version="2.0"),
        lambda d: d["sections"][0]["items"][0].update(status="maybe"),
        lambda d: d["summary"].pop("required"),
        lambda d: d.update(extra=1),
    ],
)
def test_schema_rejects_wrong_documents(mixed_report: Report, corrupt) -> None:
    document = json.loads(json_reporter.render(mixed_report))
    corrupt(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, _schema())


def test_schema_ships_in_the_package() -> None:
    from pathlib import Path

    import checklist

    assert json_reporter.schema_path().is_relative_to(Path(checklist.__file__).parent)
    assert SCHEMA_VERSION.split(".")[0] in json_reporter.schema_path().name
