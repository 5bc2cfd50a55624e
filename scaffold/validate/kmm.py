"""KMM's admission rules for a Module, checked offline.

The KMM operator's validating webhook refuses a Module the CRD schema accepts when: its name and
namespace together exceed 40 characters; a kernel mapping sets both or neither of ``regexp`` and
``literal``; a regexp does not compile (Go RE2 syntax); an image has neither tag nor digest;
modprobe sets ``rawArgs`` together with ``moduleName`` (or neither); ``modulesLoadingOrder`` has
fewer than two entries, does not start with ``moduleName``, or repeats one; a ``sign`` section
lacks ``filesToSign`` or lists a file outside ``dirName``; a device plugin mounts a host path
outside /dev, /sys, /var and /opt. Tolerations must be well formed, a device plugin's init
container may not have startup or liveness probes (OpenShift's KMM), and the CRD's CEL rule makes
``dra`` and ``devicePlugin`` exclusive.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from scaffold.validate.documents import Document
from scaffold.validate.problems import Problem
from scaffold.validate.re2 import re2_error

MAX_NAME_AND_NAMESPACE = 40
_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_QUALIFIED_NAME = re.compile(
    rf"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?{_NAME}$"
)
_LABEL_VALUE = re.compile(rf"^({_NAME})?$")
ALLOWED_HOST_PATHS = ("/dev", "/sys", "/var", "/opt")
DEFAULT_DIR_NAME = "/opt"

JsonPath = tuple[str | int, ...]


def image_reference_error(image: str) -> str:
    """``""`` when ``image`` names a tag or a digest (a registry port is not a tag)."""
    if "@" in image:
        return ""
    last = image.rsplit("/", 1)[-1]
    if ":" in last and last.rsplit(":", 1)[1]:
        return ""
    return f"image {image!r} has neither a tag nor a digest"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping_problems(
    container: dict[str, Any], base: JsonPath
) -> Iterator[tuple[JsonPath, str, str]]:
    default_image = container.get("containerImage")
    error = image_reference_error(default_image) if isinstance(default_image, str) else ""
    if default_image and error:
        yield (*base, "containerImage"), "image-tag", error
    for index, mapping in enumerate(_list(container.get("kernelMappings"))):
        mapping = _dict(mapping)
        here = (*base, "kernelMappings", index)
        regexp, literal = mapping.get("regexp") or "", mapping.get("literal") or ""
        if bool(regexp) == bool(literal):
            yield here, "regexp-xor-literal", "exactly one of regexp and literal must be set"
        if regexp and (error := re2_error(str(regexp))):
            yield (*here, "regexp"), "regexp-re2", error
        image = mapping.get("containerImage") or ""
        if not image and not default_image:
            yield (*here, "containerImage"), "image-set", "no containerImage here or in container"
        elif image and (error := image_reference_error(str(image))):
            yield (*here, "containerImage"), "image-tag", error


def _modprobe_problems(
    modprobe: dict[str, Any], base: JsonPath
) -> Iterator[tuple[JsonPath, str, str]]:
    name = modprobe.get("moduleName") or ""
    raw = _dict(modprobe.get("rawArgs"))
    raw_load, raw_unload = bool(_list(raw.get("load"))), bool(_list(raw.get("unload")))
    if name and (raw_load or raw_unload):
        yield (*base, "rawArgs"), "modprobe-args", "rawArgs cannot be set with moduleName"
    if not name and not (raw_load and raw_unload):
        yield base, "modprobe-args", "set moduleName, or both load and unload rawArgs"
    order = modprobe.get("modulesLoadingOrder")
    if order is None:
        return
    here = (*base, "modulesLoadingOrder")
    order = _list(order)
    if len(order) < 2:
        yield here, "loading-order", "a loading order needs at least two modules"
    if not name:
        yield here, "loading-order", "a loading order needs moduleName"
    elif order and order[0] != name:
        yield here, "loading-order", f"the loading order must start with moduleName {name!r}"
    seen: set[str] = set()
    for index, module in enumerate(order):
        if module in seen:
            yield (*here, index), "loading-order", f"{module!r} is listed twice"
        seen.add(module)


def _sign_problems(sign: Any, dir_name: str, base: JsonPath) -> Iterator[tuple[JsonPath, str, str]]:
    if not isinstance(sign, dict):
        return
    files = _list(sign.get("filesToSign"))
    if not files:
        yield (*base, "filesToSign"), "sign-files", "filesToSign is required with sign"
    for index, file in enumerate(files):
        if not str(file).startswith(dir_name.rstrip("/") + "/"):
            yield (
                (*base, "filesToSign", index),
                "sign-files",
                f"{file!r} is not under dirName {dir_name!r}",
            )
    image = sign.get("unsignedImage")
    if image and (error := image_reference_error(str(image))):
        yield (*base, "unsignedImage"), "image-tag", error


def _device_plugin_problems(plugin: dict[str, Any]) -> Iterator[tuple[JsonPath, str, str]]:
    base: JsonPath = ("spec", "devicePlugin")
    image = _dict(plugin.get("container")).get("image")
    if isinstance(image, str) and (error := image_reference_error(image)):
        yield (*base, "container", "image"), "image-tag", error
    init = _dict(plugin.get("initContainer"))
    for probe in ("startupProbe", "livenessProbe"):
        if probe in init:
            yield (
                (*base, "initContainer", probe),
                "init-container-probe",
                f"{probe} is not supported",
            )
    for index, volume in enumerate(_list(plugin.get("volumes"))):
        host = _dict(_dict(volume).get("hostPath")).get("path")
        if host is None:
            continue
        clean = posixpath.normpath(str(host))
        if not any(clean == p or clean.startswith(p + "/") for p in ALLOWED_HOST_PATHS):
            yield (
                (*base, "volumes", index, "hostPath", "path"),
                "device-plugin-host-path",
                f"host path {host!r} is outside {', '.join(ALLOWED_HOST_PATHS)}",
            )


def _toleration_problems(tolerations: list[Any]) -> Iterator[tuple[JsonPath, str, str]]:
    for index, toleration in enumerate(tolerations):
        toleration = _dict(toleration)
        here: JsonPath = ("spec", "tolerations", index)
        key, operator = str(toleration.get("key") or ""), str(toleration.get("operator") or "")
        value = str(toleration.get("value") or "")
        effect = str(toleration.get("effect") or "")
        if key and not _QUALIFIED_NAME.match(key):
            yield (*here, "key"), "toleration", f"key {key!r} is not a qualified name"
        if not key and operator != "Exists":
            yield (*here, "operator"), "toleration", "operator must be Exists when key is empty"
        if "tolerationSeconds" in toleration and effect != "NoExecute":
            yield (*here, "effect"), "toleration", "tolerationSeconds needs effect NoExecute"
        if operator in ("", "Equal") and value and not _LABEL_VALUE.match(value):
            yield (*here, "value"), "toleration", f"value {value!r} is not a label value"
        elif operator == "Exists" and value:
            yield (*here, "value"), "toleration", "value must be empty with operator Exists"
        elif operator not in ("", "Equal", "Exists"):
            yield (*here, "operator"), "toleration", f"operator {operator!r} is not Equal or Exists"
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            yield (*here, "effect"), "toleration", f"effect {effect!r} is not a taint effect"


def module_problems(document: Document) -> list[Problem]:
    """Every KMM admission rule ``document`` (a Module) breaks."""
    spec = _dict(document.data.get("spec"))
    found: list[tuple[JsonPath, str, str]] = []
    combined = len(document.name) + len(document.namespace)
    if combined > MAX_NAME_AND_NAMESPACE:
        found.append(
            (
                ("metadata", "name"),
                "name-length",
                f"name and namespace are {combined} characters together; KMM allows "
                f"{MAX_NAME_AND_NAMESPACE}",
            )
        )
    if "dra" in spec and "devicePlugin" in spec:
        found.append((("spec",), "dra-or-device-plugin", "dra and devicePlugin are exclusive"))
    found.extend(_toleration_problems(_list(spec.get("tolerations"))))
    if plugin := _dict(spec.get("devicePlugin")):
        found.extend(_device_plugin_problems(plugin))
    loader = _dict(spec.get("moduleLoader"))
    if loader:
        base: JsonPath = ("spec", "moduleLoader", "container")
        container = _dict(loader.get("container"))
        modprobe = _dict(container.get("modprobe"))
        found.extend(_mapping_problems(container, base))
        found.extend(_modprobe_problems(modprobe, (*base, "modprobe")))
        dir_name = str(modprobe.get("dirName") or DEFAULT_DIR_NAME)
        found.extend(_sign_problems(container.get("sign"), dir_name, (*base, "sign")))
        for index, mapping in enumerate(_list(container.get("kernelMappings"))):
            sign = _dict(mapping).get("sign")
            found.extend(_sign_problems(sign, dir_name, (*base, "kernelMappings", index, "sign")))
    return [document.problem(f"kmm:{rule}", message, path) for path, rule, message in found]
