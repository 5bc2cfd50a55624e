"""Rules across documents: the pieces of a device deployment must agree with each other.

- a Module's selector on an NFD label (``feature.node.kubernetes.io/...``) must be a label some
  NodeFeatureRule sets, with the same value (when the set holds NodeFeatureRules at all);
- a node-role selector must have the empty value node-role labels carry;
- a ConfigMap a Module builds from, when present, must hold its Dockerfile as ``data.dockerfile``;
- a NodeFeatureDiscovery's PCI class whitelist must cover the classes NodeFeatureRules match.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from scaffold.validate.documents import Document, load_all
from scaffold.validate.problems import Problem

NFD_LABEL_DOMAIN = "feature.node.kubernetes.io"
NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
# Labels nfd-worker's own sources set: a selector may use them without a NodeFeatureRule.
NFD_BUILTIN_PREFIXES = (
    "cpu-",
    "kernel-",
    "memory-",
    "network-",
    "pci-",
    "usb-",
    "storage-",
    "system-",
    "iommu-",
    "rdt.",
    "custom-",
    "local-",
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _of_kind(documents: list[Document], group: str, kind: str) -> list[Document]:
    return [d for d in documents if d.kind == kind and d.api_version.startswith(group + "/")]


def rule_labels(rule_documents: list[Document]) -> dict[str, str]:
    """Every label the NodeFeatureRules set, with its value."""
    labels: dict[str, str] = {}
    for document in rule_documents:
        for rule in _list(_dict(document.data.get("spec")).get("rules")):
            for key, value in _dict(_dict(rule).get("labels")).items():
                name = key if "/" in key else f"{NFD_LABEL_DOMAIN}/{key}"
                labels[name] = str(value)
    return labels


def _is_nfd_label(key: str) -> bool:
    prefix, _, _ = key.rpartition("/")
    return prefix == NFD_LABEL_DOMAIN or prefix.endswith("." + NFD_LABEL_DOMAIN)


def _selector_problems(modules: list[Document], rules: list[Document]) -> Iterator[Problem]:
    labels = rule_labels(rules)
    for module in modules:
        selector = _dict(_dict(module.data.get("spec")).get("selector"))
        for key, value in selector.items():
            path = ("spec", "selector", key)
            if key.startswith(NODE_ROLE_PREFIX) and value != "":
                yield module.problem(
                    "selector-node-role", f"node-role labels have the value '', not {value!r}", path
                )
            if not rules or not _is_nfd_label(key):
                continue
            if key in labels:
                if labels[key] != str(value):
                    yield module.problem(
                        "selector-matches-nfd-rule",
                        f"NodeFeatureRules set {key}={labels[key]!r}, the selector wants {value!r}",
                        path,
                    )
            elif not key.rpartition("/")[2].startswith(NFD_BUILTIN_PREFIXES):
                yield module.problem(
                    "selector-matches-nfd-rule",
                    f"no NodeFeatureRule sets {key} (they set: {', '.join(sorted(labels))})",
                    path,
                )


def _configmap_problems(modules: list[Document], maps: list[Document]) -> Iterator[Problem]:
    by_name = {(d.namespace, d.name): d for d in maps}
    for module in modules:
        container = _dict(
            _dict(_dict(module.data.get("spec")).get("moduleLoader")).get("container")
        )
        builds = [container.get("build")]
        builds.extend(
            _dict(mapping).get("build") for mapping in _list(container.get("kernelMappings"))
        )
        for build in builds:
            name = _dict(_dict(build).get("dockerfileConfigMap")).get("name")
            found = by_name.get((module.namespace, str(name))) if name else None
            if found is None:
                continue
            if not isinstance(_dict(found.data.get("data")).get("dockerfile"), str):
                yield found.problem(
                    "build-configmap-key",
                    f"Module {module.name} builds from this ConfigMap; it has no data.dockerfile",
                    ("data",),
                )


def _rule_classes(rules: list[Document]) -> Iterator[tuple[Document, str]]:
    for document in rules:
        for rule in _list(_dict(document.data.get("spec")).get("rules")):
            rule = _dict(rule)
            terms = _list(rule.get("matchFeatures"))
            for any_of in _list(rule.get("matchAny")):
                terms.extend(_list(_dict(any_of).get("matchFeatures")))
            for term in terms:
                term = _dict(term)
                if term.get("feature") != "pci.device":
                    continue
                expression = _dict(_dict(term.get("matchExpressions")).get("class"))
                if expression.get("op") == "In":
                    for value in _list(expression.get("value")):
                        yield document, str(value)


def _whitelist_problems(instances: list[Document], rules: list[Document]) -> Iterator[Problem]:
    classes = list(_rule_classes(rules))
    for instance in instances:
        path = ("spec", "workerConfig", "configData")
        text = _dict(_dict(instance.data.get("spec")).get("workerConfig")).get("configData")
        if not isinstance(text, str):
            continue
        try:
            loaded = load_all(text)
        except yaml.YAMLError as error:
            message = "nfd-worker configuration is not YAML: " + " ".join(str(error).split())
            yield instance.problem("nfd-worker-config", message, path)
            continue
        config = _dict(loaded[0]) if loaded else {}
        pci = _dict(_dict(config.get("sources")).get("pci"))
        if "deviceClassWhitelist" not in pci:
            continue  # nfd-worker's default whitelist applies
        whitelist = [str(prefix).lower() for prefix in _list(pci.get("deviceClassWhitelist"))]
        for _, device_class in classes:
            if not any(device_class.lower().startswith(prefix) for prefix in whitelist):
                yield instance.problem(
                    "nfd-class-whitelist",
                    f"PCI class {device_class} (a NodeFeatureRule matches it) is not in "
                    f"deviceClassWhitelist {whitelist}",
                    path,
                )


def reference_problems(documents: list[Document]) -> list[Problem]:
    """Problems between the documents of one deployment."""
    modules = _of_kind(documents, "kmm.sigs.x-k8s.io", "Module")
    rules = _of_kind(documents, "nfd.k8s-sigs.io", "NodeFeatureRule")
    instances = _of_kind(documents, "nfd.openshift.io", "NodeFeatureDiscovery")
    maps = [d for d in documents if d.kind == "ConfigMap" and d.api_version == "v1"]
    return [
        *_selector_problems(modules, rules),
        *_configmap_problems(modules, maps),
        *_whitelist_problems(instances, rules),
    ]
