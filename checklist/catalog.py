"""The catalog: the shipped items, one YAML file per section under ``checklist/items/``.

Loading checks every item fully (fields, levels, owners, probe names and their options), so a
mistake in the catalog fails at once with the file and item named, never half-way through a report.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from checklist import probes
from checklist.errors import ChecklistError
from checklist.model import Item, Level, Owner, ProbeCall, Section

CATALOG_VERSION = "2026.11.0"  # bump when items are added, removed or change meaning
ITEMS_DIR = Path(__file__).parent / "items"
_REQUIRED_FIELDS = ("id", "title", "why", "docs", "level", "owner", "how")
_OPTIONAL_FIELDS = ("applies_when", "probes", "component", "match")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster


@dataclass(frozen=True)
class Catalog:
    version: str
    sections: tuple[Section, ...]
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise ChecklistError(f"no checklist item {item_id!r} (`scaffold checklist list` shows all)")

    def in_section(self, section: Section) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.section == section)


def _probe_call(raw: Any, where: str) -> ProbeCall:
    if not isinstance(raw, dict) or not isinstance(raw.get("probe"), str):
        raise ChecklistError(f"{where}: each probe needs `probe: NAME` and its options")
    options = {k: v for k, v in raw.items() if k != "probe"}
    try:
        probe = probes.get(raw["probe"])
    except KeyError as error:
        raise ChecklistError(f"{where}: {error.args[0]}") from None
    errors = probe.option_errors(options)
    if errors:
        raise ChecklistError(f"{where}: probe {probe.name}: {'; '.join(errors)}")
    return ProbeCall(probe.name, options)


def _applies_when(raw: Any, where: str) -> dict[str, tuple[Any, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ChecklistError(f"{where}: applies_when must map answer names to values")
    return {str(k): tuple(v) if isinstance(v, list) else (v,) for k, v in raw.items()}


def _item(raw: Any, section: Section, where: str) -> Item:
    if not isinstance(raw, dict):
        raise ChecklistError(f"{where}: an item must be a mapping")
    where = f"{where} ({raw.get('id', '?')})"
    missing = [f for f in _REQUIRED_FIELDS if not raw.get(f)]
    unknown = [f for f in raw if f not in _REQUIRED_FIELDS + _OPTIONAL_FIELDS]
    if missing or unknown:
        problem = "; ".join(
            [f"missing {', '.join(missing)}"] * bool(missing)
            + [f"unknown {', '.join(unknown)}"] * bool(unknown)
        )
        raise ChecklistError(f"{where}: {problem}")
    try:
        level, owner = Level(raw["level"]), Owner(raw["owner"])
    except ValueError as error:
        raise ChecklistError(f"{where}: {error}") from None
    match: Literal["all", "any"]
    if raw.get("match", "all") == "all":
        match = "all"
    elif raw["match"] == "any":
        match = "any"
    else:
        raise ChecklistError(f"{where}: match must be all or any, not {raw['match']!r}")
    calls = tuple(
        _probe_call(p, f"{where} probe {n + 1}") for n, p in enumerate(raw.get("probes") or [])
    )
    return Item(
        id=str(raw["id"]),
        title=str(raw["title"]),
        section=section,
        why=" ".join(str(raw["why"]).split()),
        docs=str(raw["docs"]),
        level=level,
        owner=owner,
        applies_when=_applies_when(raw.get("applies_when"), where),
        probes=calls,
        how=" ".join(str(raw["how"]).split()),
        component=raw.get("component"),
        match=match,
    )


def parse_section_file(path: Path, order: int) -> tuple[Section, list[Item]]:
    try:
        content: Mapping[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as error:
        raise ChecklistError(f"{path}: cannot read: {error}") from error
    head = content.get("section") if isinstance(content, dict) else None
    if not isinstance(head, dict) or not head.get("id") or not head.get("title"):
        raise ChecklistError(f"{path}: needs `section: {{id, title}}` and `items:`")
    section = Section(str(head["id"]), str(head["title"]), order)
    raw_items = content.get("items") or []
    return section, [
        _item(raw, section, f"{path.name} item {n + 1}") for n, raw in enumerate(raw_items)
    ]


@functools.cache
def load_catalog(items_dir: Path = ITEMS_DIR) -> Catalog:
    """Every section file of ``items_dir`` in file-name order; item ids must be unique."""
    sections: list[Section] = []
    items: list[Item] = []
    for order, path in enumerate(sorted(items_dir.glob("*.yaml"))):
        section, section_items = parse_section_file(path, order)
        sections.append(section)
        items.extend(section_items)
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ChecklistError(f"{items_dir}: item id {item.id!r} is used twice")
        seen.add(item.id)
    if not items:
        raise ChecklistError(f"{items_dir}: no checklist items")
    return Catalog(CATALOG_VERSION, tuple(sections), tuple(items))
