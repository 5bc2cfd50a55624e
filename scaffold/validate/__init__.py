"""`scaffold validate`: manifests checked against strict CRD schemas, Kubernetes' own schemas,
KMM's admission rules and each other, offline."""

from __future__ import annotations

from scaffold.validate.crd_schema import SchemaStore, load_store, strict_schema
from scaffold.validate.problems import Problem
from scaffold.validate.runner import Report, kube_versions_for, validate_paths

__all__ = [
    "Problem",
    "Report",
    "SchemaStore",
    "kube_versions_for",
    "load_store",
    "strict_schema",
    "validate_paths",
]
