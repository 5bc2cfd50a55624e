"""One problem in a manifest, printed as one line saying where it is and which rule it broke."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


def json_path(parts: Iterable[str | int]) -> str:
    """``$.spec.rules[0].labels`` from ``["spec", "rules", 0, "labels"]``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part and all(ch.isalnum() or ch in "_-" for ch in part):
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


@dataclass(frozen=True)
class Problem:
    """What is wrong (``message``), under which rule, and where: file, document, object, path."""

    file: Path
    document: int  # 1-based position of the YAML document in its file; 0 for the file itself
    rule: str
    message: str
    path: Sequence[str | int] = ()
    kind: str = ""
    name: str = ""

    def line(self, base: Path | None = None) -> str:
        where = str(self.file)
        if base is not None:
            with contextlib.suppress(ValueError):
                where = str(self.file.resolve().relative_to(base.resolve()))
        parts = [where]
        if self.document:
            parts.append(f"document {self.document}")
        if self.kind or self.name:
            parts.append(f"{self.kind or '?'}/{self.name or '?'}")
        parts.append(json_path(self.path))
        return ": ".join(parts) + f": {self.message} [{self.rule}]"
