"""CustomResourceDefinitions as strict JSON Schemas.

The API server prunes fields a CRD does not declare, so CRD schemas never close their objects and a
misspelt field vanishes without an error. Checking a manifest before it reaches a cluster therefore
needs the schema made strict: every object with ``properties`` gets ``additionalProperties: false``
unless the CRD keeps unknown fields (``x-kubernetes-preserve-unknown-fields``); ``nullable`` lets
``null`` through; ``x-kubernetes-int-or-string`` accepts an integer or a string; an embedded
resource admits apiVersion, kind and metadata. CEL rules (``x-kubernetes-validations``) are not
evaluated.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold.errors import ScaffoldError

Schema = dict[str, Any]
# CRDs run to megabytes: libyaml's safe loader when PyYAML has it.
_FAST_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
GroupVersionKind = tuple[str, str, str]  # (group, version, kind in lower case)

_STRING_MAP: Schema = {"type": "object", "additionalProperties": {"type": "string"}}

# ObjectMeta fields a manifest may carry; the CRD's own schema leaves metadata open.
OBJECT_META: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": _STRING_MAP,
        "annotations": _STRING_MAP,
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
        "uid": {"type": "string"},
        "resourceVersion": {"type": "string"},
        "generation": {"type": "integer"},
        "creationTimestamp": {"type": ["string", "null"]},
        "deletionTimestamp": {"type": ["string", "null"]},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "managedFields": {"type": "array", "items": {"type": "object"}},
        "selfLink": {"type": "string"},
    },
}


def _allow_null(schema: Schema) -> Schema:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    if isinstance(kind, list):
        if "null" not in kind:
            schema["type"] = [*kind, "null"]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def strict_schema(schema: Schema) -> Schema:
    """A strict JSON Schema (draft 2020-12 compatible) from a CRD's ``openAPIV3Schema`` node."""
    out: Schema = {}
    for key, value in schema.items():
        if key in ("properties", "patternProperties", "definitions"):
            out[key] = {name: strict_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = strict_schema(value)
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            out[key] = [strict_schema(sub) for sub in value]
        elif key == "nullable":
            continue
        else:
            out[key] = value
    if schema.get("x-kubernetes-int-or-string") and "anyOf" not in out and "oneOf" not in out:
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("x-kubernetes-embedded-resource"):
        properties = out.setdefault("properties", {})
        properties.setdefault("apiVersion", {"type": "string"})
        properties.setdefault("kind", {"type": "string"})
        properties.setdefault("metadata", {"type": "object"})
    keeps_unknown = schema.get("x-kubernetes-preserve-unknown-fields") is True
    if "properties" in out and "additionalProperties" not in out and not keeps_unknown:
        out["additionalProperties"] = False
    if schema.get("nullable") is True:
        out = _allow_null(out)
    return out


@dataclass(frozen=True)
class SchemaVariant:
    """One schema for a kind: several CRDs may define the same kind (each must accept it)."""

    source: str  # file name, shown in problems
    schema: Schema
    scope: str = "Namespaced"


@dataclass
class SchemaStore:
    """Strict schemas of custom kinds, read from CRDs (and plain JSON Schemas) in a directory."""

    variants: dict[GroupVersionKind, list[SchemaVariant]] = field(default_factory=dict)

    def add(self, gvk: GroupVersionKind, variant: SchemaVariant) -> None:
        self.variants.setdefault(gvk, []).append(variant)

    def lookup(self, api_version: str, kind: str) -> list[SchemaVariant]:
        group, _, version = api_version.rpartition("/")
        return self.variants.get((group, version, kind.lower()), [])

    def versions_of(self, api_version: str, kind: str) -> list[str]:
        """The versions the CRDs define ``kind`` in, for the group of ``api_version``."""
        group = api_version.rpartition("/")[0]
        return sorted(v for g, v, k in self.variants if g == group and k == kind.lower())

    def __len__(self) -> int:
        return len(self.variants)


def crd_variants(crd: dict[str, Any], source: str) -> Iterator[tuple[GroupVersionKind, Schema]]:
    """Each served version of a CRD as (group, version, kind) and its strict schema."""
    spec = crd.get("spec") or {}
    group, kind = spec.get("group", ""), spec.get("names", {}).get("kind", "")
    for version in spec.get("versions") or []:
        if version.get("served") is False:
            continue
        raw = (version.get("schema") or {}).get("openAPIV3Schema")
        if not isinstance(raw, dict):
            raw = (spec.get("validation") or {}).get("openAPIV3Schema")
        if not isinstance(raw, dict):
            raise ScaffoldError(f"--crds: {source}: {kind} {version.get('name')} has no schema")
        strict = strict_schema(raw)
        strict.setdefault("properties", {})["metadata"] = copy.deepcopy(OBJECT_META)
        strict["properties"]["apiVersion"] = {"const": f"{group}/{version['name']}"}
        strict["properties"]["kind"] = {"const": kind}
        strict.setdefault("required", [])
        for required in ("apiVersion", "kind"):
            if required not in strict["required"]:
                strict["required"].append(required)
        yield (group, version["name"], kind.lower()), strict


def _json_schema_gvk(path: Path) -> GroupVersionKind | None:
    """``imagestream_image.openshift.io_v1.json`` names kind, group and version."""
    parts = path.stem.split("_")
    if len(parts) != 3:
        return None
    kind, group, version = parts
    return group, version, kind.lower()


def load_store(directory: Path) -> SchemaStore:
    """Every CRD (``*.yaml``/``*.yml``, any depth) and ``kind_group_version.json`` schema."""
    if not directory.is_dir():
        raise ScaffoldError(f"--crds: {directory} is not a directory")
    store = SchemaStore()
    for path in sorted(directory.rglob("*")):
        if not path.is_file():
            continue
        source = str(path.relative_to(directory))
        if path.suffix in (".yaml", ".yml"):
            try:
                text = path.read_text(encoding="utf-8")
                documents = list(yaml.load_all(text, Loader=_FAST_SAFE_LOADER))
            except (OSError, yaml.YAMLError) as error:
                raise ScaffoldError(f"--crds: cannot read {path}: {error}") from error
            for document in documents:
                if not isinstance(document, dict):
                    continue
                if document.get("kind") != "CustomResourceDefinition":
                    continue
                scope = str((document.get("spec") or {}).get("scope", "Namespaced"))
                for gvk, schema in crd_variants(document, source):
                    store.add(gvk, SchemaVariant(source, schema, scope))
        elif path.suffix == ".json" and (named := _json_schema_gvk(path)):
            try:
                schema = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise ScaffoldError(f"--crds: cannot read {path}: {error}") from error
            store.add(named, SchemaVariant(source, schema))
    if not store:
        raise ScaffoldError(f"--crds: no CustomResourceDefinition found under {directory}")
    return store
