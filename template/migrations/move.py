"""Migration helper: move a generated file with ``git mv`` so the user's edits go with it.

Run by Copier before an update that crosses the version that renamed the file (see ``_migrations``
in copier.yml and docs/updating.md), in the project directory:

    python move.py OLD NEW

Skips quietly when OLD is gone (the user deleted or already moved it) and refuses when NEW exists.
Standard library only: it runs with the Python that runs scaffold.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# `scaffold update` sets this to learn which files moved, so it can merge the partner's edits into
# the moved file against the right base (Copier's own merge sees a file added on both sides).
MOVES_LOG = "SCAFFOLD_MOVES_LOG"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: move.py OLD NEW", file=sys.stderr)
        return 2
    old, new = Path(argv[0]), Path(argv[1])
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", "--", str(old)], capture_output=True, check=False
    )
    if not old.exists() or tracked.returncode != 0:
        print(f"move.py: {old} is not a tracked file here; nothing to move")
        return 0
    if new.exists():
        print(f"move.py: cannot move {old} to {new}: {new} exists", file=sys.stderr)
        return 1
    new.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "mv", "--", str(old), str(new)], check=True)
    if log := os.environ.get(MOVES_LOG):
        with Path(log).open("a", encoding="utf-8") as stream:
            stream.write(f"{old.as_posix()}\t{new.as_posix()}\n")
    print(f"move.py: moved {old} to {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
