"""Built-in Kubernetes kinds, checked by kubernetes-validate in strict mode (unknown fields fail).

kubernetes-validate is an optional dependency: it is imported only when a built-in kind is checked,
and its absence is one clear error.
"""

from __future__ import annotations

from typing import Any

from scaffold.errors import ScaffoldError

PathParts = tuple[str | int, ...]


class NoSchemaError(Exception):
    """kubernetes-validate has no schema for this apiVersion and kind."""


def _module() -> Any:
    try:
        import kubernetes_validate  # type: ignore[import-untyped]
    except ImportError as error:
        raise ScaffoldError(
            "built-in kinds need kubernetes-validate: pip install kubernetes-validate"
        ) from error
    return kubernetes_validate


def supported_range() -> tuple[str, str]:
    """The oldest and newest Kubernetes minor the installed kubernetes-validate knows."""
    utils = _module().utils
    versions = utils.all_versions()
    return utils.major_minor(versions[0]), utils.major_minor(versions[-1])


def validate_builtin(data: dict[str, Any], kube_version: str) -> tuple[PathParts, str] | None:
    """None when ``data`` is valid for Kubernetes ``kube_version`` (``1.29``), else the path and
    message of the first error. Raises NoSchemaError for a kind it does not know."""
    module = _module()
    utils = module.utils
    try:
        utils.validate(data, kube_version, strict=True)
    except utils.SchemaNotFoundError as error:
        raise NoSchemaError(error.message) from error
    except utils.VersionNotSupportedError as error:
        raise ScaffoldError(f"--kube-version: {error.message}") from error
    except utils.ValidationError as error:
        return tuple(error.absolute_path), str(error.message)
    return None
