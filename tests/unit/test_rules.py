"""Every question's rule accepts good values and rejects bad ones with one line naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from scaffold.template import questions
from tests.conftest import TEMPLATE
from tests.template_ext import extension

rules = extension("rules")

GOOD: dict[str, list[Any]] = {
    "vendor_name": ["Acme Accelerators, Inc.", 'Acme "Quantum" Devices: Ünïcode & {{ x }} #1'],
    "vendor_domain": ["acme.com", "nimbus-silicon.example", "a.b.c.io"],
    "product_name": ["Acme EDU Accelerator", "X"],
    "project_slug": ["acme-edu", "a", "nx2"],
    "pci_vendor_id": ["1234", "10de", "1DED"],
    "pci_device_ids": [["11e8"], ["0001", "00a2", "1F3c"]],
    "pci_device_class": ["1200", "0b40"],
    "kernel_module_name": ["acme_edu", "_x", "nx2"],
    "resource_name": ["acme.com/edu", "acme.com/nx.v2_a"],
    "image_registry": [
        "quay.io/acme",
        "registry.example.com:5000/nimbus/enablement",
        "localhost/x",
    ],
    "go_module": ["github.com/acme/acme-edu", "acme.com/x"],
    "openshift_versions": ["4.16-4.20", "4.14-4.14", "4.12-4.30"],
    "license": ["Apache-2.0", "Proprietary"],
    "driver_build": ["prebuilt", "in-cluster", "both"],
    "with_device_plugin": [True, False],
    "with_operator": [True, False],
    "with_monitoring": [True, False],
    "with_certification": [True, False],
    "secure_boot": [True, False],
    "with_firmware": [True, False],
}

BAD: dict[str, list[Any]] = {
    "vendor_name": ["", "  padded ", "line\nbreak", "x" * 101, 42],
    "vendor_domain": ["acme", "Acme.com", "-acme.com", "acme.123", "acme..com", "acme.com/"],
    "product_name": ["", "tab\tinside"],
    "project_slug": ["Acme", "-acme", "acme-", "1acme", "a" * 31, "acme_edu"],
    "pci_vendor_id": ["12G4", "123", "12345", 1234, "0x12"],
    "pci_device_ids": [[], "11e8", ["11e8", "11E8"], [1234], ["zz"]],
    "pci_device_class": ["12", "120000", "zzzz"],
    "kernel_module_name": ["Acme", "1acme", "acme-edu", "a" * 41],
    "resource_name": ["edu", "acme.com/", "kubernetes.io/edu", "acme.com/a/b", "acme.com/-x"],
    "image_registry": ["acme", "quay.io/Acme", "quay.io/acme:latest", "docker/acme"],
    "go_module": ["acme/x", "github.com/acme/x y", "GitHub.com/acme"],
    "openshift_versions": ["4.16", "4.20-4.16", "5.1-5.2", "4.10-4.16", 4.16],
    "license": ["GPL-3.0", ""],
    "driver_build": ["docker", ""],
    "with_device_plugin": ["yes", 1],
    "with_operator": ["maybe"],
    "with_monitoring": [None],
    "with_certification": ["true"],
    "secure_boot": [0],
    "with_firmware": ["no"],
}


def _cases(table: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    return [(field, value) for field, values in table.items() for value in values]


def test_every_question_has_a_rule_with_good_and_bad_examples() -> None:
    names = {q.name for q in questions(TEMPLATE)}
    assert names == set(rules.RULES) == set(GOOD) == set(BAD)


@pytest.mark.parametrize(("field", "value"), _cases(GOOD))
def test_good_values_pass(field: str, value: Any) -> None:
    assert rules.check(field, value) == ""


@pytest.mark.parametrize(("field", "value"), _cases(BAD))
def test_bad_values_fail_with_one_line_naming_the_field(field: str, value: Any) -> None:
    error = rules.check(field, value)
    assert error.startswith(f"{field}")
    assert "\n" not in error
    assert len(error) > len(field) + 10  # says which rule, not just the name


def test_the_issue_example_message() -> None:
    assert (
        rules.check("pci_vendor_id", "12G4") == "pci_vendor_id: '12G4' is not 4 hexadecimal digits"
    )


def test_check_all_reports_each_broken_field() -> None:
    errors = rules.check_all(
        {"pci_vendor_id": "12G4", "license": "GPL", "vendor_domain": "acme.com"}
    )
    assert [e.split(":")[0] for e in errors] == ["pci_vendor_id", "license"]
