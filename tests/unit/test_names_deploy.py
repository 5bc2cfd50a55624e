"""Derived names of the deploy/ manifests: valid where Kubernetes, KMM and NFD use them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import answer_set
from tests.template_ext import extension

names = extension("names")
filters = extension("filters")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _answers(name: str, **overrides: Any) -> dict[str, Any]:
    answers = {**answer_set(name), **overrides}
    slug = answers.setdefault("project_slug", filters.dns_label(answers["product_name"]))
    answers.setdefault("kernel_module_name", filters.c_identifier(slug))
    answers.setdefault("image_registry", f"quay.io/{answers['vendor_domain'].split('.')[0]}")
    answers.setdefault("openshift_versions", "4.16-4.20")
    answers.setdefault("pci_device_class", "1200")
    return answers


@pytest.mark.parametrize(
    "slug", ["a", "nimbus-nx", "acme-edu-accelerator", "x" * 30, "ab-" * 12 + "c"]
)
def test_module_name_fits_kmm_name_and_namespace_limit(slug: str) -> None:
    derived = names.derive(_answers("default", project_slug=slug))
    module, namespace = derived["kmm_module_name"], derived["namespace"]
    assert len(module) + len(namespace) <= names.KMM_MAX_NAME_AND_NAMESPACE
    assert DNS_LABEL.match(module)
    assert slug.startswith(module)
    if len(slug) <= names.KMM_MAX_NAME_AND_NAMESPACE // 2:
        assert module == slug


def test_object_names_are_dns_labels() -> None:
    derived = names.derive(_answers("full"))
    for key in (
        "nfd_rule_name",
        "dockerfile_configmap",
        "image_pull_secret",
        "signing_key_secret",
        "signing_cert_secret",
        "module_loader_service_account",
        "device_plugin_service_account",
        "workload_namespace",
        "sample_pod_name",
        "nfd_namespace",
        "kmm_namespace",
    ):
        assert DNS_LABEL.match(derived[key]) and len(derived[key]) <= 63, key


@pytest.mark.parametrize(
    ("device_class", "expected_extra"), [("1200", []), ("0B40", []), ("0280", ["0280"])]
)
def test_nfd_whitelist_covers_the_device_class(
    device_class: str, expected_extra: list[str]
) -> None:
    derived = names.derive(_answers("default", pci_device_class=device_class))
    assert derived["pci_device_class"] == device_class.lower()
    whitelist = derived["nfd_pci_class_whitelist"]
    assert whitelist == [*names.NFD_DEFAULT_PCI_CLASSES, *expected_extra]
    assert any(device_class.lower().startswith(prefix) for prefix in whitelist)


@pytest.mark.parametrize(
    ("kernel", "matches"),
    [
        ("4.18.0-372.73.1.el8_6.x86_64", True),
        ("5.14.0-427.13.1.el9_4.x86_64", True),
        ("5.14.0-570.19.1.el9_6.aarch64", True),
        ("5.14.0-284.25.1.rt14.310.el9_2.x86_64", True),
        ("5.14.0-427.13.1.el9_4.x86_64+rt", True),
        ("5.14.0-427.13.1.el9_4.aarch64+64k", True),
        ("6.8.0-45-generic", False),
        ("6.10.5-200.fc40.x86_64", False),
        ("5.14.0-427.13.1.el9_4.x86_64.debug", False),
    ],
)
def test_kernel_mapping_regexp_matches_rhcos_kernels(kernel: str, matches: bool) -> None:
    # The expression also uses only syntax Python and Go RE2 share (the deploy tests compile it
    # with Go), so Python's matching stands for KMM's here.
    assert bool(re.match(names.RHCOS_KERNEL_REGEXP, kernel)) is matches
