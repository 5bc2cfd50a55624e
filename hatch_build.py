"""Build hook: ship every template version as a git bundle in ``scaffold/_versions``.

The bundle is made from the git history of ``template/`` (one commit and tag per version, see
``scaffold/versions/history.py``). An sdist carries the bundle too, so a wheel built from an
unpacked sdist (no git history there) still carries every version. Editable installs build the
bundle lazily at run time instead (``scaffold/versions/store.py``).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SHIPPED = "scaffold/_versions"


class TemplateVersionsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        root = Path(self.root)
        if (root / SHIPPED / "manifest.json").is_file():
            self.app.display_info(f"template versions: using the shipped {SHIPPED}")
            return  # an unpacked sdist: the package directory already holds them
        sys.path.insert(0, str(root))
        try:
            from scaffold.versions.bundle import BUNDLE_NAME, MANIFEST_NAME, build_bundle
            from scaffold.versions.history import read_history
        finally:
            sys.path.remove(str(root))
        self._scratch = Path(tempfile.mkdtemp(prefix="scaffold-template-versions."))
        manifest = build_bundle(read_history(root), self._scratch)
        for note in manifest.notes:
            self.app.display_warning(f"template versions: {note}")
        self.app.display_info(f"template versions: {', '.join(manifest.versions)}")
        for name in (BUNDLE_NAME, MANIFEST_NAME):
            build_data["force_include"][str(self._scratch / name)] = f"{SHIPPED}/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
