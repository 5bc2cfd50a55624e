"""The template versions this install carries: a packaged bundle, or one built from a checkout.

A wheel ships ``scaffold/_versions/`` (bundle and manifest, made by the build hook). An editable
install or a source checkout has none: the bundle is then built from the git history of
``template/`` on first use and kept in the user's cache, keyed by that history and the working
tree's content, so a template edit gives a fresh bundle and an unchanged tree reuses the last one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

from scaffold.errors import ScaffoldError
from scaffold.versions.bundle import BUNDLE_NAME, MANIFEST_FORMAT, MANIFEST_NAME, Manifest, publish
from scaffold.versions.gitenv import redirected
from scaffold.versions.history import read_history

_PACKAGE = Path(__file__).resolve().parent.parent
PACKAGED_VERSIONS = _PACKAGE / "_versions"
PACKAGED_TEMPLATE = _PACKAGE / "_template"
SOURCE_ROOT = _PACKAGE.parent


def cache_root() -> Path:
    """``$SCAFFOLD_CACHE_DIR``, else ``$XDG_CACHE_HOME/partner-scaffold``, else ``~/.cache/...``."""
    if override := os.environ.get("SCAFFOLD_CACHE_DIR"):
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "partner-scaffold"


def version_key(version: str, where: str = "version") -> Version:
    try:
        return Version(version)
    except InvalidVersion as error:
        raise ScaffoldError(f"{where}: {version!r} is not a template version") from error


@dataclass(frozen=True)
class Store:
    """A bundle of template versions and what its manifest says about it."""

    bundle: Path
    manifest: Manifest
    current: Path | None  # an on-disk copy of the latest version, when there is one

    @property
    def versions(self) -> tuple[str, ...]:
        return self.manifest.versions

    @property
    def latest(self) -> str:
        return self.manifest.latest

    def carries(self, version: str) -> bool:
        return version in self.manifest.versions

    def environment(
        self, extra: dict[str, str] | None = None
    ) -> AbstractContextManager[dict[str, str]]:
        """Context in which git, and so Copier, reads this bundle through the fixed URL."""
        return redirected(self.bundle, cache_root() / "copier" / self.manifest.id[:24], extra)

    def template_dir(self, version: str) -> Path:
        """The template of ``version`` as a directory (for its questions and rules)."""
        if not self.carries(version):
            raise ScaffoldError(f"template version {version} is not carried by this scaffold")
        if version == self.latest and self.current is not None:
            return self.current
        final = cache_root() / "trees" / self.manifest.id[:24] / version
        if (final / "copier.yml").is_file():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=final.parent))
        try:
            checkout = scratch / "tree"
            subprocess.run(
                ["git", "clone", "--quiet", "--branch", version, str(self.bundle), str(checkout)],
                check=True,
                capture_output=True,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
            )
            shutil.rmtree(checkout / ".git")
            try:
                checkout.rename(final)
            except OSError:
                if not (final / "copier.yml").is_file():
                    raise
        except subprocess.CalledProcessError as error:
            detail = error.stderr.decode(errors="replace").strip()
            raise ScaffoldError(
                f"template version {version}: cannot extract it: {detail}"
            ) from error
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return final


def open_packaged(directory: Path, current: Path | None) -> Store:
    """The store a wheel ships (``scaffold/_versions``)."""
    manifest = Manifest.load(directory / MANIFEST_NAME)
    bundle = directory / BUNDLE_NAME
    if not bundle.is_file():
        raise ScaffoldError(f"template versions: {bundle} is missing; reinstall scaffold")
    return Store(bundle, manifest, current)


def build_from_source(root: Path) -> Store:
    """The store of a checkout: built from its git history into the cache, or reused from there."""
    history = read_history(root)
    identity = {
        "format": MANIFEST_FORMAT,
        "root": str(history.root),
        "released": [(r.version, r.commit, r.tree) for r in history.released],
        "working": [history.working.label, history.working.digest],
        "notes": list(history.notes),
    }
    key = hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:32]
    directory = cache_root() / "bundles" / key
    manifest = publish(history, directory)
    return Store(directory / BUNDLE_NAME, manifest, history.working.template)


@cache
def installed_store() -> Store:
    """The template versions of the running install."""
    if (PACKAGED_VERSIONS / MANIFEST_NAME).is_file():
        current = PACKAGED_TEMPLATE if (PACKAGED_TEMPLATE / "copier.yml").is_file() else None
        return open_packaged(PACKAGED_VERSIONS, current)
    if (SOURCE_ROOT / "template" / "copier.yml").is_file():
        return build_from_source(SOURCE_ROOT)
    raise ScaffoldError(
        f"template versions: neither {PACKAGED_VERSIONS} nor a source checkout; reinstall scaffold"
    )
