"""Which template versions a source tree holds: one per commit that bumped ``template/VERSION``.

Standard library only: the wheel build hook runs this in a bare build environment.

A released version is the ``template/`` tree of the first-parent commit that set ``VERSION`` to it.
The working tree adds one more version when it differs from the last released one: ``VERSION``
itself when that value was never committed (an uncommitted bump, or no usable history), otherwise
``VERSION+dev.<digest>`` (template edits not yet released under a new version).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.gitrepo import git

VERSION_FILE = "VERSION"
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_SKIPPED_PARTS = {"__pycache__", ".git"}


def parse_version(text: str, where: str) -> tuple[int, int, int]:
    """``MAJOR.MINOR.PATCH`` as a tuple; ScaffoldError naming ``where`` otherwise."""
    match = _SEMVER.fullmatch(text.strip())
    if not match:
        raise ScaffoldError(f"{where}: template version {text.strip()!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)


@dataclass(frozen=True)
class Released:
    """A version as committed: the template tree of the commit that bumped ``VERSION`` to it."""

    version: str
    commit: str  # the source commit
    tree: str  # the template/ tree id in the source repository
    timestamp: int


@dataclass(frozen=True)
class WorkingTree:
    """The template as it is on disk: its files, the version they carry, and a content digest."""

    template: Path
    files: tuple[str, ...]  # relative to ``template``, sorted
    version: str  # the value of VERSION
    digest: str  # sha256 over paths, executable bits and contents
    label: str | None  # the tag it gets, or None when it equals the last released version


@dataclass(frozen=True)
class History:
    root: Path  # the directory holding template/
    git_dir: Path | None  # where the released trees' objects live
    released: tuple[Released, ...]
    working: WorkingTree
    origin: str
    notes: tuple[str, ...] = field(default=())

    @property
    def versions(self) -> list[str]:
        labels = [r.version for r in self.released]
        return [*labels, self.working.label] if self.working.label else labels


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return git(None, "-C", str(root), *args, check=check)


def _git_files(root: Path, rel: str) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files under ``rel``, or None outside git."""
    run = _git(root, "ls-files", "-z", "-co", "--exclude-standard", "--", rel, check=False)
    if run.returncode != 0:
        return None
    prefix = f"{rel}/"
    return sorted({p.removeprefix(prefix) for p in run.stdout.split("\0") if p})


def _walk_files(template: Path) -> list[str]:
    return sorted(
        p.relative_to(template).as_posix()
        for p in template.rglob("*")
        if not p.is_dir()
        and not _SKIPPED_PARTS.intersection(p.relative_to(template).parts)
        and p.suffix != ".pyc"
    )


def _digest(template: Path, files: list[str]) -> str:
    sha = hashlib.sha256()
    for name in files:
        path = template / name
        executable = os.access(path, os.X_OK) and not path.is_symlink()
        data = str(path.readlink()).encode() if path.is_symlink() else path.read_bytes()
        sha.update(f"{name}\0{int(executable)}\0{len(data)}\0".encode())
        sha.update(data)
    return sha.hexdigest()


def _shallow_boundary(root: Path) -> set[str]:
    run = _git(root, "rev-parse", "--is-shallow-repository", "--git-path", "shallow", check=False)
    lines = run.stdout.split()
    if run.returncode != 0 or not lines or lines[0] != "true":
        return set()
    path = Path(lines[1])
    path = path if path.is_absolute() else root / path
    try:
        return set(path.read_text().split())
    except OSError:
        return set()


def _released(root: Path, rel: str, notes: list[str]) -> list[Released]:
    boundary = _shallow_boundary(root)
    if boundary:
        notes.append(
            "shallow git clone: template versions bumped before its oldest commit are missing "
            "(run `git fetch --unshallow` to carry them)"
        )
    log = _git(
        root, "log", "--first-parent", "--reverse", "--format=%H %ct", "--", f"{rel}/{VERSION_FILE}"
    ).stdout.split("\n")
    released: list[Released] = []
    for line in filter(None, log):
        commit, timestamp = line.split()
        if commit in boundary:
            continue  # its parent is missing: we cannot tell whether it bumped anything
        shown = _git(root, "show", f"{commit}:{rel}/{VERSION_FILE}", check=False)
        if shown.returncode != 0:
            continue  # VERSION deleted in this commit
        version = shown.stdout.strip()
        key = parse_version(version, f"{VERSION_FILE} at commit {commit[:12]}")
        if released and key <= parse_version(released[-1].version, "previous"):
            if key < parse_version(released[-1].version, "previous"):
                notes.append(
                    f"commit {commit[:12]} lowers the template version from "
                    f"{released[-1].version} to {version}: ignored"
                )
            continue
        tree = _git(root, "rev-parse", f"{commit}:{rel}").stdout.strip()
        released.append(Released(version, commit, tree, int(timestamp)))
    return released


def _working_matches(root: Path, rel: str, last: Released, files: list[str]) -> bool:
    """Whether the on-disk template equals the last released tree (tracked and untracked)."""
    same_tracked = _git(root, "diff", "--quiet", last.commit, "--", rel, check=False)
    if same_tracked.returncode != 0:
        return False
    tracked = _git(root, "ls-tree", "-r", "--name-only", last.tree).stdout.split("\n")
    return set(files) == set(filter(None, tracked))


def read_history(root: Path) -> History:
    """Every template version ``root/template`` holds, from git history and the working tree."""
    root = root.resolve()
    template = root / "template"
    version_path = template / VERSION_FILE
    try:
        version = version_path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ScaffoldError(f"template: cannot read {version_path}: {error}") from error
    current = parse_version(version, str(version_path))

    notes: list[str] = []
    top = _git(root, "rev-parse", "--show-toplevel", check=False)
    git_files: list[str] | None = None
    released: list[Released] = []
    git_dir: Path | None = None
    rel = ""
    if (
        top.returncode == 0
        and _git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).stdout
    ):
        rel = template.relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        git_files = _git_files(root, rel)
        released = _released(root, rel, notes)
        common = _git(root, "rev-parse", "--git-common-dir").stdout.strip()
        git_dir = (root / common).resolve()
    if not released:
        notes.append(
            f"no template history in git at {root}: carrying only the working tree's template "
            f"{version}; projects made by older versions cannot be updated with this install"
        )
    files = (
        [f for f in git_files if (template / f).exists() or (template / f).is_symlink()]
        if git_files is not None
        else _walk_files(template)
    )
    digest = _digest(template, files)

    label: str | None = version
    if released:
        last = released[-1]
        if current < parse_version(last.version, "previous"):
            raise ScaffoldError(
                f"{version_path}: {version} is older than the released template {last.version}; "
                "versions only go up"
            )
        if version == last.version:
            label = (
                None if _working_matches(root, rel, last, files) else f"{version}+dev.{digest[:10]}"
            )
    if label and "+dev." in label:
        notes.append(
            f"template/ differs from the release of {version}: carried as {label} (bump "
            f"template/{VERSION_FILE} before releasing)"
        )
    origin = f"git history of {root}" if released else f"working tree of {root}"
    working = WorkingTree(template, tuple(files), version, digest, label)
    return History(root, git_dir, tuple(released), working, origin, tuple(notes))
