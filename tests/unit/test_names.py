"""Derived names come from the answers in one place, and are valid for where they are used."""

from __future__ import annotations

from tests.conftest import answer_set
from tests.template_ext import extension

names = extension("names")
rules = extension("rules")
filters = extension("filters")


def _answers(name: str) -> dict[str, object]:
    """An answer set completed with the template's derived defaults."""
    answers = answer_set(name)
    slug = answers.setdefault("project_slug", filters.dns_label(answers["product_name"]))
    answers.setdefault("kernel_module_name", filters.c_identifier(slug))
    answers.setdefault("image_registry", f"quay.io/{answers['vendor_domain'].split('.')[0]}")
    answers.setdefault("openshift_versions", "4.16-4.20")
    return answers


def test_images_and_labels_follow_the_answers() -> None:
    answers = _answers("full")
    derived = names.derive(answers)
    assert (
        derived["driver_image"] == f"{answers['image_registry']}/{answers['project_slug']}-driver"
    )
    assert derived["node_label"].startswith("feature.node.kubernetes.io/")
    assert derived["pci_device_ids"] == [d.lower() for d in answers["pci_device_ids"]]
    assert rules.check("project_slug", derived["namespace"]) == ""


def test_openshift_range_maps_to_kubernetes_minors() -> None:
    derived = names.derive(_answers("full"))  # 4.14-4.21
    assert derived["openshift_releases"][0] == "4.14"
    assert derived["openshift_releases"][-1] == "4.21"
    assert len(derived["openshift_releases"]) == 8
    assert (derived["kube_minor_min"], derived["kube_minor_max"]) == (27, 34)
