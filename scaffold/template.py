"""Where the Copier template lives, what it asks, and the rules its answers must follow."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from scaffold.errors import ScaffoldError

_PACKAGED = Path(__file__).parent / "_template"
_SOURCE_TREE = Path(__file__).parent.parent / "template"


def template_dir() -> Path:
    """The template shipped with this install: inside the wheel, or ``template/`` in a checkout."""
    for candidate in (_PACKAGED, _SOURCE_TREE):
        if (candidate / "copier.yml").is_file():
            return candidate
    raise ScaffoldError(
        f"template: no copier.yml in {_PACKAGED} or {_SOURCE_TREE}; reinstall scaffold"
    )


@dataclass(frozen=True)
class Question:
    """One question of copier.yml, as `scaffold questions` shows it."""

    name: str
    type: str
    help: str
    default: Any  # MISSING when the answer is required
    choices: tuple[str, ...]
    rule: str

    @property
    def required(self) -> bool:
        return self.default is MISSING


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def load_copier_config(template: Path) -> dict[str, Any]:
    try:
        config = yaml.safe_load((template / "copier.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScaffoldError(f"template: cannot read {template / 'copier.yml'}: {error}") from error
    if not isinstance(config, dict):
        raise ScaffoldError(f"template: {template / 'copier.yml'} is not a mapping")
    return config


@cache
def load_template_module(template: Path, name: str) -> ModuleType:
    """A module of the template's ``extensions/``, loaded by path: it travels with the template."""
    path = template / "extensions" / f"{name}.py"
    module_name = f"scaffold_template_{name}_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ScaffoldError(f"template: missing {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def load_rules(template: Path) -> ModuleType:
    """The rules every answer must follow (``extensions/rules.py``)."""
    return load_template_module(template, "rules")


def questions(template: Path) -> list[Question]:
    """Every question of the template, in order."""
    rules = load_rules(template)
    result = []
    for name, spec in load_copier_config(template).items():
        if name.startswith("_"):
            continue
        spec = spec if isinstance(spec, dict) else {"default": spec}
        choices = spec.get("choices") or ()
        rule = rules.RULES[name].text if name in rules.RULES else ""
        result.append(
            Question(
                name=name,
                type=str(spec.get("type", "str")),
                help=str(spec.get("help", "")),
                default=spec.get("default", MISSING),
                choices=tuple(str(c) for c in choices),
                rule=rule,
            )
        )
    return result
