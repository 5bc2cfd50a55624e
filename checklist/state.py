"""The project's manual checklist state (``checklist.yaml``): read it, and edit it in place.

Partners also edit this file by hand and review it in pull requests, so edits go through
ruamel.yaml's round-trip mode: comments, key order and quoting survive. A file that does not parse
or does not follow the format is reported with its line and is never written over.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from checklist.errors import ChecklistError
from checklist.model import Mark, Status

STATE_FILE = "checklist.yaml"
FORMAT_VERSION = 1
_STATUS_WORDS = {"done": Status.DONE, "n/a": Status.NOT_APPLICABLE}
_ENTRY_KEYS = {"status", "evidence", "reason", "by", "at"}
NEW_FILE = """\
# Manual entries of the enablement checklist, read by `scaffold checklist status`.
# Edit with `scaffold checklist mark|na|reset ITEM`, or by hand; comments and order are kept.
# Each entry: status (done | n/a), evidence (URL or path, for done), reason (for n/a), by, at.
version: 1
items:
"""


def _yaml() -> Any:
    try:  # imported here: only commands that touch the state file pay for it
        from ruamel.yaml import YAML
    except ImportError as error:
        raise ChecklistError(
            f"reading {STATE_FILE} needs ruamel.yaml: pip install 'ruamel.yaml>=0.18'"
        ) from error

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long evidence URL
    return yaml


def _line_of(mapping: Any, key: Any) -> int:
    """1-based line of ``key`` in a round-trip mapping, 0 when unknown."""
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return 0


def _load(path: Path) -> Any:
    yaml = _yaml()
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ChecklistError(f"{path}: cannot read: {error.strerror}") from error
    try:
        document = yaml.load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ChecklistError(f"{path}{where}: {problem}; fix it by hand") from error
    return document


def _check(path: Path, document: Any) -> dict[str, Mark]:
    """Marks of a loaded document; ChecklistError naming the line on any format problem."""
    if document is None:
        return {}
    if not isinstance(document, Mapping):
        raise ChecklistError(f"{path} line 1: must be a mapping with `version` and `items`")
    unknown = [k for k in document if k not in {"version", "items"}]
    if unknown:
        key = unknown[0]
        raise ChecklistError(f"{path} line {_line_of(document, key)}: unknown key {key!r}")
    version = document.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ChecklistError(
            f"{path} line {_line_of(document, 'version')}: version {version!r} is not supported "
            f"(this scaffold reads version {FORMAT_VERSION})"
        )
    items = document.get("items")
    if items is None:
        return {}
    if not isinstance(items, Mapping):
        line = _line_of(document, "items")
        raise ChecklistError(f"{path} line {line}: `items` must map item ids to entries")
    marks = {}
    for item_id, entry in items.items():
        line = _line_of(items, item_id)
        marks[str(item_id)] = _mark(path, str(item_id), entry, line)
    return marks


def _mark(path: Path, item_id: str, entry: Any, line: int) -> Mark:
    where = f"{path} line {line}: {item_id}"
    if not isinstance(entry, Mapping):
        raise ChecklistError(f"{where}: must be a mapping with status and evidence or reason")
    unknown = sorted(str(k) for k in entry if k not in _ENTRY_KEYS)
    if unknown:
        raise ChecklistError(f"{where}: unknown key {unknown[0]!r} (known: {sorted(_ENTRY_KEYS)})")
    status = _STATUS_WORDS.get(str(entry.get("status")))
    if status is None:
        raise ChecklistError(f"{where}: status must be done or n/a, not {entry.get('status')!r}")
    evidence, reason = str(entry.get("evidence") or ""), str(entry.get("reason") or "")
    if status is Status.DONE and not evidence:
        raise ChecklistError(f"{where}: a done entry needs evidence (a URL or a path)")
    if status is Status.NOT_APPLICABLE and not reason:
        raise ChecklistError(f"{where}: an n/a entry needs a reason")
    return Mark(
        item_id=item_id,
        status=status,
        evidence=evidence,
        reason=reason,
        by=str(entry.get("by") or ""),
        at=str(entry.get("at") or ""),
        line=line,
    )


def read_marks(project_dir: Path) -> dict[str, Mark]:
    """The manual marks of a project, by item id; an absent file means none."""
    path = project_dir / STATE_FILE
    if not path.exists():
        return {}
    return _check(path, _load(path))


def _write(path: Path, document: Any) -> None:
    """Write atomically: a crash or a full disk leaves the old file whole."""
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ChecklistError(f"{path}: cannot write: {error.strerror}") from error
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(buffer.getvalue())
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise ChecklistError(f"{path}: cannot write: {error.strerror}") from error
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load_for_edit(path: Path) -> Any:
    document = _load(path) if path.exists() else _yaml().load(NEW_FILE)
    if document is None:  # an empty file: start it afresh
        document = _yaml().load(NEW_FILE)
    _check(path, document)  # refuse to touch a file that does not follow the format
    return document


def set_mark(project_dir: Path, mark: Mark) -> None:
    """Record ``mark`` (done or n/a) for its item, replacing any earlier entry for it."""
    path = project_dir / STATE_FILE
    document = _load_for_edit(path)
    from ruamel.yaml.comments import CommentedMap  # present: _load_for_edit imported ruamel.yaml

    if document.get("items") is None:
        document["items"] = CommentedMap()
    entry = CommentedMap()
    entry["status"] = "done" if mark.status is Status.DONE else "n/a"
    if mark.status is Status.DONE:
        entry["evidence"] = mark.evidence
    else:
        entry["reason"] = mark.reason
    entry["by"] = mark.by
    entry["at"] = mark.at
    items = document["items"]
    if mark.item_id in items:
        # Keep the entry where it is and any comments attached to it: update it key by key.
        old = items[mark.item_id]
        for key in [k for k in old if k not in entry]:
            del old[key]
        for key, value in entry.items():
            old[key] = value
    else:
        items[mark.item_id] = entry
    _check(path, document)
    _write(path, document)


def remove_mark(project_dir: Path, item_id: str) -> bool:
    """Drop the entry for ``item_id``; False when there was none (the file is then untouched)."""
    path = project_dir / STATE_FILE
    if not path.exists():
        return False
    document = _load_for_edit(path)
    items = document.get("items")
    if not items or item_id not in items:
        return False
    del items[item_id]
    _write(path, document)
    return True
