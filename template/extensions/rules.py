"""The rule every answer must satisfy: one source for Copier's validators and `scaffold questions`.

Each rule returns ``""`` for a good value and, for a bad one, one line that names the field and the
rule it broke, e.g. ``pci_vendor_id: '12G4' is not 4 hexadecimal digits``. The module is plain
Python with no third-party imports so that both the template's Jinja extension and the `scaffold`
CLI can load it by file path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HEX4 = re.compile(r"^[0-9a-fA-F]{4}$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
C_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
QUALIFIED_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
OCP_VERSION = re.compile(r"^4\.(\d{1,2})$")
GO_MODULE_ELEMENT = re.compile(r"^[A-Za-z0-9][-A-Za-z0-9._~]*$")
REGISTRY_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
REGISTRY_HOST = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]+)?$")

MAX_TEXT = 100
# The slug names the driver namespace and (cut to fit) the KMM Module, and KMM's webhook refuses a
# Module whose name and namespace together exceed 40 characters: 30 leaves the Module 10.
MAX_SLUG = 30
MAX_MODULE_NAME = 40
DRIVER_BUILDS = ("prebuilt", "in-cluster", "both")
LICENSES = ("Apache-2.0", "MIT", "BSD-3-Clause", "Proprietary")


@dataclass(frozen=True)
class Rule:
    """What a field accepts (``text``, shown by `scaffold questions`) and the check enforcing it."""

    text: str
    check: Callable[[str, Any], str]


def _free_text(field: str, value: Any) -> str:
    if not isinstance(value, str):
        return f"{field}: {value!r} is not text"
    if not value.strip():
        return f"{field}: must not be empty"
    if value != value.strip():
        return f"{field}: {value!r} has leading or trailing spaces"
    if len(value) > MAX_TEXT:
        return f"{field}: {value!r} is longer than {MAX_TEXT} characters"
    # Control, format, surrogate and unassigned characters (category C*) and line or paragraph
    # separators would break one-line contexts (comments, modinfo, YAML plain scalars).
    bad = [ch for ch in value if unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029"]
    if bad:
        return f"{field}: {value!r} contains a control character ({bad[0]!a})"
    return ""


def _dns_domain(field: str, value: Any) -> str:
    if not isinstance(value, str):
        return f"{field}: {value!r} is not text"
    labels = value.split(".")
    if (
        len(value) > 253
        or len(labels) < 2
        or not all(DNS_SUBDOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        return (
            f"{field}: {value!r} is not a lowercase DNS domain with at least two labels "
            "(e.g. acme.com)"
        )
    return ""


def _dns_label(field: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_SLUG or not DNS_LABEL.match(value):
        return (
            f"{field}: {value!r} is not a DNS-1123 label of at most {MAX_SLUG} characters "
            "(lowercase letters, digits and '-', starting and ending with a letter or digit)"
        )
    if not value[0].isalpha():
        return f"{field}: {value!r} must start with a letter"
    return ""


def _hex4(field: str, value: Any) -> str:
    if not isinstance(value, str) or not HEX4.match(value):
        hint = ' (quote it in YAML: "0001")' if isinstance(value, int) else ""
        return f"{field}: {value!r} is not 4 hexadecimal digits{hint}"
    return ""


def _hex4_list(field: str, value: Any) -> str:
    if not isinstance(value, list) or not value:
        return (
            f'{field}: {value!r} is not a non-empty list of 4-hexadecimal-digit ids (e.g. ["11e8"])'
        )
    for index, item in enumerate(value):
        if error := _hex4(f"{field}[{index}]", item):
            return error
    lowered = [item.lower() for item in value]
    duplicates = sorted({item for item in lowered if lowered.count(item) > 1})
    if duplicates:
        return f"{field}: {duplicates[0]!r} is listed more than once"
    return ""


def _c_identifier(field: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_MODULE_NAME or not C_IDENTIFIER.match(value):
        return (
            f"{field}: {value!r} is not a lowercase C identifier of at most {MAX_MODULE_NAME} "
            "characters (letters, digits and '_', not starting with a digit)"
        )
    return ""


def _resource_name(field: str, value: Any) -> str:
    if not isinstance(value, str) or value.count("/") != 1:
        return f"{field}: {value!r} is not a Kubernetes extended resource name DOMAIN/NAME"
    domain, name = value.split("/")
    if _dns_domain(field, domain):
        return f"{field}: {value!r} does not start with a DNS domain (e.g. acme.com/edu)"
    if domain == "kubernetes.io" or domain.endswith(".kubernetes.io"):
        return f"{field}: {value!r} uses the reserved kubernetes.io domain"
    if len(name) > 63 or not QUALIFIED_NAME.match(name):
        return (
            f"{field}: {value!r} has a name part that is not a qualified name of at most 63 "
            "characters (letters, digits, '-', '_', '.')"
        )
    return ""


def _image_registry(field: str, value: Any) -> str:
    rule = (
        f"{field}: {value!r} is not an image repository prefix HOST/NAMESPACE "
        "(e.g. quay.io/acme, lowercase, no tag)"
    )
    if not isinstance(value, str) or "/" not in value or len(value) > 200:
        return rule
    host, *path = value.split("/")
    if "." not in host and ":" not in host and host != "localhost":
        return rule
    if not REGISTRY_HOST.match(host) or not all(REGISTRY_COMPONENT.match(part) for part in path):
        return rule
    return ""


def _go_module(field: str, value: Any) -> str:
    rule = (
        f"{field}: {value!r} is not a Go module path whose first element is a domain "
        "(e.g. github.com/acme/acme-edu)"
    )
    if not isinstance(value, str) or value != value.strip() or len(value) > 200:
        return rule
    elements = value.split("/")
    if "." not in elements[0] or not all(GO_MODULE_ELEMENT.match(e) for e in elements):
        return rule
    if elements[0] != elements[0].lower():
        return rule
    return ""


def _openshift_versions(field: str, value: Any) -> str:
    rule = f"{field}: {value!r} is not a range MIN-MAX of OpenShift 4.x releases (e.g. 4.16-4.20)"
    if not isinstance(value, str) or value.count("-") != 1:
        return rule
    low, high = (OCP_VERSION.match(part) for part in value.split("-"))
    if not low or not high:
        return rule
    if int(low.group(1)) > int(high.group(1)):
        return f"{field}: {value!r} has a minimum above its maximum"
    if int(low.group(1)) < 12:
        return f"{field}: {value!r} starts before 4.12, the oldest release KMM supports"
    return ""


def _choice(choices: tuple[str, ...]) -> Callable[[str, Any], str]:
    def check(field: str, value: Any) -> str:
        if value not in choices:
            return f"{field}: {value!r} is not one of {', '.join(choices)}"
        return ""

    return check


def _boolean(field: str, value: Any) -> str:
    if not isinstance(value, bool):
        return f"{field}: {value!r} is not true or false"
    return ""


def _pci_class(field: str, value: Any) -> str:
    if not isinstance(value, str) or not HEX4.match(value):
        return (
            f"{field}: {value!r} is not a PCI class and subclass of 4 hexadecimal digits "
            "(e.g. 1200 for a processing accelerator)"
        )
    return ""


RULES: dict[str, Rule] = {
    "vendor_name": Rule("one line of text, 1-100 characters, no control characters", _free_text),
    "vendor_domain": Rule("lowercase DNS domain with at least two labels", _dns_domain),
    "product_name": Rule("one line of text, 1-100 characters, no control characters", _free_text),
    "project_slug": Rule(f"DNS-1123 label, at most {MAX_SLUG} characters", _dns_label),
    "pci_vendor_id": Rule("4 hexadecimal digits", _hex4),
    "pci_device_ids": Rule("non-empty list of distinct 4-hexadecimal-digit ids", _hex4_list),
    "pci_device_class": Rule("PCI class and subclass, 4 hexadecimal digits", _pci_class),
    "kernel_module_name": Rule(
        f"lowercase C identifier, at most {MAX_MODULE_NAME} characters", _c_identifier
    ),
    "resource_name": Rule("extended resource name DOMAIN/NAME", _resource_name),
    "image_registry": Rule("image repository prefix HOST/NAMESPACE", _image_registry),
    "go_module": Rule("Go module path starting with a domain", _go_module),
    "openshift_versions": Rule("MIN-MAX range of OpenShift 4.x releases", _openshift_versions),
    "license": Rule(f"one of {', '.join(LICENSES)}", _choice(LICENSES)),
    "with_device_plugin": Rule("true or false", _boolean),
    "with_operator": Rule("true or false", _boolean),
    "with_monitoring": Rule("true or false", _boolean),
    "with_certification": Rule("true or false", _boolean),
    "driver_build": Rule(f"one of {', '.join(DRIVER_BUILDS)}", _choice(DRIVER_BUILDS)),
    "secure_boot": Rule("true or false", _boolean),
    "with_firmware": Rule("true or false", _boolean),
}


def check(field: str, value: Any) -> str:
    """Return ``""`` when ``value`` is a good answer for ``field``, else a one-line error."""
    try:
        rule = RULES[field]
    except KeyError:
        return f"{field}: no such question"
    return rule.check(field, value)


def check_all(answers: dict[str, Any]) -> list[str]:
    """Return one error line for each answer in ``answers`` that breaks its field's rule."""
    return [
        error
        for field, value in answers.items()
        if field in RULES and (error := check(field, value))
    ]
