"""Probes about container images, read from their Dockerfiles (no image is built or pulled)."""

from __future__ import annotations

import re

from checklist.model import ProbeResult
from checklist.probes.base import Option, Options, Probe
from checklist.probes.dockerfile import Stage, stages
from checklist.project import Project, as_patterns


def final_stage_problems(stages_: list[Stage], options: Options) -> list[str]:
    """Every way the last stage misses the facts ``options`` ask for."""
    if not stages_:
        return ["has no FROM"]
    final, builders = stages_[-1], stages_[:-1]
    problems: list[str] = []
    if options["base_image"] and not _image_matches(final, options["base_image"]):
        problems.append(
            f"final stage is FROM {final.resolved_image}, not /{options['base_image']}/"
        )
    if options["builder_image"] and not any(
        _image_matches(s, options["builder_image"]) for s in builders
    ):
        seen = ", ".join(s.resolved_image for s in builders) or "no builder stage"
        problems.append(f"no builder stage FROM /{options['builder_image']}/ ({seen})")
    copies = final.copy_sources_and_targets()
    if options["copies_from_builder"]:
        names = {s.name for s in builders}
        if not any(origin in names for _, _, origin in copies):
            problems.append("final stage copies nothing from a builder stage (COPY --from=)")
    for target in options["copies_to"]:
        if not any(destination.startswith(target) for _, destination, _ in copies):
            problems.append(f"final stage copies nothing into {target}")
    labels = final.labels
    missing = [label for label in options["labels"] if not labels.get(label)]
    if missing:
        problems.append(f"final stage lacks LABEL {', '.join(missing)}")
    for wanted in options["instructions"]:
        alternatives = wanted.upper().split("|")
        if not any(final.all(a) for a in alternatives):
            problems.append(f"final stage has no {wanted.upper()}")
    if options["non_root"] and (final.user is None or final.user.split(":")[0] in {"root", "0"}):
        problems.append(f"final stage runs as {final.user or 'root (no USER)'}")
    return problems


def _image_matches(stage: Stage, pattern: str) -> bool:
    regex = re.compile(pattern, re.IGNORECASE)
    return bool(regex.search(stage.resolved_image) or regex.search(stage.image))


def dockerfile_final_stage(project: Project, options: Options) -> ProbeResult:
    """Every Dockerfile matching ``paths`` has a final (shipped) stage with the asked-for facts:
    ``base_image`` (regex on its FROM, ARG defaults resolved), a builder stage FROM
    ``builder_image``, ``copies_from_builder``, COPY/ADD into each of ``copies_to``, each LABEL of
    ``labels``, each instruction of ``instructions`` (``CMD|ENTRYPOINT`` for either), ``non_root``.
    """
    files = project.glob(options["paths"])
    if not files:
        return ProbeResult.fail(f"no Dockerfile matches {', '.join(as_patterns(options['paths']))}")
    for rel in files:
        problems = final_stage_problems(stages(project.text(rel)), options)
        if problems:
            return ProbeResult.fail(f"{rel}: {'; '.join(problems)}", rel)
    return ProbeResult.ok(f"{', '.join(files)}: final stage as expected", *files)


PROBES = (
    Probe(
        "dockerfile_final_stage",
        dockerfile_final_stage,
        (
            Option("paths", "globs", "Dockerfiles to read", "**/{Dockerfile,Containerfile}"),
            Option("base_image", "str", "regex the final FROM image must match", ""),
            Option("builder_image", "str", "regex an earlier stage's FROM must match", ""),
            Option("copies_from_builder", "bool", "final stage COPY --from= a builder", False),
            Option("copies_to", "strings", "paths the final stage must COPY/ADD into", []),
            Option("labels", "strings", "LABEL keys the final stage must set", []),
            Option("instructions", "strings", "instructions the final stage must have", []),
            Option("non_root", "bool", "the final USER must not be root", False),
        ),
    ),
)
