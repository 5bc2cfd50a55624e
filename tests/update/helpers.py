"""Template histories for update tests: a git repository holding ``template/`` (a copy of ours),
with one commit per template version, and snapshots to prove refusals change nothing."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import ROOT, TEMPLATE

# Fixture files added to the copied template, one line per number, so tests can edit line n.
MERGED = "UPDATE_MERGED.md"  # template changes its last line in v2; the user edits line 2
CONFLICTED = "UPDATE_CONFLICT.md"  # template and user both change line 2
RENAMED_OLD = "UPDATE_OLD_NAME.md"  # renamed by a migration in v2
RENAMED_NEW = "docs/update-new-name.md"
ADDED = "UPDATE_ADDED_IN_V2.md"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def lines(prefix: str, count: int = 12) -> list[str]:
    return [f"{prefix} line {n}" for n in range(1, count + 1)]


def write_lines(path: Path, content: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(content) + "\n", encoding="utf-8")


def replace_line(path: Path, number: int, text: str) -> None:
    content = path.read_text(encoding="utf-8").splitlines()
    content[number - 1] = text
    write_lines(path, content)


def set_version(template: Path, version: str) -> None:
    (template / "VERSION").write_text(f"{version}\n", encoding="utf-8")


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)
    return git(root, "rev-parse", "HEAD").strip()


def _ignore_caches(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n == "__pycache__" or n.endswith(".pyc")}


def add_v1_fixture_files(template: Path) -> None:
    project = template / "project"
    write_lines(project / MERGED, lines("merged"))
    write_lines(project / CONFLICTED, lines("conflict"))
    write_lines(project / RENAMED_OLD, lines("renamed"))


def make_v2_changes(template: Path, version: str) -> None:
    """The template changes of the second version: edit, add, and rename with a migration."""
    project = template / "project"
    replace_line(project / MERGED, 12, "merged line 12 (changed by the template)")
    replace_line(project / CONFLICTED, 2, "conflict line 2 (changed by the template)")
    write_lines(project / ADDED, ["added by the new template version"])
    (project / RENAMED_NEW).parent.mkdir(parents=True, exist_ok=True)
    (project / RENAMED_OLD).rename(project / RENAMED_NEW)
    replace_line(project / RENAMED_NEW, 12, "renamed line 12 (changed by the template)")
    add_migration(template, version, RENAMED_OLD, RENAMED_NEW)
    set_version(template, version)


def add_migration(template: Path, version: str, old: str, new: str) -> None:
    config_path = template / "copier.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    migrations = list(config.get("_migrations") or [])
    migrations.append(
        {
            "version": version,
            "when": "{{ _stage == 'before' }}",
            "command": [
                "{{ _copier_python }}",
                "{{ _copier_conf.src_path }}/migrations/move.py",
                old,
                new,
            ],
        }
    )
    config["_migrations"] = migrations
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def make_template_source(root: Path, version: str = "1.0.0") -> Path:
    """``root/template``: our template plus fixture files at ``version``, committed in git."""
    root.mkdir(parents=True)
    shutil.copytree(TEMPLATE, root / "template", ignore=_ignore_caches)
    set_version(root / "template", version)
    add_v1_fixture_files(root / "template")
    git(root, "init", "-q")
    commit_all(root, f"template {version}")
    return root


def copy_project_source(dest: Path, *, init: bool = True) -> Path:
    """A copy of this project's files (as in the working tree), a git repository if ``init``."""
    listed = git(ROOT, "ls-files", "-z", "-co", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and "__pycache__" not in source.parts:
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if init:
        git(dest, "init", "-q")
    return dest


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` outside ``.git``, plus its git HEAD, index and status."""
    files = {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(directory).parts
    }
    if (directory / ".git").exists():
        for name, args in {
            "::head": ("rev-parse", "HEAD"),
            "::index": ("ls-files", "--stage"),
            "::status": ("status", "--porcelain", "--untracked-files=all"),
        }.items():
            files[name] = git(directory, *args).encode()
    return files


Mutation = Callable[[Path], None]
