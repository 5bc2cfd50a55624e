"""The checklist on real renders: fresh projects pass what they contain, breakage flips exactly
the affected items, and switched-off components' items do not apply.

Components arrive over time, so the expectations are computed from the catalog and from which
folders the render holds, never from a fixed list of item ids.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from checklist.catalog import load_catalog
from checklist.engine import evaluate
from checklist.model import Item, Report, Status
from tests.conftest import TEMPLATE

# Every component folder the template generates (a new component joins these tests by existing).
COMPONENTS = sorted(
    p.name
    for p in (TEMPLATE / "project").iterdir()
    if p.is_dir() and p.name not in {"docs", ".github"}
)
SWITCHES = ["with_device_plugin", "with_operator", "with_monitoring", "with_certification"]
# Evidence of work done after generation (running preflight on built images): never in a render.
AFTER_GENERATION_PROBES = {"preflight_results"}


def _paths(item: Item) -> list[str]:
    found: list[str] = []
    for call in item.probes:
        value = call.options.get("paths", [])
        found.extend([value] if isinstance(value, str) else value)
    return found


def _folders(pattern: str) -> set[str]:
    """The top folders a glob can reach: ``{deploy,device-plugin}/**`` reaches both."""
    head = pattern.split("/", 1)[0] if "/" in pattern else ""
    braces = re.fullmatch(r"\{([^}]*)\}", head)
    return set(braces.group(1).split(",")) if braces else {head}


def reads_only(item: Item, folder: str) -> bool:
    paths = _paths(item)
    return bool(paths) and all(_folders(p) == {folder} for p in paths)


def reads(item: Item, folder: str) -> bool:
    return any(folder in _folders(p) for p in _paths(item))


def _copy(project: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(project, tmp_path / "project", symlinks=True))


def _done(report: Report) -> set[str]:
    return {r.item.id for r in report.results if r.status is Status.DONE}


@pytest.mark.parametrize("answer_set", ["default", "full", "hostile"])
def test_fresh_project_has_its_automatic_items_done(render_session, answer_set: str) -> None:
    project = render_session(answer_set)
    report = evaluate(project)
    checked = []
    for result in report.results:
        item = result.item
        if not item.automatic or not result.applicable:
            continue
        if {c.probe for c in item.probes} & AFTER_GENERATION_PROBES:
            continue
        if item.component and not (project / item.component).is_dir():
            continue  # that component is not generated yet
        checked.append(item.id)
        assert result.status is Status.DONE, f"{item.id}: {result.reason}"
    assert len(checked) >= 5, checked  # the project's own items at least


@pytest.mark.parametrize("component", COMPONENTS)
def test_deleting_a_component_flips_exactly_its_items(
    render_session, tmp_path: Path, component: str
) -> None:
    fresh = render_session("full")
    before = _done(evaluate(fresh))
    project = _copy(fresh, tmp_path)
    shutil.rmtree(project / component)
    report = evaluate(project)
    flipped = before - _done(report)
    items = load_catalog().items
    must_flip = {i.id for i in items if i.id in before and reads_only(i, component)}
    may_flip = {i.id for i in items if i.id in before and reads(i, component)}
    assert must_flip, f"no done item reads only {component}/"
    assert must_flip <= flipped <= may_flip
    for item_id in flipped:
        assert component in report.result(item_id).reason


def test_breaking_a_manifest_flips_the_items_reading_it(render_session, tmp_path: Path) -> None:
    fresh = render_session("full")
    manifests = sorted((fresh / "deploy").rglob("*.yaml"))
    before = _done(evaluate(fresh))
    project = _copy(fresh, tmp_path)
    broken = project / manifests[0].relative_to(fresh)
    broken.write_text(broken.read_text() + "\n  - [unclosed\n")
    report = evaluate(project)
    flipped = before - _done(report)
    reading = {i.id for i in load_catalog().items if i.id in before and reads(i, "deploy")}
    must_flip = {i.id for i in load_catalog().items if i.id in before and reads_only(i, "deploy")}
    assert must_flip and must_flip <= flipped <= reading
    rel = broken.relative_to(project).as_posix()
    assert any(f"{rel} line" in report.result(i).reason for i in flipped)


def test_breaking_the_driver_image_base_flips_only_base_image_items(
    render_session, tmp_path: Path
) -> None:
    fresh = render_session("default")
    dockerfile = fresh / "driver-container" / "Dockerfile"
    if not dockerfile.is_file():
        pytest.skip("driver-container/ is not generated yet")
    before = _done(evaluate(fresh))
    project = _copy(fresh, tmp_path)
    target = project / "driver-container" / "Dockerfile"
    text = target.read_text()
    last_from = text.rindex("\nFROM ")
    end = text.index("\n", last_from + 1)
    target.write_text(text[:last_from] + "\nFROM docker.io/library/alpine:3.20" + text[end:])
    flipped = before - _done(evaluate(project))
    base_checkers = {
        i.id
        for i in load_catalog().items
        for c in i.probes
        if reads(i, "driver-container")
        and (c.options.get("base_image") or c.probe == "preflight_static")
    }
    assert flipped and flipped <= base_checkers


def test_switched_off_components_do_not_apply(render_session) -> None:
    project = render_session("full", **{s: False for s in SWITCHES})
    report = evaluate(project)
    off = [r for r in report.results if set(r.item.applies_when) & set(SWITCHES)]
    assert off
    for result in off:
        assert result.status is Status.NOT_APPLICABLE, result.item.id
        assert "(it is false)" in result.reason
    on = evaluate(render_session("full"))
    assert report.progress.applicable == on.progress.applicable - len(off)
