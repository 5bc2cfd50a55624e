"""The git facts `scaffold update` needs about a project.

Where its repository is, what is uncommitted, which files are left in conflict, and how to put the
project back as it was committed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from scaffold.errors import ScaffoldError


def git(
    cwd: Path | None,
    *args: str,
    check: bool = True,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run git with a stable locale and no prompts; a failure with ``check`` is a ScaffoldError."""
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            check=check,
            env=full_env,
        )
    except FileNotFoundError as error:
        raise ScaffoldError(
            "git: not found; install git (template versions and updates live in git)"
        ) from error
    except subprocess.CalledProcessError as error:
        raise ScaffoldError(f"git {' '.join(args)}: {error.stderr.strip()}") from error


def toplevel(project: Path) -> Path | None:
    """The root of the git work tree holding ``project``, or None when it is not in one."""
    run = git(project, "rev-parse", "--show-toplevel", check=False)
    return Path(run.stdout.strip()) if run.returncode == 0 else None


def has_commits(project: Path) -> bool:
    return git(project, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode == 0


def uncommitted(project: Path) -> list[str]:
    """``git status --porcelain`` lines for ``project`` (untracked files count), relative to it."""
    run = git(project, "status", "--porcelain", "--untracked-files=all", "--", ".")
    return [line for line in run.stdout.splitlines() if line.strip()]


def _relative_paths(project: Path, output: str) -> list[str]:
    top = toplevel(project)
    assert top is not None
    base = project.resolve()
    paths = {(top / p).resolve() for p in output.split("\0") if p}
    return sorted(p.relative_to(base).as_posix() for p in paths if p.is_relative_to(base))


def unmerged(project: Path) -> list[str]:
    """Files with conflict stages in the index (how Copier records inline conflicts)."""
    run = git(project, "ls-files", "-z", "--unmerged", "--full-name", "--", ".")
    entries = [e.split("\t", 1)[1] for e in run.stdout.split("\0") if "\t" in e]
    return _relative_paths(project, "\0".join(entries))


def rejects(project: Path) -> list[str]:
    """Untracked or ignored ``*.rej`` files (how Copier records ``--conflict rej`` conflicts)."""
    run = git(project, "ls-files", "-z", "--others", "--full-name", "--", ".")
    ignored = git(
        project, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--full-name"
    )
    found = [p for p in (run.stdout + "\0" + ignored.stdout).split("\0") if p.endswith(".rej")]
    return _relative_paths(project, "\0".join(found))


def changes(project: Path) -> list[tuple[str, str]]:
    """(status, path) for everything that differs from HEAD in ``project``, paths relative to it."""
    run = git(project, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    top = toplevel(project)
    assert top is not None
    base = project.resolve()
    result: list[tuple[str, str]] = []
    records = iter(run.stdout.split("\0"))
    for record in records:
        if not record:
            continue
        status, path = record[:2], record[3:]
        if "R" in status or "C" in status:
            source = next(records, "")
            path = f"{_rel(top, base, source)} -> {_rel(top, base, path)}"
        else:
            path = _rel(top, base, path)
        result.append((status, path))
    return result


def _rel(top: Path, base: Path, path: str) -> str:
    # Porcelain paths are relative to the top of the work tree.
    full = (top / path).resolve()
    return full.relative_to(base).as_posix() if full.is_relative_to(base) else full.as_posix()


def restore(project: Path) -> None:
    """Put ``project`` back as committed: index, files, and no new untracked files."""
    git(project, "reset", "--quiet", "HEAD", "--", ".", check=False)
    git(project, "checkout", "--quiet", "HEAD", "--", ".", check=False)
    git(project, "clean", "-fdq", "--", ".", check=False)
