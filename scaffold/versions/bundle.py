"""Turn a template ``History`` into a git bundle: one commit and one tag per version.

Standard library only: the wheel build hook runs this in a bare build environment.

The released trees are borrowed from the source repository through git alternates (no file is
copied); the working tree, when it is a version of its own, is hashed into the new repository.
Commits take their author date from the source commit, so the same history gives the same bundle.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scaffold.errors import ScaffoldError
from scaffold.gitrepo import git
from scaffold.versions.history import History

BUNDLE_NAME = "template.bundle"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
_IDENTITY = {
    "GIT_AUTHOR_NAME": "partner-scaffold",
    "GIT_AUTHOR_EMAIL": "template@partner-scaffold.invalid",
    "GIT_COMMITTER_NAME": "partner-scaffold",
    "GIT_COMMITTER_EMAIL": "template@partner-scaffold.invalid",
}


@dataclass(frozen=True)
class Manifest:
    """What a bundle carries, readable without git."""

    id: str  # sha256 of the bundle file
    versions: tuple[str, ...]  # oldest first; the last is the latest
    origin: str
    notes: tuple[str, ...]
    details: tuple[dict[str, str], ...]

    @property
    def latest(self) -> str:
        return self.versions[-1]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": MANIFEST_FORMAT,
                "id": self.id,
                "versions": list(self.versions),
                "origin": self.origin,
                "notes": list(self.notes),
                "details": list(self.details),
            },
            indent=2,
        )

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != MANIFEST_FORMAT or not data["versions"]:
                raise ValueError(f"unsupported format {data.get('format')!r}")
            return cls(
                id=str(data["id"]),
                versions=tuple(str(v) for v in data["versions"]),
                origin=str(data["origin"]),
                notes=tuple(str(n) for n in data["notes"]),
                details=tuple(dict(d) for d in data["details"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ScaffoldError(f"template versions: cannot read {path}: {error}") from error


def _git(
    git_dir: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str = "",
    cwd: Path | None = None,
) -> str:
    """git on the bare repository ``git_dir`` (the bundle being built); returns its output."""
    run = git(cwd, *args, env={"GIT_DIR": str(git_dir), **(env or {})}, stdin=stdin)
    return run.stdout.strip()


def _working_tree_id(repo: Path, history: History) -> str:
    """Hash the on-disk template into ``repo`` and return its tree id."""
    working = history.working
    index = repo / "working.index"
    env = {"GIT_INDEX_FILE": str(index), "GIT_WORK_TREE": str(working.template)}
    files = "\0".join(working.files)
    _git(repo, "update-index", "--add", "-z", "--stdin", env=env, stdin=files, cwd=working.template)
    tree = _git(repo, "write-tree", env=env)
    index.unlink()
    return tree


def _commit(repo: Path, tree: str, parent: str | None, message: str, timestamp: int) -> str:
    date = f"{timestamp} +0000"
    env = {**_IDENTITY, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    parents = ["-p", parent] if parent else []
    return _git(repo, "commit-tree", tree, *parents, "-m", message, env=env)


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()


def build_bundle(history: History, out_dir: Path) -> Manifest:
    """Write ``template.bundle`` and ``manifest.json`` for ``history`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scaffold-template-repo.") as scratch:
        repo = Path(scratch) / "repo.git"
        _git(repo, "init", "--quiet", "--bare")
        if history.git_dir is not None:
            (repo / "objects" / "info" / "alternates").write_text(
                f"{history.git_dir / 'objects'}\n"
            )
        parent: str | None = None
        details: list[dict[str, str]] = []
        for release in history.released:
            message = f"template {release.version}\n\nFrom commit {release.commit}.\n"
            parent = _commit(repo, release.tree, parent, message, release.timestamp)
            _git(repo, "tag", release.version, parent)
            when = datetime.fromtimestamp(release.timestamp, UTC).date().isoformat()
            details.append(
                {
                    "version": release.version,
                    "kind": "released",
                    "source": release.commit,
                    "date": when,
                }
            )
        working = history.working
        if working.label:
            timestamp = history.released[-1].timestamp if history.released else 946684800
            message = f"template {working.label}\n\nFrom the working tree ({working.digest}).\n"
            parent = _commit(repo, _working_tree_id(repo, history), parent, message, timestamp)
            _git(repo, "tag", working.label, parent)
            kind = "development" if "+dev." in working.label else "working tree"
            details.append(
                {"version": working.label, "kind": kind, "source": str(history.root), "date": ""}
            )
        assert parent is not None  # a history always has a working tree or a release
        _git(repo, "update-ref", "refs/heads/main", parent)
        _git(repo, "symbolic-ref", "HEAD", "refs/heads/main")
        staged = out_dir / f".{BUNDLE_NAME}.tmp"
        _git(repo, "bundle", "create", "--quiet", str(staged), "--all")
        bundle = out_dir / BUNDLE_NAME
        staged.replace(bundle)
    manifest = Manifest(
        id=_sha256(bundle),
        versions=tuple(d["version"] for d in details),
        origin=history.origin,
        notes=history.notes,
        details=tuple(details),
    )
    staged_manifest = out_dir / f".{MANIFEST_NAME}.tmp"
    staged_manifest.write_text(manifest.to_json() + "\n", encoding="utf-8")
    staged_manifest.replace(out_dir / MANIFEST_NAME)
    return manifest


def publish(history: History, final_dir: Path) -> Manifest:
    """Build in a sibling scratch directory, then move it into place (safe concurrently)."""
    if (final_dir / MANIFEST_NAME).is_file():
        return Manifest.load(final_dir / MANIFEST_NAME)
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{final_dir.name}.", dir=final_dir.parent))
    try:
        manifest = build_bundle(history, scratch)
        try:
            scratch.rename(final_dir)
        except OSError:
            if not (final_dir / MANIFEST_NAME).is_file():
                raise
        return Manifest.load(final_dir / MANIFEST_NAME) if final_dir.exists() else manifest
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
