"""Time `scaffold new` against plain `copier copy` of the same template and answers.

Run with `make bench` (or `python benchmarks/bench_new.py --runs 7`). Prints a Markdown table of
median and spread over the runs, ready for docs/performance.md. Each command runs as a fresh
process, as a user would run it, so start-up cost (imports) is part of the figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "examples" / "acme-edu.yml"
BIN = Path(sys.executable).parent


def _timed(command: list[str], prepare: Callable[[], None] | None = None) -> float:
    if prepare:
        prepare()
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def _measure(label: str, command: list[str], runs: int, dest: Path | None = None) -> str:
    def clean() -> None:
        if dest is not None:
            shutil.rmtree(dest, ignore_errors=True)

    _timed(command, clean)  # warm the file cache and .pyc files; not counted
    samples = [_timed(command, clean) for _ in range(runs)]
    median = statistics.median(samples) * 1000
    low, high = min(samples) * 1000, max(samples) * 1000
    return f"| {label} | {median:.0f} ms | {low:.0f}-{high:.0f} ms |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    try:
        os.environ["COPIER_SETTINGS_PATH"] = str(work / "no-settings.yml")
        (work / "no-settings.yml").write_text("{}\n")
        scaffold = [str(BIN / "scaffold")]
        project = work / "scaffold-project"
        # The complete answers scaffold used, so copier renders exactly the same project.
        subprocess.run(
            [*scaffold, "new", str(project), "--defaults", "--data-file", str(ANSWERS), "-q"],
            check=True,
            capture_output=True,
        )
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        full_answers = work / "answers.yml"
        full_answers.write_text(
            yaml.safe_dump({k: v for k, v in answers.items() if not k.startswith("_")})
        )
        copier_dest = work / "copier-project"
        rows = [
            _measure("`scaffold --help`", [*scaffold, "--help"], args.runs),
            _measure(
                "`scaffold new --defaults` (checks answers, renders, moves into place)",
                [*scaffold, "new", str(project), "--defaults", "--data-file", str(ANSWERS), "-q"],
                args.runs,
                project,
            ),
            _measure(
                "`copier copy --defaults --trust` (same answers, template directory)",
                [
                    str(BIN / "copier"),
                    "copy",
                    "--defaults",
                    "--trust",
                    "--quiet",
                    "--data-file",
                    str(full_answers),
                    str(ROOT / "template"),
                    str(copier_dest),
                ],
                args.runs,
                copier_dest,
            ),
        ]
        # scaffold renders the latest carried version from its git bundle (so projects can be
        # updated later); this is copier on that same bundle, through the same fixed URL.
        from scaffold.versions import TEMPLATE_URL
        from scaffold.versions.store import installed_store

        store = installed_store()
        with store.environment():
            rows.append(
                _measure(
                    "`copier copy --defaults --trust` (same answers, same versioned bundle)",
                    [
                        str(BIN / "copier"),
                        "copy",
                        "--defaults",
                        "--trust",
                        "--quiet",
                        "--vcs-ref",
                        store.latest,
                        "--data-file",
                        str(full_answers),
                        TEMPLATE_URL,
                        str(copier_dest),
                    ],
                    args.runs,
                    copier_dest,
                )
            )
        files = sum(1 for p in project.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"{args.runs} runs each (median, min-max), {files} files rendered, {os.cpu_count()} cores\n"
    )
    print("| Command | Median | Range |")
    print("|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
