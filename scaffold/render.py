"""Render the template into a destination, all or nothing.

Copier writes files as it goes, so a failure half-way (a bad derived answer, Ctrl-C) would leave a
half-written project. We render into a staging directory beside the destination and move the result
into place only once Copier has finished.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.errors import ScaffoldError


@dataclass(frozen=True)
class Rendered:
    """What a render produced: the project directory and its files, relative to it."""

    project_dir: Path
    files: list[Path]


def _created_parents(path: Path) -> list[Path]:
    """The missing ancestors of ``path``, outermost first, so they can be removed on failure."""
    missing = []
    for parent in [path, *path.parents]:
        if parent.exists():
            break
        missing.append(parent)
    return list(reversed(missing))


def _chmod_like_mkdir(path: Path) -> None:
    """mkdtemp makes a 0700 directory; the project should get the mode a plain mkdir gives."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o777 & ~umask)


def _copier_error_text(error: BaseException) -> str:
    text = str(error).strip()
    # Copier wraps validator output as "Validation error for question 'x': <our message>".
    prefix = "Validation error for question "
    if text.startswith(prefix) and ": " in text:
        return text.split(": ", 1)[1]
    return text or type(error).__name__


def render(
    src: str,
    dest: Path,
    data: dict[str, Any],
    *,
    interactive: bool,
    vcs_ref: str | None = None,
    overwrite: bool = False,
    pretend: bool = False,
    quiet: bool = False,
) -> Rendered:
    """Render template ``src`` into ``dest`` with ``data``; raise ScaffoldError on failure."""
    import copier  # heavy: imported only by the commands that render
    from copier.errors import CopierAnswersInterrupt, CopierError

    dest = dest.absolute()
    if dest.exists() and not dest.is_dir():
        raise ScaffoldError(f"DEST: {dest} exists and is not a directory")
    if dest.is_dir() and any(dest.iterdir()) and not overwrite and not pretend:
        raise ScaffoldError(
            f"DEST: {dest} exists and is not empty; pass --overwrite to write into it"
        )

    new_parents = [] if pretend else _created_parents(dest.parent)
    if new_parents:
        dest.parent.mkdir(parents=True)
    staging = dest if pretend else Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    if not pretend:
        _chmod_like_mkdir(staging)
    try:
        copier.run_copy(
            src,
            str(staging),
            data=data,
            defaults=not interactive,
            vcs_ref=vcs_ref,
            pretend=pretend,
            quiet=quiet,
            overwrite=True,
            unsafe=True,  # our own template: its Jinja extensions must load
            skip_tasks=False,
        )
        if pretend:
            return Rendered(project_dir=dest, files=[])
        files = sorted(p.relative_to(staging) for p in staging.rglob("*") if not p.is_dir())
        if dest.exists():
            shutil.copytree(staging, dest, dirs_exist_ok=True, symlinks=True)
            shutil.rmtree(staging)
        else:
            staging.rename(dest)
        return Rendered(project_dir=dest, files=files)
    except KeyboardInterrupt:
        raise
    except ScaffoldError:
        raise
    except (CopierAnswersInterrupt, CopierError, ValueError) as error:
        raise ScaffoldError(_copier_error_text(error)) from error
    finally:
        if not pretend and staging.exists() and staging != dest:
            shutil.rmtree(staging, ignore_errors=True)
        if not pretend and not dest.exists():
            for parent in reversed(new_parents):
                shutil.rmtree(parent, ignore_errors=True)
