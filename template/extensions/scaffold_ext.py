"""The template's Jinja extensions: escaping filters, answer validation and derived names.

Copier loads this file by path (copier-template-extensions), so it is versioned with the template:
an old template version is always rendered with its own filters during `scaffold update`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment
from jinja2.ext import Extension


def _sibling(name: str) -> ModuleType:
    """Load a module beside this file; the loader gives us no package to import from."""
    key = f"partner_scaffold_template_{name}_{abs(hash(__file__))}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


filters = _sibling("filters")
rules = _sibling("rules")
names = _sibling("names")


class AnswerError(ValueError):
    """An answer breaks its rule; the message is one line per broken field."""


class Filters(Extension):
    """Registers the escaping filters and ``check``, which validators in copier.yml call."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(filters.FILTERS)
        environment.filters["check"] = lambda value, field: rules.check(field, value)


class DerivedNames(ContextHook):
    """Adds ``names`` to the render context and refuses to render files from invalid answers.

    Copier validates answers given with ``--data`` but not defaults derived from other answers;
    this check covers those before any file is written.
    """

    def hook(self, context: dict[str, Any]) -> None:
        if not all(key in context for key in names.REQUIRED):
            return
        if str(context.get("_copier_phase")) == "render":
            answers = {field: context[field] for field in rules.RULES if field in context}
            if errors := rules.check_all(answers):
                raise AnswerError("\n".join(errors))
        context["names"] = names.derive(context)
