"""Time `scaffold checklist status` on a freshly generated project.

Renders the ``full`` answer set (every component on) into a temporary folder, then times:
- the command as a user runs it (a new process each time: interpreter start-up included), per
  report format;
- the evaluation alone, in this process (catalog cached, as a long-lived caller would see it).

Prints the median, minimum and maximum of ``--runs`` runs as a Markdown table.

    python benchmarks/bench_checklist.py --runs 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "data" / "answers"


def _time(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm the file-system cache first
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return timings


def _row(label: str, timings: list[float]) -> str:
    ms = [t * 1000 for t in timings]
    return f"| {label} | {statistics.median(ms):.0f} | {min(ms):.0f} | {max(ms):.0f} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--answers", default="full", help="answer set in tests/data/answers")
    args = parser.parse_args()

    from checklist.catalog import load_catalog
    from checklist.engine import evaluate
    from checklist.model import Report
    from checklist.reporters import render
    from scaffold.commands.new import new_project

    with tempfile.TemporaryDirectory(prefix="bench-checklist-") as tmp:
        answers = yaml.safe_load((ANSWERS / f"{args.answers}.yml").read_text())
        project = new_project(Path(tmp) / "project", answers).project_dir
        files = sum(1 for p in project.rglob("*") if p.is_file())
        items = len(load_catalog().items)
        scaffold = [sys.executable, "-m", "scaffold"]

        def render_all(report: Report) -> list[str]:
            return [render(report, f) for f in ("table", "markdown", "json", "junit", "html")]

        rows = []
        for format_name in ("table", "json", "html"):
            command = [*scaffold, "checklist", "status", str(project), "-f", format_name]

            def run_command(command: list[str] = command) -> None:
                subprocess.run(command, check=True, capture_output=True)

            rows.append(
                _row(f"`scaffold checklist status -f {format_name}`", _time(run_command, args.runs))
            )
        rows.append(
            _row(
                "`scaffold --help` (start-up alone)",
                _time(
                    lambda: subprocess.run([*scaffold, "--help"], check=True, capture_output=True),
                    args.runs,
                ),
            )
        )
        rows.append(_row("evaluate() in process", _time(lambda: evaluate(project), args.runs)))
        rows.append(
            _row(
                "evaluate() + every format in process",
                _time(
                    lambda: render_all(evaluate(project)),
                    args.runs,
                ),
            )
        )

    print(
        f"Project: answer set `{args.answers}`, {files} files; catalog: {items} items; "
        f"{args.runs} runs each; Python {sys.version.split()[0]}."
    )
    print()
    print("| What | median ms | min ms | max ms |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
