"""Read every YAML document of a manifest tree, refusing what YAML tolerates but Kubernetes should
not be given: duplicate keys (a missing ``---`` merges two objects into one, and the last wins)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scaffold.validate.problems import Problem

YAML_SUFFIXES = (".yaml", ".yml")
# Configuration of the tools that read manifests, not objects sent to the API server.
TOOL_API_GROUPS = ("kustomize.config.k8s.io/", "config.kubernetes.io/")


class DuplicateKeyError(yaml.YAMLError):
    """A mapping has the same key twice."""


class StrictLoader(yaml.SafeLoader):
    """The safe loader, with duplicate mapping keys as an error."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: the base constructor reports it
            continue
        if first is not None:
            raise DuplicateKeyError(
                f"duplicate key {key!r} at line {key_node.start_mark.line + 1} "
                f"(first at line {first.line + 1})"
            )
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_all(text: str) -> list[Any]:
    """Every document of ``text``; raises ``yaml.YAMLError`` (also on duplicate keys)."""
    return list(yaml.load_all(text, Loader=StrictLoader))


@dataclass(frozen=True)
class Document:
    """One Kubernetes object read from ``file`` (``index`` counts from 1)."""

    file: Path
    index: int
    data: dict[str, Any]

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion", ""))

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def name(self) -> str:
        metadata = self.data.get("metadata")
        return str(metadata.get("name", "")) if isinstance(metadata, dict) else ""

    @property
    def namespace(self) -> str:
        metadata = self.data.get("metadata")
        return str(metadata.get("namespace", "")) if isinstance(metadata, dict) else ""

    def problem(self, rule: str, message: str, path: tuple[str | int, ...] = ()) -> Problem:
        return Problem(self.file, self.index, rule, message, path, self.kind, self.name)


def manifest_files(paths: list[Path]) -> Iterator[Path]:
    """YAML files under ``paths`` (files are taken as given), skipping hidden directories."""
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path).parts
                hidden = any(part.startswith(".") for part in relative[:-1])
                if found.is_file() and found.suffix in YAML_SUFFIXES and not hidden:
                    yield found
        else:
            yield path


def read_documents(file: Path) -> tuple[list[Document], list[Problem]]:
    """The Kubernetes objects of ``file``; documents that are not objects are skipped, and
    a document that looks like a half-written object is a problem."""
    try:
        loaded = load_all(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(file, 0, "readable", str(error))]
    except yaml.YAMLError as error:
        rule = "no-duplicate-keys" if isinstance(error, DuplicateKeyError) else "yaml-syntax"
        text = " ".join(str(error).split())
        return [], [Problem(file, 0, rule, text)]
    documents: list[Document] = []
    problems: list[Problem] = []
    for index, data in enumerate(loaded, start=1):
        if data is None:
            continue
        if not isinstance(data, dict):
            continue
        has_api, has_kind = "apiVersion" in data, "kind" in data
        if not has_api and not has_kind:
            if "metadata" in data and "spec" in data:
                problems.append(
                    Problem(file, index, "object-type", "object without apiVersion and kind")
                )
            continue
        if not (has_api and has_kind):
            missing = "kind" if has_api else "apiVersion"
            problems.append(Problem(file, index, "object-type", f"object without {missing}"))
            continue
        if str(data["apiVersion"]).startswith(TOOL_API_GROUPS):
            continue
        documents.append(Document(file, index, data))
    return documents, problems
