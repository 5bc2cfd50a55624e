"""Time `scaffold update` on a generated project, against plain `copier update` of the same merge.

Run with `python benchmarks/bench_update.py --runs 5`. A fixture history (our template at 1.0.0,
then 1.1.0 with a changed README and a new file) is turned into a bundle as a wheel would ship it;
a project is made from 1.0.0, committed and edited, then each measured command runs as a fresh
process (imports included) on a project reset to that state. Prints a Markdown table of median and
spread.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scaffold.versions import TEMPLATE_URL  # noqa: E402
from scaffold.versions.bundle import build_bundle  # noqa: E402
from scaffold.versions.gitenv import redirect_variables  # noqa: E402
from scaffold.versions.history import read_history  # noqa: E402
from tests.conftest import answer_set  # noqa: E402
from tests.update.helpers import (  # noqa: E402
    commit_all,
    git,
    make_template_source,
    replace_line,
    set_version,
    write_lines,
)

# Runs the library entry point the command module calls, in a fresh interpreter, against the bundle
# as a wheel ships it (manifest read, no git history walked).
RUNNER = """
import sys
from pathlib import Path
from scaffold.update import check_update, update_project
from scaffold.versions.store import open_packaged
store = open_packaged(Path(sys.argv[1]), None)
mode, project = sys.argv[2], Path(sys.argv[3])
if mode == "check":
    check_update(project, store=store)
else:
    update_project(project, store=store, pretend=mode == "pretend")
"""


def _timed(command: list[str], env: dict[str, str], prepare: Callable[[], None]) -> float:
    prepare()
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def _row(
    label: str, command: list[str], env: dict[str, str], runs: int, prepare: Callable[[], None]
) -> str:
    _timed(command, env, prepare)  # warm caches (files, .pyc, Copier's mirror); not counted
    samples = [_timed(command, env, prepare) for _ in range(runs)]
    median = statistics.median(samples) * 1000
    return f"| {label} | {median:.0f} ms | {min(samples) * 1000:.0f}-{max(samples) * 1000:.0f} ms |"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-update-"))
    try:
        settings = work / "no-settings.yml"
        settings.write_text("{}\n")
        gitconfig = work / "gitconfig"
        gitconfig.write_text("[user]\n\tname = Bench\n\temail = bench@example.invalid\n")
        os.environ.update(
            COPIER_SETTINGS_PATH=str(settings),
            GIT_CONFIG_GLOBAL=str(gitconfig),
            SCAFFOLD_CACHE_DIR=str(work / "cache"),
        )
        source = make_template_source(work / "source", "1.0.0")
        readme = source / "template" / "project" / "README.md.jinja"
        readme.write_text(readme.read_text() + "\nA paragraph added by template 1.1.0.\n")
        write_lines(source / "template" / "project" / "ADDED.md", ["new in 1.1.0"])
        set_version(source / "template", "1.1.0")
        commit_all(source, "template 1.1.0")

        shipped = work / "shipped"
        start = time.perf_counter()
        manifest = build_bundle(read_history(source), shipped)
        build_ms = (time.perf_counter() - start) * 1000

        from scaffold.commands.new import new_project
        from scaffold.versions.store import open_packaged

        store = open_packaged(shipped, None)
        project = new_project(
            work / "acme", answer_set("default"), store=store, vcs_ref="1.0.0"
        ).project_dir
        git(project, "init", "-q")
        commit_all(project, "generated")
        replace_line(project / "UPDATE_MERGED.md", 2, "a partner edit")
        commit_all(project, "partner edit")

        def reset() -> None:
            git(project, "reset", "-q", "--hard", "HEAD")
            git(project, "clean", "-fdq")

        env = dict(os.environ)
        copier_env = {
            **env,
            **redirect_variables(shipped / "template.bundle", work / "copier-cache", env),
        }
        scaffold = [sys.executable, "-c", RUNNER, str(shipped)]
        copier = [str(Path(sys.executable).parent / "copier"), "update", "--trust", "--defaults"]
        rows = [
            _row(
                "scaffold update --check", [*scaffold, "check", str(project)], env, args.runs, reset
            ),
            _row(
                "scaffold update --pretend",
                [*scaffold, "pretend", str(project)],
                env,
                args.runs,
                reset,
            ),
            _row("scaffold update", [*scaffold, "update", str(project)], env, args.runs, reset),
            _row(
                "copier update (same bundle, same merge)",
                [*copier, "--vcs-ref", "1.1.0", str(project)],
                copier_env,
                args.runs,
                reset,
            ),
        ]
        files = sum(1 for p in project.rglob("*") if p.is_file() and ".git" not in p.parts)
        print(f"Project: {files} files; template versions {', '.join(manifest.versions)}")
        print(f"Bundle build from history: {build_ms:.0f} ms ({TEMPLATE_URL} -> bundle)")
        print(f"Runs: {args.runs} (after one warm-up), Python {sys.version.split()[0]}\n")
        print("| command | median | spread |\n|---|---|---|")
        print("\n".join(rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
