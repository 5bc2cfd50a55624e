"""The value objects of the checklist: what the catalog declares and what an evaluation finds.

Everything here is immutable data with no I/O, so the engine, the reporters and the tests can share
it freely.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal


class Level(enum.StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"


class Owner(enum.StrEnum):
    """Who does the work: the partner, the OpenShift platform, or an upstream operator (KMM)."""

    PARTNER = "partner"
    PLATFORM = "platform"
    UPSTREAM_OPERATOR = "upstream-operator"


class Status(enum.StrEnum):
    DONE = "done"
    TODO = "todo"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    order: int


@dataclass(frozen=True)
class ProbeCall:
    """One use of a registered probe by an item, with the options the catalog gives it."""

    probe: str
    options: Mapping[str, Any]


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    section: Section
    why: str
    docs: str
    level: Level
    owner: Owner
    # answer name -> accepted values; the item applies only when every answer is one of them.
    applies_when: Mapping[str, tuple[Any, ...]]
    probes: tuple[ProbeCall, ...]
    # What a person does to complete it: shown by `explain`, and the only guide for manual items.
    how: str
    component: str | None = None  # the generated folder the item inspects, if any
    # "all": every probe must pass; "any": one is enough (the same fact may live in two places).
    match: Literal["all", "any"] = "all"

    @property
    def automatic(self) -> bool:
        return bool(self.probes)


@dataclass(frozen=True)
class ProbeResult:
    """What one probe found: passed or not, and a reason a person can act on."""

    passed: bool
    reason: str
    evidence: tuple[str, ...] = ()  # project-relative paths that showed it

    @classmethod
    def ok(cls, reason: str, *evidence: str) -> ProbeResult:
        return cls(True, reason, tuple(evidence))

    @classmethod
    def fail(cls, reason: str, *evidence: str) -> ProbeResult:
        return cls(False, reason, tuple(evidence))


@dataclass(frozen=True)
class Mark:
    """A manual entry of the project's state file: done with evidence, or n/a with a reason."""

    item_id: str
    status: Status  # DONE or NOT_APPLICABLE
    evidence: str = ""
    reason: str = ""
    by: str = ""
    at: str = ""
    line: int = 0  # in the state file, for messages


@dataclass(frozen=True)
class ItemResult:
    item: Item
    status: Status
    reason: str  # one line: why the item has this status
    probe_results: tuple[tuple[ProbeCall, ProbeResult], ...] = ()
    mark: Mark | None = None
    # A manual `done` that a failing probe overrode: kept so reports can say so.
    stale_mark: bool = False

    @property
    def applicable(self) -> bool:
        return self.status is not Status.NOT_APPLICABLE

    @property
    def failing_required(self) -> bool:
        return self.status is Status.TODO and self.item.level is Level.REQUIRED


@dataclass(frozen=True)
class Progress:
    done: int
    applicable: int

    @property
    def ratio(self) -> float:
        """Share of applicable items done; a section with nothing applicable counts as complete."""
        return self.done / self.applicable if self.applicable else 1.0

    @property
    def percent(self) -> int:
        return int(self.ratio * 100)


@dataclass(frozen=True)
class SectionResult:
    section: Section
    results: tuple[ItemResult, ...]

    @property
    def progress(self) -> Progress:
        return progress_of(self.results)


@dataclass(frozen=True)
class Report:
    project_dir: str
    project_name: str
    catalog_version: str
    generated_at: str
    sections: tuple[SectionResult, ...]
    warnings: tuple[str, ...] = field(default=())
    # What the evidence is about (vendor, product, PCI ids, releases), from the answers.
    facts: tuple[tuple[str, str], ...] = field(default=())

    @property
    def results(self) -> tuple[ItemResult, ...]:
        return tuple(r for s in self.sections for r in s.results)

    @property
    def progress(self) -> Progress:
        return progress_of(self.results)

    @property
    def required_progress(self) -> Progress:
        return progress_of(tuple(r for r in self.results if r.item.level is Level.REQUIRED))

    def result(self, item_id: str) -> ItemResult:
        for result in self.results:
            if result.item.id == item_id:
                return result
        raise KeyError(item_id)


def progress_of(results: tuple[ItemResult, ...]) -> Progress:
    applicable = [r for r in results if r.applicable]
    return Progress(sum(r.status is Status.DONE for r in applicable), len(applicable))
