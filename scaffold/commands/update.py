"""`scaffold update [DIR]`: merge a newer template version into a generated project."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from scaffold.errors import EXIT_CHECK_FAILED, EXIT_OK
from scaffold.output import Output

if TYPE_CHECKING:
    from scaffold.update import UpdateResult

# Left conflicts, or (--check) a newer template version exists: "a check found something to do".
EXIT_CONFLICTS = EXIT_CHECK_FAILED
EXIT_UPDATE_AVAILABLE = EXIT_CHECK_FAILED


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "update",
        help="merge a newer template version into a project (three-way, keeps your edits)",
        description=(
            "Merge the changes between the project's template version and a newer one into the "
            "project, keeping your edits. The project must be committed in git. Exit 2 when "
            "conflicts are left (or, with --check, when an update is available)."
        ),
    )
    parser.add_argument("dir", nargs="?", default=".", type=Path, help="the project")
    parser.add_argument(
        "--vcs-ref", metavar="VERSION", help="template version to update to (default: the latest)"
    )
    parser.add_argument(
        "--pretend",
        action="store_true",
        help="show what would change (runs the update on a scratch clone)",
    )
    parser.add_argument(
        "--conflict",
        choices=("inline", "rej"),
        default="inline",
        help="leave conflicts as markers in the files (inline, default) or as .rej files",
    )
    parser.add_argument(
        "--data",
        "-d",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change an answer while updating (repeatable)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only report, as JSON, whether a newer template version exists (exit 2 if so)",
    )
    parser.add_argument(
        "--answers-file", default=".copier-answers.yml", metavar="FILE", help=argparse.SUPPRESS
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print only errors and results")
    parser.set_defaults(command=run)


def report(result: UpdateResult, out: Output) -> None:
    project = result.project
    if result.up_to_date:
        out.line(f"{project}: already at template {result.new}; nothing to do")
        return
    verb = "Would update" if result.pretend else "Updated"
    out.line(f"{verb} {project} from template {result.old} to {result.new}")
    for status, path in result.changes:
        out.line(f"  {status.strip() or '?':>2} {path}")
    if result.conflicts:
        out.result(f"Conflicts ({len(result.conflicts)}), to resolve by hand:")
        for path in result.conflicts:
            out.result(f"  {path}")
        if not result.pretend:
            out.result(
                "Edit each file (<<<<<<< markers, or the .rej file), `git add` it, then commit."
            )


def run(args: argparse.Namespace, out: Output) -> int:
    from scaffold.answers import parse_data_args
    from scaffold.update import check_update, update_project

    if args.check:
        check = check_update(args.dir, answers_file=args.answers_file)
        out.result(check.to_json())
        return EXIT_UPDATE_AVAILABLE if check.update_available else EXIT_OK
    result = update_project(
        args.dir,
        vcs_ref=args.vcs_ref,
        data=dict(parse_data_args(args.data)),
        conflict=args.conflict,
        pretend=args.pretend,
        answers_file=args.answers_file,
        quiet=args.quiet,
    )
    report(result, out)
    return EXIT_CONFLICTS if result.conflicts else EXIT_OK
