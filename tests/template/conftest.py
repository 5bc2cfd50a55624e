"""Fixtures shared by the template tests that validate generated manifests against the CRDs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.validate import SchemaStore, load_store
from tests.conftest import require_shared


@pytest.fixture(scope="session")
def crds() -> Path:
    """The upstream CRDs in ../shared/crds (skip where absent, fail under CI)."""
    return require_shared("crds")


@pytest.fixture(scope="session")
def store(crds: Path) -> SchemaStore:
    """Strict JSON schemas built once per session from those CRDs."""
    return load_store(crds)
