"""Answers given on the command line or in a data file: parsed, typed and checked before rendering.

Checking here, before Copier runs, lets `scaffold new` report every bad or missing answer at once,
in one line each, and write nothing. Copier's own validators still guard interactive prompts.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from scaffold.errors import ScaffoldError
from scaffold.template import Question, load_rules

_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


def parse_data_args(pairs: Iterable[str]) -> dict[str, str]:
    """``KEY=VALUE`` strings from ``--data``, kept as text until their question's type is known."""
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ScaffoldError(f"--data: {pair!r} is not KEY=VALUE")
        data[key.strip()] = value
    return data


def load_data_file(path: Path) -> dict[str, Any]:
    """A YAML mapping of answers, as written by hand or copied from `.copier-answers.yml`."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScaffoldError(f"--data-file: cannot read {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ScaffoldError(f"--data-file: {path}{where} is not valid YAML") from error
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ScaffoldError(f"--data-file: {path} is not a YAML mapping of question: answer")
    return {str(key): value for key, value in content.items() if not str(key).startswith("_")}


def _cast(question: Question, value: Any) -> Any:
    """Give a text answer its question's type, as Copier would."""
    if not isinstance(value, str):
        return value
    if question.type == "bool":
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        return value  # left as text: the rule reports it
    if question.type in {"yaml", "json"}:
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            return value
    if question.type == "int":
        try:
            return int(value)
        except ValueError:
            return value
    return value


def prepare(
    template: Path, questions: list[Question], given: dict[str, Any], *, require_all: bool
) -> dict[str, Any]:
    """Type and check ``given`` answers; with ``require_all``, also demand every required one.

    Raises one ScaffoldError listing every problem, one per line.
    """
    by_name = {q.name: q for q in questions}
    rules = load_rules(template)
    errors: list[str] = []
    typed: dict[str, Any] = {}
    for name, value in given.items():
        question = by_name.get(name)
        if question is None:
            errors.append(f"{name}: no such question (see `scaffold questions`)")
            continue
        typed[name] = _cast(question, value)
        if error := rules.check(name, typed[name]):
            errors.append(error)
    if require_all:
        missing = [q.name for q in questions if q.required and q.name not in typed]
        if missing:
            errors.append(
                f"missing answers: {', '.join(missing)} (pass them with --data KEY=VALUE "
                "or --data-file FILE; `scaffold questions` describes each)"
            )
    if errors:
        raise ScaffoldError("\n".join(errors))
    return typed
