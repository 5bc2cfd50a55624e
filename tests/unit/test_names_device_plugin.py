"""Names the device plugin adds: valid wherever the plugin and its users put them."""

from __future__ import annotations

import re

import pytest

from tests.unit.test_names import _answers, names


@pytest.mark.parametrize("name", ["default", "full", "hostile"])
def test_env_prefix_is_an_environment_variable_name(name: str) -> None:
    answers = _answers(name)
    derived = names.derive(answers)
    prefix = derived["device_plugin_env_prefix"]
    assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", prefix)
    assert prefix == str(answers["kernel_module_name"]).upper()


def test_device_plugin_version_is_semantic() -> None:
    derived = names.derive(_answers("default"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", derived["device_plugin_version"])
