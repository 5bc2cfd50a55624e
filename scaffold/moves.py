"""Merge the partner's edits into files a migration moved, against the right base.

A migration moves a generated file with ``git mv`` before Copier computes the partner's changes, so
Copier sees the new name as added on both sides and merges against an empty file: every line that
differs becomes a conflict. Knowing the moves (the template's ``migrations/move.py`` logs them), we
redo that merge with the old template's rendering of the old name as the base, as if the file had
never moved: the partner's edits and the template's changes then combine like any other file's.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from scaffold import gitrepo

MARKERS = ("before updating", "last update", "after updating")  # Copier's conflict labels


def read_moves(log: Path) -> list[tuple[str, str]]:
    """(old, new) pairs, relative to the project, in the order they happened."""
    if not log.is_file():
        return []
    pairs = []
    for line in log.read_text(encoding="utf-8").splitlines():
        old, sep, new = line.partition("\t")
        if sep:
            pairs.append((old, new))
    return pairs


def _stage_blob(top: Path, full_path: str, stage: int) -> tuple[str, str] | None:
    """(mode, blob id) of ``full_path`` at an index ``stage``, if present."""
    listing = gitrepo.git(top, "ls-files", "--stage", "--", full_path).stdout
    for line in listing.splitlines():
        info, _, path = line.partition("\t")
        mode, blob, number = info.split()
        if int(number) == stage and path == full_path:
            return mode, blob
    return None


def _merge(ours: bytes, base: Path, theirs: bytes) -> tuple[bytes, int] | None:
    """``git merge-file`` of the three: (result, number of conflicts), or None if it failed."""
    with tempfile.TemporaryDirectory(prefix="scaffold-remerge.") as scratch:
        ours_file, theirs_file = Path(scratch, "ours"), Path(scratch, "theirs")
        ours_file.write_bytes(ours)
        theirs_file.write_bytes(theirs)
        labels = [arg for label in MARKERS for arg in ("-L", label)]
        merge = subprocess.run(
            ["git", "merge-file", "-p", *labels, str(ours_file), str(base), str(theirs_file)],
            capture_output=True,
            check=False,
        )
    if merge.returncode < 0 or merge.returncode > 127:
        return None  # binary files, or git failed: keep Copier's result
    return merge.stdout, merge.returncode


def remerge(
    project: Path, moved: list[tuple[str, str]], old_render: Path, conflict: str
) -> list[str]:
    """Redo the merge of each moved file Copier left in conflict; returns those now merged."""
    top = gitrepo.toplevel(project)
    assert top is not None
    prefix = project.resolve().relative_to(top.resolve())
    unmerged = set(gitrepo.unmerged(project))
    resolved = []
    for old, new in moved:
        base = old_render / old
        full = (prefix / new).as_posix()
        if not base.is_file():
            continue
        if conflict == "inline":
            ours = _stage_blob(top, full, 2)  # the partner's file, as moved
            theirs = _stage_blob(top, full, 3)  # the new template's file
            if new not in unmerged or ours is None or theirs is None:
                continue
            merged = _merge(_blob(top, ours[1]), base, _blob(top, theirs[1]))
            if merged is None:
                continue
            _record_inline(top, project / new, full, merged, ours, theirs, base)
            if merged[1] == 0:
                resolved.append(new)
        else:
            reject = project / f"{new}.rej"
            staged = _stage_blob(top, full, 0)  # the partner's file, as moved
            if not reject.is_file() or staged is None:
                continue
            merged = _merge(_blob(top, staged[1]), base, (project / new).read_bytes())
            if merged is not None and merged[1] == 0:
                (project / new).write_bytes(merged[0])
                reject.unlink()
                resolved.append(new)
    return resolved


def _record_inline(
    top: Path,
    target: Path,
    full: str,
    merged: tuple[bytes, int],
    ours: tuple[str, str],
    theirs: tuple[str, str],
    base: Path,
) -> None:
    """Write the merge result; stage it resolved, or as a conflict with the true base."""
    target.write_bytes(merged[0])
    entries = [f"0 {'0' * 40}\t{full}"]
    if merged[1] == 0:
        entries.append(f"{ours[0]} {ours[1]} 0\t{full}")  # the move stays staged
    else:
        base_blob = gitrepo.git(top, "hash-object", "-w", "--", str(base)).stdout.strip()
        entries += [
            f"{ours[0]} {base_blob} 1\t{full}",
            f"{ours[0]} {ours[1]} 2\t{full}",
            f"{theirs[0]} {theirs[1]} 3\t{full}",
        ]
    subprocess.run(
        ["git", "update-index", "--index-info"],
        cwd=top,
        input="\n".join(entries) + "\n",
        text=True,
        check=True,
        capture_output=True,
    )


def _blob(top: Path, blob: str) -> bytes:
    return subprocess.run(
        ["git", "cat-file", "blob", blob], cwd=top, capture_output=True, check=True
    ).stdout
