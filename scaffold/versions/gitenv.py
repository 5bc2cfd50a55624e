"""Point Copier's git calls at a bundle: rewrite the fixed template URL to the bundle's path.

Git reads extra configuration from ``GIT_CONFIG_COUNT``, ``GIT_CONFIG_KEY_<n>`` and
``GIT_CONFIG_VALUE_<n>``; ``url.<bundle>.insteadOf <fixed URL>`` then makes every clone,
``ls-remote`` and fetch of the fixed URL read the bundle. Copier runs git through plumbum, whose
environment is a copy of ``os.environ`` taken at import, so both are set. Copier keeps a mirror per
URL in its cache; the URL being the same for every install, the cache directory is keyed by bundle,
or an older install's refresh would prune tags a newer one needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from scaffold.versions import TEMPLATE_URL


def redirect_variables(bundle: Path, copier_cache: Path, base: dict[str, str]) -> dict[str, str]:
    """The variables to add to ``base`` (an environment) so that git reads ``bundle``."""
    try:
        index = int(base.get("GIT_CONFIG_COUNT", "0") or "0")
    except ValueError:
        index = 0
    return {
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": f"url.{bundle.resolve()}.insteadOf",
        f"GIT_CONFIG_VALUE_{index}": TEMPLATE_URL,
        "COPIER_CACHE_DIR": str(copier_cache),
        "GIT_TERMINAL_PROMPT": "0",
    }


@contextmanager
def redirected(
    bundle: Path, copier_cache: Path, extra: dict[str, str] | None = None
) -> Iterator[dict[str, str]]:
    """Within the block, git (ours, Copier's, its tasks') resolves the fixed URL to ``bundle``.

    ``extra`` variables are set alongside (for the template's migration helpers).
    """
    variables = {**redirect_variables(bundle, copier_cache, dict(os.environ)), **(extra or {})}
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        with ExitStack() as stack:
            try:
                from plumbum import local
            except ImportError:  # pragma: no cover - Copier depends on plumbum
                pass
            else:
                stack.enter_context(local.env(**variables))
            yield variables
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
