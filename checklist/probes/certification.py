"""Probes about Red Hat certification: preflight's static container checks, and saved results.

Preflight itself needs the built image; the static probe checks the Dockerfile facts those checks
depend on, so a partner learns of a missing label before building and submitting.
"""

from __future__ import annotations

import json

from checklist.model import ProbeResult
from checklist.probes.base import Option, Options, Probe
from checklist.probes.containers import final_stage_problems
from checklist.probes.dockerfile import stages
from checklist.project import Project, as_patterns

# Preflight's container policy checks we can read from a Dockerfile, with the facts each needs.
REQUIRED_LABELS = ["name", "vendor", "version", "release", "summary", "description"]
STATIC_CHECKS: dict[str, dict[str, object]] = {
    "HasLicense": {"copies_to": ["/licenses"]},
    "HasRequiredLabel": {"labels": REQUIRED_LABELS},
    "BasedOnUbi": {"base_image": r"(^|/)ubi\d*(/|-|:|$)|ubi-(minimal|micro|init)"},
    "RunAsNonRoot": {"non_root": True},
}
_NO_FACTS: dict[str, object] = {
    "base_image": "",
    "builder_image": "",
    "copies_from_builder": False,
    "copies_to": [],
    "labels": [],
    "instructions": [],
    "non_root": False,
}


def preflight_static(project: Project, options: Options) -> ProbeResult:
    """Every Dockerfile matching ``paths`` would pass the preflight container ``checks`` that can
    be judged statically: HasLicense (copies into /licenses), HasRequiredLabel (name, vendor,
    version, release, summary, description), BasedOnUbi, RunAsNonRoot.
    """
    unknown = [c for c in options["checks"] if c not in STATIC_CHECKS]
    if unknown:
        return ProbeResult.fail(f"unknown checks {', '.join(unknown)}")
    files = project.glob(options["paths"])
    if not files:
        return ProbeResult.fail(f"no Dockerfile matches {', '.join(as_patterns(options['paths']))}")
    failures = []
    for rel in files:
        parsed = stages(project.text(rel))
        for check in options["checks"]:
            problems = final_stage_problems(parsed, {**_NO_FACTS, **STATIC_CHECKS[check]})
            if problems:
                failures.append(f"{rel} {check}: {problems[0]}")
    if failures:
        return ProbeResult.fail("; ".join(failures), *files)
    return ProbeResult.ok(f"{', '.join(options['checks'])} pass for {', '.join(files)}", *files)


def preflight_results(project: Project, options: Options) -> ProbeResult:
    """Saved preflight result files (``preflight check ... `` JSON output) matching ``paths``
    exist and every one says ``passed: true``.
    """
    files = project.glob(options["paths"])
    if not files:
        return ProbeResult.fail(
            f"no saved preflight results match {', '.join(as_patterns(options['paths']))}"
        )
    for rel in files:
        try:
            data = json.loads(project.text(rel))
        except json.JSONDecodeError as error:
            return ProbeResult.fail(f"{rel} line {error.lineno}: not valid JSON", rel)
        if not isinstance(data, dict) or data.get("passed") is not True:
            failed = data.get("results", {}).get("failed", []) if isinstance(data, dict) else []
            names = ", ".join(str(f.get("name", "?")) for f in failed if isinstance(f, dict))
            return ProbeResult.fail(
                f"{rel}: preflight did not pass ({names or 'passed is not true'})", rel
            )
    return ProbeResult.ok(f"preflight passed in {', '.join(files)}", *files)


PROBES = (
    Probe(
        "preflight_static",
        preflight_static,
        (
            Option("paths", "globs", "Dockerfiles of the images to certify", None, True),
            Option(
                "checks",
                "strings",
                f"some of {', '.join(STATIC_CHECKS)}",
                ["HasLicense", "HasRequiredLabel", "BasedOnUbi"],
            ),
        ),
    ),
    Probe(
        "preflight_results",
        preflight_results,
        (Option("paths", "globs", "saved result files", "certification/**/results*.json"),),
    ),
)
