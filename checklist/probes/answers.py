"""Probes about the project's recorded answers (``.copier-answers.yml``)."""

from __future__ import annotations

from typing import Any

from checklist.model import ProbeResult
from checklist.probes.base import Option, Options, Probe
from checklist.project import ANSWERS_FILE, Project


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()  # as the answers file spells it
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def answers_recorded(project: Project, options: Options) -> ProbeResult:
    """Every answer of ``names`` is recorded, non-empty, in the project's answers file: a
    requirement question that the partner settled when generating the project.
    """
    missing = [n for n in options["names"] if project.answers.get(n) in (None, "", [])]
    if missing:
        return ProbeResult.fail(f"{ANSWERS_FILE} lacks {', '.join(missing)}", ANSWERS_FILE)
    shown = ", ".join(f"{n}={_show(project.answers[n])}" for n in options["names"])
    return ProbeResult.ok(f"answered: {shown}", ANSWERS_FILE)


PROBES = (
    Probe(
        "answers_recorded",
        answers_recorded,
        (Option("names", "strings", "answer names that must be recorded", None, True),),
    ),
)
