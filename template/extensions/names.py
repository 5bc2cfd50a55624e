"""Every name the generated project uses that is not itself an answer, derived in one place.

Templates read these as ``names.<key>``; nothing in ``project/`` builds an image reference, label,
namespace or API group by hand. Plain Python, no third-party imports.
"""

from __future__ import annotations

from typing import Any

# OpenShift 4.N ships Kubernetes 1.(N+13): 4.16 is 1.29, 4.20 is 1.33.
OPENSHIFT_TO_KUBE_MINOR_OFFSET = 13

REQUIRED = (
    "vendor_domain",
    "project_slug",
    "kernel_module_name",
    "image_registry",
    "openshift_versions",
    "pci_vendor_id",
    "pci_device_ids",
)


def derive(answers: dict[str, Any]) -> dict[str, Any]:
    """Return the derived names for a complete, valid set of answers."""
    slug = answers["project_slug"]
    registry = answers["image_registry"]
    module = answers["kernel_module_name"]
    domain = answers["vendor_domain"]
    ocp_min, ocp_max = answers["openshift_versions"].split("-")
    ocp_min_minor, ocp_max_minor = int(ocp_min.split(".")[1]), int(ocp_max.split(".")[1])
    vendor_id = answers["pci_vendor_id"].lower()
    return {
        "vendor_short": domain.split(".")[0],
        "namespace": slug,
        "operator_namespace": f"{slug}-operator",
        "driver_image": f"{registry}/{slug}-driver",
        "device_plugin_image": f"{registry}/{slug}-device-plugin",
        "operator_image": f"{registry}/{slug}-operator",
        "bundle_image": f"{registry}/{slug}-operator-bundle",
        "catalog_image": f"{registry}/{slug}-operator-catalog",
        "module_display_name": module,
        "char_device_prefix": module,
        "node_label": f"feature.node.kubernetes.io/{slug}.present",
        "api_group": f"{slug}.{domain}",
        "api_version": "v1alpha1",
        "device_plugin_binary": f"{slug}-device-plugin",
        "firmware_file": f"{module}/{module}-fw.bin",
        "pci_vendor_id": vendor_id,
        "pci_device_ids": [device.lower() for device in answers["pci_device_ids"]],
        "openshift_min": ocp_min,
        "openshift_max": ocp_max,
        "openshift_releases": [f"4.{minor}" for minor in range(ocp_min_minor, ocp_max_minor + 1)],
        "kube_minor_min": ocp_min_minor + OPENSHIFT_TO_KUBE_MINOR_OFFSET,
        "kube_minor_max": ocp_max_minor + OPENSHIFT_TO_KUBE_MINOR_OFFSET,
    }
