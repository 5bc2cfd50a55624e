"""The fixed template URL reaches the bundle through git's environment configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from scaffold.versions import TEMPLATE_URL
from scaffold.versions.gitenv import redirect_variables, redirected
from tests.update.conftest import Releases


def test_existing_environment_configuration_is_kept(tmp_path: Path) -> None:
    base = {"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "a.b", "GIT_CONFIG_VALUE_0": "c"}
    added = redirect_variables(tmp_path / "t.bundle", tmp_path / "cache", base)
    assert added["GIT_CONFIG_COUNT"] == "3"
    assert added["GIT_CONFIG_KEY_2"] == f"url.{(tmp_path / 't.bundle').resolve()}.insteadOf"
    assert added["GIT_CONFIG_VALUE_2"] == TEMPLATE_URL
    assert "GIT_CONFIG_KEY_0" not in added


def test_git_and_plumbum_read_the_bundle_only_inside_the_block(releases: Releases) -> None:
    from plumbum import local

    before = dict(os.environ)
    with redirected(releases.new.bundle, releases.new.bundle.parent / "copier") as variables:
        assert all(local.env.get(k) == v for k, v in variables.items())
        tags = subprocess.run(
            ["git", "ls-remote", "--tags", "--refs", TEMPLATE_URL],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "GIT_ALLOW_PROTOCOL": "file"},
        ).stdout
        plumbum_tags = local["git"]("ls-remote", "--tags", "--refs", TEMPLATE_URL)
    assert sorted(line.rsplit("/", 1)[1] for line in tags.splitlines()) == sorted(
        releases.new.versions
    )
    assert plumbum_tags == tags
    assert dict(os.environ) == before
    assert "GIT_CONFIG_VALUE_0" not in local.env or local.env["GIT_CONFIG_VALUE_0"] != TEMPLATE_URL
