"""Update a generated project to a newer template version carried by this install.

Copier does the three-way merge; this module decides whether it may run (a git project, committed,
made from our template URL, not by a newer template, not a downgrade), points Copier at the bundle,
puts the project back if Copier fails, and reports what changed and which files are left in
conflict (Copier itself exits 0 either way).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from scaffold import __version__, gitrepo, moves
from scaffold.answers import prepare
from scaffold.errors import ScaffoldError
from scaffold.template import questions
from scaffold.versions import TEMPLATE_URL
from scaffold.versions.store import Store, installed_store, version_key

ANSWERS_FILE = ".copier-answers.yml"
Conflict = Literal["inline", "rej"]


@dataclass(frozen=True)
class ProjectInfo:
    """What the answers file says about a generated project."""

    path: Path
    answers: dict[str, Any]
    version: str  # _commit: the template version it was last rendered from
    src_path: str


def read_project(project: Path, answers_file: str = ANSWERS_FILE) -> ProjectInfo:
    path = project.absolute()
    if not path.is_dir():
        raise ScaffoldError(f"DIR: {path} is not a directory")
    recorded = path / answers_file
    try:
        answers = yaml.safe_load(recorded.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ScaffoldError(
            f"DIR: {path} has no {answers_file}; it was not made by `scaffold new`"
        ) from error
    except (OSError, yaml.YAMLError) as error:
        raise ScaffoldError(f"{answers_file}: cannot read it: {error}") from error
    if not isinstance(answers, dict):
        raise ScaffoldError(f"{answers_file}: not a mapping of answers")
    src_path = str(answers.get("_src_path", ""))
    if src_path != TEMPLATE_URL:
        raise ScaffoldError(
            f"{answers_file}: _src_path is {src_path or 'missing'}, not scaffold's template URL "
            f"{TEMPLATE_URL}; if `scaffold new` made it before template versions existed, set "
            "_src_path to that URL and _commit to the version it was made from, and commit"
        )
    version = str(answers.get("_commit", "") or "")
    if not version:
        raise ScaffoldError(f"{answers_file}: _commit (the template version) is missing")
    return ProjectInfo(path, answers, version, src_path)


def _require_carried(info: ProjectInfo, store: Store) -> None:
    current = version_key(info.version, f"{ANSWERS_FILE} _commit")
    if store.carries(info.version):
        return
    latest = version_key(store.latest)
    if current > latest:
        raise ScaffoldError(
            f"{ANSWERS_FILE}: the project was made by template {info.version}, newer than this "
            f"scaffold knows (latest {store.latest}): upgrade scaffold"
        )
    notes = "".join(f"; {note}" for note in store.manifest.notes)
    raise ScaffoldError(
        f"{ANSWERS_FILE}: template {info.version} is not one this scaffold carries "
        f"({', '.join(store.versions)}){notes}"
    )


def target_version(info: ProjectInfo, store: Store, vcs_ref: str | None) -> str:
    """The version to update to, refusing unknown versions and downgrades."""
    _require_carried(info, store)
    target = vcs_ref or store.latest
    if not store.carries(target):
        raise ScaffoldError(
            f"--vcs-ref: {target} is not a template version this scaffold carries "
            f"({', '.join(store.versions)}; see `scaffold versions`)"
        )
    if version_key(target) < version_key(info.version):
        raise ScaffoldError(
            f"--vcs-ref: {target} is older than the project's template {info.version}: "
            "downgrades are refused"
        )
    return target


@dataclass(frozen=True)
class CheckResult:
    project: Path
    current: str
    latest: str
    newer: tuple[str, ...]

    @property
    def update_available(self) -> bool:
        return bool(self.newer)

    def to_json(self) -> str:
        return json.dumps(
            {
                "project": str(self.project),
                "current": self.current,
                "latest": self.latest,
                "newer": list(self.newer),
                "update_available": self.update_available,
                "scaffold_version": __version__,
            },
            indent=2,
        )


def check_update(
    project: Path, *, store: Store | None = None, answers_file: str = ANSWERS_FILE
) -> CheckResult:
    """Whether this install carries a newer template version than the project's."""
    store = store or installed_store()
    info = read_project(project, answers_file)
    _require_carried(info, store)
    current = version_key(info.version)
    newer = tuple(v for v in store.versions if version_key(v) > current)
    return CheckResult(info.path, info.version, store.latest, newer)


@dataclass(frozen=True)
class UpdateResult:
    project: Path
    old: str
    new: str
    changes: tuple[tuple[str, str], ...] = ()  # (git status, path), relative to the project
    conflicts: tuple[str, ...] = ()
    pretend: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def up_to_date(self) -> bool:
        return self.old == self.new and not self.changes


def _require_clean_git(project: Path) -> None:
    if gitrepo.toplevel(project) is None:
        raise ScaffoldError(
            f"DIR: {project} is not in a git repository; run `git init && git add -A && "
            "git commit` first (an update is a merge that git must be able to show and undo)"
        )
    if not gitrepo.has_commits(project):
        raise ScaffoldError(f"DIR: {project} has no commit yet; commit the project first")
    dirty = gitrepo.uncommitted(project)
    if dirty:
        shown = ", ".join(line.strip() for line in dirty[:5])
        more = f" and {len(dirty) - 5} more" if len(dirty) > 5 else ""
        raise ScaffoldError(
            f"DIR: {project} has uncommitted changes ({shown}{more}); commit or stash them first"
        )


def _run_copier(
    info: ProjectInfo,
    project: Path,
    store: Store,
    target: str,
    data: dict[str, Any],
    conflict: Conflict,
    answers_file: str,
    quiet: bool,
) -> None:
    """Run Copier's update in ``project`` (the real one or a scratch clone of it)."""
    import copier  # heavy: imported only when updating
    from copier.errors import CopierError

    with tempfile.TemporaryDirectory(prefix="scaffold-update.") as scratch:
        log = Path(scratch, "moves.log")
        with store.environment({"SCAFFOLD_MOVES_LOG": str(log)}):
            try:
                copier.run_update(
                    str(project),
                    data=data,
                    answers_file=answers_file,
                    vcs_ref=target,
                    defaults=True,
                    overwrite=True,
                    conflict=conflict,
                    unsafe=True,  # our own template: extensions and migrations must run
                    quiet=quiet,
                )
            except (CopierError, ValueError) as error:
                text = str(error).strip() or type(error).__name__
                raise ScaffoldError(f"update: {text}") from error
            moved = moves.read_moves(log)
            if moved:
                old_render = Path(scratch, "old")
                _render_version(store, info, old_render)
                moves.remerge(project, moved, old_render, conflict)


def _render_version(store: Store, info: ProjectInfo, dest: Path) -> None:
    """Render the project's own template version with its recorded answers (a merge base)."""
    import copier

    answers = {k: v for k, v in info.answers.items() if not k.startswith("_")}
    copier.run_copy(
        TEMPLATE_URL,
        str(dest),
        data=answers,
        vcs_ref=info.version,
        defaults=True,
        quiet=True,
        unsafe=True,
        skip_tasks=True,
    )


def update_project(
    project: Path,
    *,
    store: Store | None = None,
    vcs_ref: str | None = None,
    data: dict[str, Any] | None = None,
    conflict: Conflict = "inline",
    pretend: bool = False,
    answers_file: str = ANSWERS_FILE,
    quiet: bool = True,
) -> UpdateResult:
    """Update ``project`` to ``vcs_ref`` (default: the latest carried version).

    Refusals raise ScaffoldError before anything is written; if Copier fails, the project is put
    back as committed. With ``pretend``, the update runs on a scratch clone and only its result is
    reported.
    """
    store = store or installed_store()
    info = read_project(project, answers_file)
    target = target_version(info, store, vcs_ref)
    _require_clean_git(info.path)
    template = store.template_dir(target)
    typed = prepare(template, questions(template), dict(data or {}), require_all=False)
    if target == info.version and not typed:
        return UpdateResult(info.path, info.version, target, pretend=pretend)
    if pretend:
        return _pretend(info, store, target, typed, conflict, answers_file)
    try:
        _run_copier(info, info.path, store, target, typed, conflict, answers_file, quiet)
    except BaseException:
        gitrepo.restore(info.path)
        raise
    return _result(info, target, conflict, pretend=False, where=info.path)


def _result(
    info: ProjectInfo, target: str, conflict: Conflict, *, pretend: bool, where: Path
) -> UpdateResult:
    conflicts = gitrepo.unmerged(where) if conflict == "inline" else gitrepo.rejects(where)
    return UpdateResult(
        info.path,
        info.version,
        target,
        changes=tuple(gitrepo.changes(where)),
        conflicts=tuple(conflicts),
        pretend=pretend,
    )


def _pretend(
    info: ProjectInfo,
    store: Store,
    target: str,
    data: dict[str, Any],
    conflict: Conflict,
    answers_file: str,
) -> UpdateResult:
    top = gitrepo.toplevel(info.path)
    assert top is not None
    scratch = Path(tempfile.mkdtemp(prefix="scaffold-update-pretend."))
    try:
        clone = scratch / "repo"
        gitrepo.git(scratch, "clone", "--quiet", "--no-hardlinks", str(top), str(clone))
        copy = clone / info.path.resolve().relative_to(top.resolve())
        _run_copier(info, copy, store, target, data, conflict, answers_file, quiet=True)
        return _result(info, target, conflict, pretend=True, where=copy)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
