"""What the probes see of a generated project: its answers, its files, their text and YAML.

One ``Project`` is built per evaluation. It lists the tree once and caches each file's text and
parsed documents, because many probes look at the same manifests.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from checklist.errors import ChecklistError

ANSWERS_FILE = ".copier-answers.yml"
# Folders that hold tools' output or third-party code, never the partner's own sources.
_Loader = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml when present: several times faster
_SKIPPED_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "vendor", "bin", "_output", "__pycache__"}
)


@dataclass(frozen=True)
class Document:
    """One YAML or JSON document of a file; ``index`` counts documents within the file."""

    path: str
    index: int
    data: Any


@functools.cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A project-relative glob as a regex: ``**/`` spans folders, ``*`` stays in one, ``{a,b}``."""
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            end = pattern.index("}", i)
            out.append(
                "(?:" + "|".join(re.escape(p) for p in pattern[i + 1 : end].split(",")) + ")"
            )
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


def as_patterns(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


class Project:
    def __init__(self, root: Path, answers: dict[str, Any]) -> None:
        self.root = root
        self.answers = answers

    @classmethod
    def open(cls, root: Path) -> Project:
        """Read a generated project; raise ChecklistError when ``root`` is not one."""
        answers_path = root / ANSWERS_FILE
        if not root.is_dir():
            raise ChecklistError(f"{root}: no such directory")
        if not answers_path.is_file():
            raise ChecklistError(
                f"{root}: not a generated project (no {ANSWERS_FILE}; run `scaffold new` first)"
            )
        try:
            # PyYAML, like Copier, reads ids such as 11e8 as text; a YAML 1.2 reader would not.
            answers = yaml.safe_load(answers_path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ChecklistError(f"{answers_path}: cannot read: {error}") from error
        if not isinstance(answers, dict):
            raise ChecklistError(f"{answers_path}: not a mapping of answers")
        return cls(root, answers)

    @functools.cached_property
    def files(self) -> tuple[str, ...]:
        """Every file, as a sorted POSIX path relative to the root."""
        found: list[str] = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS]
            rel = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if rel == "." else rel + "/"
            found.extend(prefix + name for name in names)
        return tuple(sorted(found))

    def glob(self, patterns: str | Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
        """Files matching any of ``patterns`` and none of ``exclude``."""
        wanted = [_glob_regex(p) for p in as_patterns(patterns)]
        unwanted = [_glob_regex(p) for p in exclude]
        return [
            f
            for f in self.files
            if any(w.match(f) for w in wanted) and not any(u.match(f) for u in unwanted)
        ]

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    @functools.cache  # noqa: B019 - one Project lives for one evaluation
    def text(self, rel: str) -> str:
        """A file's text; undecodable bytes are replaced so binary files never crash a probe."""
        return (self.root / rel).read_text(encoding="utf-8", errors="replace")

    @functools.cache  # noqa: B019 - one Project lives for one evaluation
    def documents(self, rel: str) -> tuple[Document, ...]:
        """The YAML (or JSON) documents of a file; ChecklistError naming the line if broken."""
        try:
            loaded = list(yaml.load_all(self.text(rel), Loader=_Loader))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            raise ChecklistError(f"{rel}{where}: not valid YAML") from error
        return tuple(Document(rel, i, d) for i, d in enumerate(loaded) if d is not None)
