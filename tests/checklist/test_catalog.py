"""The shipped catalog: complete, well-formed, covering the partner workflow; and load errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.catalog import ITEMS_DIR, load_catalog
from checklist.errors import ChecklistError
from checklist.model import Level, Owner

# Every step of the partner workflow and every operator-requirements question needs an item.
WORKFLOW_SECTIONS = {
    "requirements",
    "kernel-module",
    "driver-container",
    "nfd",
    "kmm",
    "device-plugin",
    "operator",
    "monitoring",
    "certification",
    "validated",
}
REQUIREMENT_QUESTIONS = [
    "in-tree",
    "out-of-tree",
    "dependencies",
    "load-order",
    "firmware",
    "user-space",
    "proprietary",
    "build-location",
    "existing-device-plugin",
    "kubelet",
    "pci",
    "node-labelling",
    "workload-orchestration",
]
ANSWER_SWITCHES = {
    "with_device_plugin",
    "with_operator",
    "with_monitoring",
    "with_certification",
    "with_firmware",
    "secure_boot",
    "driver_build",
}


def test_shipped_catalog_loads_with_every_section() -> None:
    catalog = load_catalog()
    assert {s.id for s in catalog.sections} >= WORKFLOW_SECTIONS
    for section in catalog.sections:
        assert catalog.in_section(section), f"section {section.id} has no items"


@pytest.mark.parametrize("question", REQUIREMENT_QUESTIONS)
def test_every_requirement_question_has_an_item(question: str) -> None:
    ids = [i.id for i in load_catalog().items if i.section.id == "requirements"]
    assert any(question in item_id for item_id in ids), f"no requirements item about {question}"


def test_items_are_well_formed() -> None:
    catalog = load_catalog()
    for item in catalog.items:
        assert item.id.startswith(f"{item.section.id}."), item.id
        assert item.docs.startswith("https://"), item.id
        assert item.level in Level and item.owner in Owner
        assert set(item.applies_when) <= ANSWER_SWITCHES, item.id
        assert len(item.why) > 30 and len(item.how) > 15, item.id
    levels = {i.level for i in catalog.items}
    owners = {i.owner for i in catalog.items}
    assert levels == set(Level) and owners == set(Owner)


def test_component_items_apply_only_with_their_switch() -> None:
    switches = {
        "device-plugin": "with_device_plugin",
        "operator": "with_operator",
        "monitoring": "with_monitoring",
        "certification": "with_certification",
    }
    for item in load_catalog().items:
        if item.component in switches:
            assert switches[item.component] in item.applies_when, item.id


def _catalog_dir(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "items"
    folder.mkdir()
    (folder / "00-x.yaml").write_text(text)
    return folder


GOOD_ITEM = """\
section: {id: x, title: X}
items:
  - id: x.one
    title: One
    why: because
    docs: https://example.invalid
    level: required
    owner: partner
    how: do it
"""


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("level: required", "level: mandatory"), "'mandatory' is not a valid Level"),
        (("owner: partner", "owner: vendor"), "'vendor' is not a valid Owner"),
        (("    how: do it\n", ""), "missing how"),
        (("how: do it", "how: do it\n    colour: red"), "unknown colour"),
        (("how: do it", "how: do it\n    probes: [{probe: nope}]"), "unknown probe 'nope'"),
        (
            ("how: do it", "how: do it\n    probes: [{probe: file_exists}]"),
            "missing option 'paths'",
        ),
        (
            ("how: do it", "how: do it\n    probes: [{probe: file_exists, paths: a, size: 1}]"),
            "unknown option 'size'",
        ),
        (("how: do it", "how: do it\n    match: some"), "match must be all or any"),
        (("section: {id: x, title: X}", "items_only: 1"), "needs `section"),
    ],
)
def test_catalog_errors_name_file_and_item(
    tmp_path: Path, change: tuple[str, str], needle: str
) -> None:
    folder = _catalog_dir(tmp_path, GOOD_ITEM.replace(*change))
    with pytest.raises(ChecklistError, match=needle) as error:
        load_catalog(folder)
    assert "00-x.yaml" in str(error.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    folder = _catalog_dir(tmp_path, GOOD_ITEM)
    (folder / "01-y.yaml").write_text(GOOD_ITEM.replace("id: x, title: X", "id: y, title: Y"))
    with pytest.raises(ChecklistError, match=r"'x\.one' is used twice"):
        load_catalog(folder)


def test_items_dir_ships_inside_the_package() -> None:
    import checklist

    assert ITEMS_DIR.parent == Path(checklist.__file__).parent
    assert sorted(p.name for p in ITEMS_DIR.glob("*.yaml"))
