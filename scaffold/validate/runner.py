"""Check a tree of manifests: every object against its schema, KMM's rules, and cross-references."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold.errors import ScaffoldError
from scaffold.validate.builtin import NoSchemaError, validate_builtin
from scaffold.validate.crd_schema import SchemaStore, SchemaVariant
from scaffold.validate.documents import Document, manifest_files, read_documents
from scaffold.validate.kmm import module_problems
from scaffold.validate.problems import Problem
from scaffold.validate.references import reference_problems

ANSWERS_FILE = ".copier-answers.yml"
OPENSHIFT_TO_KUBE_MINOR_OFFSET = 13
_OPENSHIFT_RANGE = re.compile(r"^4\.(\d+)-4\.(\d+)$")


@dataclass
class Report:
    """What ``validate`` looked at and found."""

    files: int = 0
    objects: int = 0
    problems: list[Problem] = field(default_factory=list)


def kube_versions_for(path: Path) -> list[str]:
    """Kubernetes minors of both ends of ``openshift_versions`` in the nearest answers file."""
    start = path.resolve()
    for directory in [start, *start.parents]:
        answers = directory / ANSWERS_FILE
        if answers.is_file():
            data = yaml.safe_load(answers.read_text(encoding="utf-8")) or {}
            match = _OPENSHIFT_RANGE.match(str(data.get("openshift_versions", "")))
            if match:
                low, high = (int(n) + OPENSHIFT_TO_KUBE_MINOR_OFFSET for n in match.groups())
                return sorted({f"1.{low}", f"1.{high}"}, key=lambda v: int(v.split(".")[1]))
            break
    return []


def _schema_problems(document: Document, variant: SchemaVariant) -> list[Problem]:
    try:
        import jsonschema  # type: ignore[import-untyped]
    except ImportError as error:
        raise ScaffoldError("custom resources need jsonschema: pip install jsonschema") from error

    cls: Any = jsonschema.validators.validator_for(
        variant.schema, default=jsonschema.Draft202012Validator
    )
    validator = cls(variant.schema)
    errors = sorted(validator.iter_errors(document.data), key=lambda e: list(e.absolute_path))
    return [
        document.problem(f"schema:{variant.source}", error.message, tuple(error.absolute_path))
        for error in errors
    ]


def _builtin_problems(document: Document, kube_versions: list[str]) -> list[Problem]:
    found: dict[tuple[tuple[str | int, ...], str], list[str]] = {}
    for version in kube_versions:
        try:
            error = validate_builtin(document.data, version)
        except NoSchemaError as missing:
            rule = f"kubernetes-{version}:no-schema"
            message = f"{missing}: pass --crds DIR with its CRD"
            return [document.problem(rule, message)]
        if error is not None:
            found.setdefault(error, []).append(version)
    return [
        document.problem(f"kubernetes-{','.join(versions)}", message, path)
        for (path, message), versions in found.items()
    ]


def check_document(
    document: Document, store: SchemaStore | None, kube_versions: list[str]
) -> list[Problem]:
    """Schema and admission problems of one object."""
    variants = store.lookup(document.api_version, document.kind) if store else []
    problems: list[Problem] = []
    if variants:
        for variant in variants:
            problems.extend(_schema_problems(document, variant))
    elif store and (versions := store.versions_of(document.api_version, document.kind)):
        message = f"the CRDs define {document.kind} in {', '.join(versions)} only"
        problems.append(document.problem("crd-version", message, ("apiVersion",)))
    else:
        problems.extend(_builtin_problems(document, kube_versions))
    if document.kind == "Module" and document.api_version.startswith("kmm.sigs.x-k8s.io/"):
        problems.extend(module_problems(document))
    return problems


def validate_paths(
    paths: Iterable[Path], store: SchemaStore | None, kube_versions: list[str]
) -> Report:
    """Check every Kubernetes object in the YAML files under ``paths``."""
    if not kube_versions:
        raise ScaffoldError("no Kubernetes version to check built-in kinds against")
    report = Report()
    documents: list[Document] = []
    for file in manifest_files(list(paths)):
        report.files += 1
        found, problems = read_documents(file)
        report.problems.extend(problems)
        documents.extend(found)
    report.objects = len(documents)
    for document in documents:
        report.problems.extend(check_document(document, store, kube_versions))
    report.problems.extend(reference_problems(documents))
    return report
