"""Shared test set-up: isolation from the user's Copier and git settings, tool lookup, renders."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template"
ANSWERS_DIR = Path(__file__).resolve().parent / "data" / "answers"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def answer_set(name: str) -> dict[str, Any]:
    """One of the named answer sets in tests/data/answers (default, full, hostile)."""
    data: dict[str, Any] = yaml.safe_load((ANSWERS_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    return data


def require_tool(name: str) -> str:
    """The path of an external tool; skip without it on a laptop, fail without it under CI."""
    venv_bin = Path(sys.executable).parent / name
    path = str(venv_bin) if venv_bin.exists() else shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (.ci/run installs it)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_shared(*parts: str) -> Path:
    """A path under ../shared (CRDs, notes); skip where it is absent, fail under CI."""
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    message = f"{path} is not present"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the user's Copier settings and git identity out of every test."""
    home = tmp_path_factory.mktemp("isolated-home")
    settings = home / "copier-settings.yml"
    settings.write_text("{}\n")
    gitconfig = home / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Scaffold Tests\n\temail = tests@example.invalid\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    saved = dict(os.environ)
    os.environ.update(
        {
            "COPIER_SETTINGS_PATH": str(settings),
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
            # Template bundles built lazily from a checkout's history go here, not ~/.cache.
            "SCAFFOLD_CACHE_DIR": str(home / "scaffold-cache"),
        }
    )
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


RenderFn = Callable[..., Path]


@pytest.fixture(scope="session")
def render_session(tmp_path_factory: pytest.TempPathFactory) -> RenderFn:
    """Render the template once per answer set and session, for the slow tool-driven checks.

    ``render_session("full", with_operator=False)`` renders the named set with overrides; the same
    arguments return the same (shared, read-only) project.
    """
    from scaffold.commands.new import new_project

    cache: dict[tuple[str, tuple[tuple[str, Any], ...]], Path] = {}

    def render(name: str = "default", **overrides: Any) -> Path:
        key = (name, tuple(sorted(overrides.items())))
        if key not in cache:
            answers = {**answer_set(name), **overrides}
            dest = tmp_path_factory.mktemp(f"project-{name}") / "project"
            cache[key] = new_project(dest, answers).project_dir
        return cache[key]

    return render
