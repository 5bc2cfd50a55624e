"""preflight_static (the Dockerfile side of preflight's checks) and preflight_results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.checklist.helpers import make_project, run_probe

CERTIFIABLE = """\
FROM golang:1.22 AS build
RUN go build -o /plugin .
FROM registry.access.redhat.com/ubi9/ubi-micro:9.4
LABEL name=p vendor=v version=1 release=1 summary=s description=d
COPY LICENSE /licenses/
COPY --from=build /plugin /plugin
USER 65532:65532
ENTRYPOINT ["/plugin"]
"""


def test_preflight_static_passes_every_check(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"operator/Dockerfile": CERTIFIABLE})
    checks = ["HasLicense", "HasRequiredLabel", "BasedOnUbi", "RunAsNonRoot"]
    result = run_probe("preflight_static", project, paths="operator/Dockerfile", checks=checks)
    assert result.passed, result.reason


@pytest.mark.parametrize(
    ("old", "new", "check"),
    [
        ("COPY LICENSE /licenses/\n", "", "HasLicense"),
        ("release=1 ", "", "HasRequiredLabel"),
        ("registry.access.redhat.com/ubi9/ubi-micro:9.4", "alpine:3.20", "BasedOnUbi"),
        ("USER 65532:65532\n", "USER root\n", "RunAsNonRoot"),
    ],
)
def test_preflight_static_names_the_failing_check(
    tmp_path: Path, old: str, new: str, check: str
) -> None:
    project = make_project(tmp_path, {"Dockerfile": CERTIFIABLE.replace(old, new)})
    checks = ["HasLicense", "HasRequiredLabel", "BasedOnUbi", "RunAsNonRoot"]
    result = run_probe("preflight_static", project, paths="Dockerfile", checks=checks)
    assert not result.passed
    assert f"Dockerfile {check}:" in result.reason
    assert result.reason.count(":") >= 1


def test_preflight_static_rejects_an_unknown_check(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"Dockerfile": CERTIFIABLE})
    result = run_probe("preflight_static", project, paths="Dockerfile", checks=["HasNoBugs"])
    assert not result.passed and "unknown checks HasNoBugs" in result.reason


def _results(passed: bool) -> str:
    failed = [] if passed else [{"name": "HasLicense", "description": "..."}]
    return json.dumps({"image": "x", "passed": passed, "results": {"passed": [], "failed": failed}})


def test_preflight_results(tmp_path: Path) -> None:
    good = make_project(
        tmp_path / "a", {"certification/results/container/driver.json": _results(True)}
    )
    bad = make_project(
        tmp_path / "b", {"certification/results/container/driver.json": _results(False)}
    )
    paths = "certification/results/container/*.json"
    assert run_probe("preflight_results", good, paths=paths).passed
    result = run_probe("preflight_results", bad, paths=paths)
    assert not result.passed and "HasLicense" in result.reason


def test_preflight_results_missing_or_broken(tmp_path: Path) -> None:
    missing = make_project(tmp_path / "a", {})
    assert "no saved preflight results" in run_probe("preflight_results", missing).reason
    broken = make_project(tmp_path / "b", {"certification/results.json": "{"})
    result = run_probe("preflight_results", broken, paths="certification/*.json")
    assert not result.passed and "line 1: not valid JSON" in result.reason
