"""`scaffold validate [PATH...] --crds DIR`: check manifests after editing them, offline.

Every Kubernetes object in the YAML files under PATH is checked: custom resources against the CRDs
in DIR made strict (unknown fields are errors), built-in kinds with kubernetes-validate in strict
mode for each Kubernetes version, Modules against KMM's admission rules, and the objects against
each other (the Module selects the label the NodeFeatureRule sets, ...). One line per problem;
exit 2 when there is any.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from scaffold.errors import EXIT_CHECK_FAILED, ScaffoldError
from scaffold.output import Output

_KUBE_VERSION = re.compile(r"^v?1\.\d{1,2}$")


def _kube_version(text: str) -> str:
    if not _KUBE_VERSION.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a Kubernetes minor such as 1.29")
    return text.removeprefix("v")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check manifests against strict CRD and Kubernetes schemas and KMM's rules",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="YAML files or directories to check (default: the current directory)",
    )
    parser.add_argument(
        "--crds",
        type=Path,
        metavar="DIR",
        help="directory of CustomResourceDefinitions (any depth) for the custom resources",
    )
    parser.add_argument(
        "--kube-version",
        action="append",
        type=_kube_version,
        default=[],
        metavar="1.N",
        help="Kubernetes minor to check built-in kinds against (repeatable; default: both ends "
        "of openshift_versions in the .copier-answers.yml above PATH or the current directory)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the problems")
    parser.set_defaults(command=run)


def run(args: argparse.Namespace, out: Output) -> int:
    from scaffold.validate import kube_versions_for, load_store, validate_paths

    paths: list[Path] = args.paths or [Path()]
    for path in paths:
        if not path.exists():
            raise ScaffoldError(f"PATH: {path} does not exist")
    versions: list[str] = (
        args.kube_version or kube_versions_for(paths[0]) or kube_versions_for(Path.cwd())
    )
    if not versions:
        raise ScaffoldError(
            "--kube-version: none given and no openshift_versions in a .copier-answers.yml "
            "above PATH or the current directory; pass e.g. --kube-version 1.29"
        )
    store = load_store(args.crds) if args.crds else None
    report = validate_paths(paths, store, versions)
    base = Path.cwd()
    for problem in report.problems:
        out.result(problem.line(base))
    summary = (
        f"{len(report.problems)} problem(s) in {report.objects} object(s) from "
        f"{report.files} file(s); Kubernetes {', '.join(versions)}"
    )
    out.line(summary if report.problems else f"ok: {summary}")
    return EXIT_CHECK_FAILED if report.problems else 0
