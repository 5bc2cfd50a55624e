"""docs/checklist.md documents every probe, option, format and exit code the code has."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist import SCHEMA_VERSION
from checklist.probes import REGISTRY
from checklist.reporters import REPORTERS
from scaffold.commands.checklist import FORMATS

DOC = Path(__file__).resolve().parents[2] / "docs" / "checklist.md"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_probe_and_option_is_documented(name: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")), None)
    assert row is not None, f"docs/checklist.md has no table row for probe {name}"
    for option in REGISTRY[name].options:
        assert f"`{option.name}`" in row or option.name in row, f"{name}: option {option.name}"


def test_formats_schema_version_and_exit_codes_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert set(FORMATS) == set(REPORTERS)
    for format_name in FORMATS:
        assert f"| `{format_name}` |" in text
    assert f"(version {SCHEMA_VERSION})" in text
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in text
