"""Probes about YAML and JSON documents: a Kubernetes kind present, with fields holding values.

Field paths are dotted (``spec.selector``); a key holding dots is quoted in brackets
(``metadata.labels["app.kubernetes.io/name"]``). A path crossing a list looks into every element,
so ``spec.groups.rules.alert`` reaches every alert of every group.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from checklist.errors import ChecklistError
from checklist.model import ProbeResult
from checklist.probes.base import Option, Options, Probe
from checklist.project import Document, Project, as_patterns

_PATH_TOKEN = re.compile(r'\["([^"]+)"\]|([^.\[\]]+)')


def path_keys(path: str) -> list[str]:
    return [quoted or plain for quoted, plain in _PATH_TOKEN.findall(path)]


def field_values(data: Any, path: str, *, flatten: bool = True) -> list[Any]:
    """Every value at ``path`` in ``data``, fanning out over lists; lists at the end flatten."""
    values = [data]
    for key in path_keys(path):
        nxt: list[Any] = []
        for value in _flatten(values):
            if isinstance(value, dict) and key in value:
                nxt.append(value[key])
        values = nxt
    return list(_flatten(values)) if flatten else values


def _flatten(values: list[Any]) -> Iterator[Any]:
    for value in values:
        if isinstance(value, list):
            yield from value
        else:
            yield value


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _same(found: Any, expected: Any, ignore_case: bool) -> bool:
    if isinstance(found, (dict, list)):
        return False
    left, right = str(found), str(expected)
    return left.casefold() == right.casefold() if ignore_case else left == right


def document_problem(document: Document, options: Options) -> str | None:
    """Why ``document`` does not satisfy ``has_fields`` and ``field_values``, or None if it does."""
    for path in options["has_fields"]:
        if not any(_present(v) for v in field_values(document.data, path, flatten=False)):
            return f"has no {path}"
    for path, expected in options["field_values"].items():
        found = field_values(document.data, path)
        wanted = expected if isinstance(expected, list) else [expected]
        for one in wanted:
            if not any(_same(f, one, options["ignore_case"]) for f in found):
                shown = ", ".join(repr(f) for f in found[:4]) if found else "nothing"
                return f"{path} is {shown}, expected {one!r}"
    return None


def _api_matches(document: Document, api_version: str) -> bool:
    actual = str(document.data.get("apiVersion", ""))
    return actual == api_version or actual.split("/")[0] == api_version


def _describe(document: Document) -> str:
    data = document.data if isinstance(document.data, dict) else {}
    name = (
        (data.get("metadata") or {}).get("name") if isinstance(data.get("metadata"), dict) else ""
    )
    kind = data.get("kind", "document")
    return f"{document.path}: {kind} {name!r}" if name else f"{document.path}: {kind}"


def _match(project: Project, options: Options, kind: str | None) -> ProbeResult:
    files = project.glob(options["paths"], options["exclude"])
    where = ", ".join(as_patterns(options["paths"]))
    api_version = options.get("api_version", "")
    wanted = f"{kind} ({api_version})" if kind and api_version else kind
    candidates: list[Document] = []
    for rel in files:
        try:
            documents = project.documents(rel)
        except ChecklistError as error:
            return ProbeResult.fail(str(error), rel)
        for document in documents:
            if kind is not None:
                if not isinstance(document.data, dict) or document.data.get("kind") != kind:
                    continue
                if api_version and not _api_matches(document, api_version):
                    continue
            candidates.append(document)
    if not candidates:
        what = wanted or "document"
        return ProbeResult.fail(f"no {what} in {where}" if files else f"no file matches {where}")
    good, problems = [], []
    for document in candidates:
        problem = document_problem(document, options)
        if problem is None:
            good.append(document)
        else:
            problems.append(f"{_describe(document)} {problem}")
    if len(good) < options["min_count"]:
        detail = "; ".join(problems[:2]) if problems else f"found {len(good)}"
        return ProbeResult.fail(
            f"need {options['min_count']} matching {wanted or 'document'}: {detail}",
            *sorted({d.path for d in candidates}),
        )
    paths = sorted({d.path for d in good})
    return ProbeResult.ok(f"{', '.join(_describe(d) for d in good[:3])}", *paths)


def yaml_kind(project: Project, options: Options) -> ProbeResult:
    """A YAML document of ``kind`` (and ``api_version``: group/version or just the group) exists
    in ``paths``, with every field of ``has_fields`` non-empty and every ``field_values`` path
    holding its value (a list value: every element must be found). ``${answer}`` names an answer.
    """
    return _match(project, options, options["kind"])


def document_fields(project: Project, options: Options) -> ProbeResult:
    """A YAML or JSON document in ``paths`` (of any kind) has ``has_fields`` and ``field_values``,
    as for ``yaml_kind``: for files without a ``kind``, such as Grafana dashboard JSON.
    """
    return _match(project, options, None)


_COMMON = (
    Option("exclude", "strings", "globs of files to leave out", []),
    Option("has_fields", "strings", "dotted paths that must hold a non-empty value", []),
    Option("field_values", "mapping", "dotted path -> expected value (or list of values)", {}),
    Option("ignore_case", "bool", "compare values case-insensitively (PCI ids)", False),
    Option("min_count", "int", "how many matching documents are needed", 1),
)

PROBES = (
    Probe(
        "yaml_kind",
        yaml_kind,
        (
            Option("paths", "globs", "files to search", "**/*.{yaml,yml}"),
            Option("kind", "str", "the document's kind", None, True),
            Option("api_version", "str", "apiVersion, or only its group", ""),
            *_COMMON,
        ),
    ),
    Probe(
        "document_fields",
        document_fields,
        (
            Option("paths", "globs", "files to search", "**/*.json"),
            *_COMMON,
        ),
    ),
)
