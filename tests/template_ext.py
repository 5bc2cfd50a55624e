"""Load the template's extension modules (plain files beside copier.yml) for unit tests."""

from __future__ import annotations

from types import ModuleType

from scaffold.template import load_template_module
from tests.conftest import TEMPLATE


def extension(name: str) -> ModuleType:
    """``filters``, ``rules`` or ``names`` from template/extensions."""
    return load_template_module(TEMPLATE, name)
