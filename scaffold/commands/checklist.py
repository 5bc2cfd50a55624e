"""`scaffold checklist ...`: report, explain and mark the enablement checklist of a project.

A nested command group: ``add_parser`` builds the sub-commands, ``run`` dispatches to the function
named after each. The checklist package is imported inside those functions, so `scaffold --help`
does not pay for it.
"""

from __future__ import annotations

import argparse
import datetime
import getpass
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from scaffold.errors import EXIT_CHECK_FAILED, EXIT_OK, ScaffoldError
from scaffold.output import Output

if TYPE_CHECKING:
    from checklist.model import Report

FORMATS = ("table", "markdown", "json", "junit", "html", "badge")
FAIL_ON = ("required", "any", "none")
_URL = re.compile(r"^(https?://\S+|mailto:\S+@\S+)$")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "checklist",
        help="report, explain and mark the enablement checklist",
        description="The enablement checklist of a generated project: automatic probes plus "
        "manual marks kept in checklist.yaml. Exit codes: 0 ok, 1 user error, 2 check failed.",
    )
    parser.set_defaults(command=run)
    actions = parser.add_subparsers(dest="checklist_action", metavar="ACTION", required=True)

    status = actions.add_parser("status", help="report every item's status")
    _project_arg(status)
    status.add_argument(
        "--format", "-f", choices=FORMATS, default="table", help="report format (default: table)"
    )
    status.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="none",
        help="exit 2 when required items (or any items) are not done (default: none)",
    )
    status.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report here")
    status.add_argument("--badge", type=Path, metavar="FILE", help="also write an SVG badge")
    status.add_argument("--ascii", action="store_true", help="table without block characters")
    status.set_defaults(checklist_function=status_command)

    explain = actions.add_parser("explain", help="what an item needs and why it is not done")
    explain.add_argument("item", metavar="ITEM")
    _project_arg(explain)
    explain.set_defaults(checklist_function=explain_command)

    mark = actions.add_parser("mark", help="mark a manual item done, with evidence")
    mark.add_argument("item", metavar="ITEM")
    _project_arg(mark)
    mark.add_argument("--evidence", required=True, help="a URL, or a path in the project")
    mark.add_argument("--by", help="who (default: git user.name, else the login name)")
    mark.set_defaults(checklist_function=mark_command)

    not_applicable = actions.add_parser("na", help="mark an item not applicable, with a reason")
    not_applicable.add_argument("item", metavar="ITEM")
    _project_arg(not_applicable)
    not_applicable.add_argument("--reason", required=True, help="why it does not apply")
    not_applicable.add_argument("--by", help="who (default: git user.name, else the login name)")
    not_applicable.set_defaults(checklist_function=na_command)

    reset = actions.add_parser("reset", help="remove an item's manual entry")
    reset.add_argument("item", metavar="ITEM")
    _project_arg(reset)
    reset.set_defaults(checklist_function=reset_command)

    listing = actions.add_parser("list", help="list the catalog's items")
    listing.set_defaults(checklist_function=list_command)

    probes = actions.add_parser("probes", help="document every probe and its options")
    probes.set_defaults(checklist_function=probes_command)


def _project_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "project",
        nargs="?",
        default=Path(),
        type=Path,
        metavar="DIR",
        help="project (default .)",
    )


def _evaluate(project: Path) -> Report:
    from checklist.engine import evaluate

    return evaluate(project)


def status_command(args: argparse.Namespace, out: Output) -> int:
    from checklist.engine import failures
    from checklist.reporters import badge, render, table

    report = _evaluate(args.project)
    if args.format == "table":
        encoding = (getattr(out.stream, "encoding", None) or "").lower()
        width = shutil.get_terminal_size((100, 24)).columns
        text = table.render(report, width=width, ascii_only=args.ascii or "utf" not in encoding)
    else:
        text = render(report, args.format)
    if args.output:
        _write(args.output, text)
        out.line(f"wrote {args.output}")
    else:
        out.result(text)
    if args.badge:
        _write(args.badge, badge.render(report))
        out.line(f"wrote {args.badge}")
    failing = failures(report, args.fail_on)
    if failing:
        # stderr: stdout may be a JSON or JUnit document that must stay parseable.
        what = "required items" if args.fail_on == "required" else "items"
        ids = ", ".join(r.item.id for r in failing[:5]) + (" ..." if len(failing) > 5 else "")
        print(f"scaffold: checklist: {len(failing)} {what} not done: {ids}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    except OSError as error:
        raise ScaffoldError(f"{path}: cannot write: {error.strerror}") from error


def explain_command(args: argparse.Namespace, out: Output) -> int:
    from checklist.catalog import load_catalog
    from checklist.engine import evaluate
    from checklist.reporters import explain

    catalog = load_catalog()
    catalog.item(args.item)  # an unknown id fails here, with a hint
    report = evaluate(args.project, catalog, only=[args.item])
    out.result(explain.render_item(report.result(args.item)))
    return EXIT_OK


def _who(given: str | None, project: Path) -> str:
    """``--by``, else the project repository's git user.name, else the login name."""
    if given:
        return given
    try:
        name = subprocess.run(
            ["git", "-C", str(project), "config", "user.name"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return os.environ.get("USER", "unknown")


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _check_item_and_project(args: argparse.Namespace) -> bool:
    """Fail early on an unknown item or a non-project folder; True if the item is automatic."""
    from checklist.catalog import load_catalog
    from checklist.project import Project

    Project.open(args.project)
    return load_catalog().item(args.item).automatic


def _check_evidence(project: Path, evidence: str) -> None:
    if _URL.match(evidence):
        return
    path = Path(evidence)
    if not (path if path.is_absolute() else project / path).exists():
        raise ScaffoldError(
            f"--evidence: {evidence!r} is neither a URL (https://..., mailto:...) nor a path "
            f"that exists in {project}"
        )


def mark_command(args: argparse.Namespace, out: Output) -> int:
    from checklist.model import Mark, Status
    from checklist.state import STATE_FILE, set_mark

    automatic = _check_item_and_project(args)
    _check_evidence(args.project, args.evidence)
    set_mark(
        args.project,
        Mark(
            args.item,
            Status.DONE,
            evidence=args.evidence,
            by=_who(args.by, args.project),
            at=_now(),
        ),
    )
    out.line(f"{args.item}: marked done in {args.project / STATE_FILE}")
    if automatic:
        out.line("  note: this item is also checked automatically; a failing probe still wins")
    return EXIT_OK


def na_command(args: argparse.Namespace, out: Output) -> int:
    from checklist.model import Mark, Status
    from checklist.state import STATE_FILE, set_mark

    _check_item_and_project(args)
    if not args.reason.strip():
        raise ScaffoldError("--reason: say why the item does not apply")
    set_mark(
        args.project,
        Mark(
            args.item,
            Status.NOT_APPLICABLE,
            reason=args.reason,
            by=_who(args.by, args.project),
            at=_now(),
        ),
    )
    out.line(f"{args.item}: marked n/a in {args.project / STATE_FILE}")
    return EXIT_OK


def reset_command(args: argparse.Namespace, out: Output) -> int:
    from checklist.state import STATE_FILE, remove_mark

    _check_item_and_project(args)
    if remove_mark(args.project, args.item):
        out.line(f"{args.item}: entry removed from {args.project / STATE_FILE}")
    else:
        out.line(f"{args.item}: no entry in {args.project / STATE_FILE}; nothing to do")
    return EXIT_OK


def list_command(args: argparse.Namespace, out: Output) -> int:
    from checklist.catalog import load_catalog

    catalog = load_catalog()
    for section in catalog.sections:
        out.result(f"{section.title}")
        for item in catalog.in_section(section):
            how = "auto  " if item.automatic else "manual"
            out.result(f"  {item.id:<40} {item.level.value:<11} {how} {item.title}")
    return EXIT_OK


def probes_command(args: argparse.Namespace, out: Output) -> int:
    from checklist.probes import REGISTRY

    for probe in REGISTRY.values():
        out.result(f"{probe.name}")
        for line in probe.doc.splitlines():
            out.result(f"    {line.strip()}")
        for option in probe.options:
            need = "required" if option.required else f"default {option.default!r}"
            out.result(f"    - {option.name} ({option.type}, {need}): {option.help}")
        out.result("")
    return EXIT_OK


def project_root(path: Path) -> Path:
    """``path``, or the nearest parent holding the answers file, as git finds its repository."""
    from checklist.project import ANSWERS_FILE

    if (path / ANSWERS_FILE).is_file():
        return path
    for parent in path.resolve().parents:
        if (parent / ANSWERS_FILE).is_file():
            return parent
    return path  # not in a project: evaluating it reports that


def run(args: argparse.Namespace, out: Output) -> int:
    from checklist.errors import ChecklistError

    function: Callable[[argparse.Namespace, Output], int] = args.checklist_function
    if getattr(args, "project", None) is not None:
        args.project = project_root(args.project)
    try:
        return function(args, out)
    except ChecklistError as error:
        raise ScaffoldError(str(error)) from error
