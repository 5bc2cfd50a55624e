"""The derived names and the escaping filter the kernel module and driver container use."""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import TEMPLATE, answer_set

ALL_SETS = ("default", "full", "hostile")


def _load(name: str) -> ModuleType:
    key = f"driver_names_test_{name}"
    if key not in sys.modules:
        path = TEMPLATE / "extensions" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(key, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def _answers(name: str, **overrides: Any) -> dict[str, Any]:
    answers = {
        "project_slug": "acme-edu-accelerator",
        "kernel_module_name": "acme_edu_accelerator",
        "image_registry": "quay.io/acme",
        "openshift_versions": "4.16-4.20",
        **answer_set(name),
        **overrides,
    }
    return answers


def _minors(versions: str) -> list[int]:
    low, high = (int(part.split(".")[1]) for part in versions.split("-"))
    return list(range(low, high + 1))


@pytest.mark.parametrize("name", ALL_SETS)
def test_dtk_images_cover_every_supported_release(name: str) -> None:
    answers = _answers(name)
    derived = _load("names").derive(answers)
    minors = _minors(answers["openshift_versions"])
    assert list(derived["dtk_images"]) == [f"4.{minor}" for minor in minors]
    for release, image in derived["dtk_images"].items():
        repository, tag = image.rsplit(":", 1)
        assert tag == f"v{release}"
        assert repository == "registry.redhat.io/openshift4/driver-toolkit-rhel9"
    assert derived["dtk_image"] == derived["dtk_images"][f"4.{minors[-1]}"]


def test_dtk_images_before_rhel9_use_the_rhel8_toolkit() -> None:
    derived = _load("names").derive(_answers("default", openshift_versions="4.11-4.13"))
    assert derived["dtk_images"] == {
        "4.11": "registry.redhat.io/openshift4/driver-toolkit-rhel8:v4.11",
        "4.12": "registry.redhat.io/openshift4/driver-toolkit-rhel8:v4.12",
        "4.13": "registry.redhat.io/openshift4/driver-toolkit-rhel9:v4.13",
    }


@pytest.mark.parametrize("name", ALL_SETS)
def test_driver_source_image_and_version(name: str) -> None:
    answers = _answers(name)
    derived = _load("names").derive(answers)
    expected = f"{answers['image_registry']}/{answers['project_slug']}-driver-source"
    assert derived["driver_source_image"] == expected
    assert derived["driver_source_image"] != derived["driver_image"]
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", derived["driver_version"])


def _dockerfile_unquote(word: str) -> str:
    """Reads a double-quoted Dockerfile word the way BuildKit's lexer does for these escapes."""
    assert word.startswith('"') and word.endswith('"')
    out, chars = [], iter(word[1:-1])
    for ch in chars:
        if ch == "\\":
            nxt = next(chars)
            assert nxt in '\\"$', f"unexpected escape \\{nxt}"
            out.append(nxt)
        else:
            assert ch not in '"$', f"unescaped {ch!r} in {word!r}"
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize(
    "value",
    [
        answer_set("hostile")["vendor_name"],
        answer_set("hostile")["product_name"],
        "plain",
        "${HOME} $$ \\$ \\\\",
        "ends with a backslash \\",
        '"',
    ],
)
def test_dockerfile_str_round_trips(value: str) -> None:
    quoted = _load("filters").dockerfile_str(value)
    assert _dockerfile_unquote(quoted) == value
