"""What a probe is: a plain function, its documented options, and how options are checked.

A probe takes the project and its resolved options and returns a ``ProbeResult``; it never prints,
never exits, and turns every problem it meets (a missing file, broken YAML) into a failing result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from checklist.model import ProbeResult
from checklist.project import Project

Options = Mapping[str, Any]
ProbeFunction = Callable[[Project, Options], ProbeResult]

_TYPES: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "globs": lambda v: isinstance(v, str) or (isinstance(v, list) and _all_str(v)),
    "strings": lambda v: isinstance(v, list) and _all_str(v),
    "mapping": lambda v: isinstance(v, dict) and _all_str(list(v)),
}
_ANSWER_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _all_str(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values)


@dataclass(frozen=True)
class Option:
    name: str
    type: str  # a key of _TYPES: str, bool, int, globs (one glob or a list), strings, mapping
    help: str
    default: Any = None
    required: bool = False

    def accepts(self, value: Any) -> bool:
        return _TYPES[self.type](value)


@dataclass(frozen=True)
class Probe:
    """A registered probe. Its function's docstring is its user documentation."""

    name: str
    function: ProbeFunction
    options: tuple[Option, ...]

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()

    def option_errors(self, given: Options) -> list[str]:
        """Problems with options an item gives this probe: unknown, missing or mistyped."""
        declared = {o.name: o for o in self.options}
        errors = [f"unknown option {name!r}" for name in given if name not in declared]
        for option in self.options:
            if option.name not in given:
                if option.required:
                    errors.append(f"missing option {option.name!r}")
                continue
            if not option.accepts(given[option.name]):
                errors.append(f"option {option.name!r} must be of type {option.type}")
        return errors

    def run(self, project: Project, given: Options) -> ProbeResult:
        """Fill in defaults, substitute ``${answer}`` references, and call the probe."""
        options = {o.name: given.get(o.name, o.default) for o in self.options}
        return self.function(project, substitute(options, project.answers))


def substitute(value: Any, answers: Mapping[str, Any]) -> Any:
    """Replace ``${name}`` in every string with the project's answer of that name.

    A string that is exactly one reference takes the answer's own value (a list stays a list).
    """
    if isinstance(value, str):
        whole = _ANSWER_REF.fullmatch(value)
        if whole:
            return answers.get(whole.group(1), "")
        return _ANSWER_REF.sub(lambda m: str(answers.get(m.group(1), "")), value)
    if isinstance(value, list):
        return [substitute(v, answers) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, answers) for k, v in value.items()}
    return value


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
