"""Every name the generated project uses that is not itself an answer, derived in one place.

Templates read these as ``names.<key>``; nothing in ``project/`` builds an image reference, label,
namespace or API group by hand. Plain Python, no third-party imports.
"""

from __future__ import annotations

import re
from typing import Any

# OpenShift 4.N ships Kubernetes 1.(N+13): 4.16 is 1.29, 4.20 is 1.33.
OPENSHIFT_TO_KUBE_MINOR_OFFSET = 13

# The Driver Toolkit is published per OpenShift minor release; RHCOS is RHEL 9 based from 4.13 on.
DTK_REPOSITORY = "registry.redhat.io/openshift4/driver-toolkit-rhel{rhel}"
DTK_FIRST_RHEL9_MINOR = 13

# KMM's admission webhook refuses a Module whose name and namespace together exceed 40 characters.
KMM_MAX_NAME_AND_NAMESPACE = 40

# RHCOS kernel releases as `uname -r` prints them: 4.18.0-372.73.1.el8_6.x86_64 (RHEL 8 based
# 4.12), 5.14.0-427.13.1.el9_4.x86_64, real-time 5.14.0-284.25.1.rt14.310.el9_2.x86_64 or
# 5.14.0-427.13.1.el9_4.x86_64+rt, 64k-page 5.14.0-427.13.1.el9_4.aarch64+64k. Go RE2 syntax:
# KMM matches it with Go's regexp package.
RHCOS_KERNEL_REGEXP = (
    r"^[0-9]+\.[0-9]+\.[0-9]+-[0-9][0-9A-Za-z._]*"
    r"\.el[89](_[0-9]+)?\.(x86_64|aarch64)(\+rt|\+64k)?$"
)

# PCI classes nfd-worker labels by default (display, processing accelerators, co-processors):
# the NodeFeatureDiscovery keeps them so other operators' labels survive ours.
NFD_DEFAULT_PCI_CLASSES = ("03", "0b40", "12")

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
        **_deploy_names(answers),
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
        "node_label": _node_label(slug),
        "api_group": f"{slug}.{domain}",
        "api_version": "v1alpha1",
        "device_plugin_binary": f"{slug}-device-plugin",
        # Prometheus metric names start with this (the module name is already a valid prefix).
        "metrics_prefix": module,
        "device_plugin_metrics_port": 9464,
        # Allocate sets <prefix>_DEVICES and <prefix>_DEVICE_NODES in the containers it serves.
        "device_plugin_env_prefix": module.upper(),
        # The device plugin's first version; later its Dockerfile's VERSION argument holds it.
        "device_plugin_version": "0.1.0",
        "firmware_file": f"{module}/{module}-fw.bin",
        "pci_vendor_id": vendor_id,
        "pci_device_ids": [device.lower() for device in answers["pci_device_ids"]],
        "openshift_min": ocp_min,
        "openshift_max": ocp_max,
        "openshift_releases": [f"4.{minor}" for minor in range(ocp_min_minor, ocp_max_minor + 1)],
        "kube_minor_min": ocp_min_minor + OPENSHIFT_TO_KUBE_MINOR_OFFSET,
        "kube_minor_max": ocp_max_minor + OPENSHIFT_TO_KUBE_MINOR_OFFSET,
        **_driver_container(answers, range(ocp_min_minor, ocp_max_minor + 1)),
        **_monitoring_names(answers),
    }


def _driver_container(answers: dict[str, Any], minors: range) -> dict[str, Any]:
    """Names the driver image, its build and KMM's Module must agree on."""
    slug = answers["project_slug"]
    return {
        # Driver Toolkit of each supported release (newest z-stream of the minor release).
        "dtk_images": {f"4.{minor}": _dtk_image(minor) for minor in minors},
        # Builder of off-cluster builds when no release is named; KMM sets DTK_AUTO in-cluster.
        "dtk_image": _dtk_image(minors[-1]),
        # Kernel-independent image of the module source, COPY'd by every driver image build.
        "driver_source_image": f"{answers['image_registry']}/{slug}-driver-source",
        # First version of the driver; kernel-module/VERSION holds it from then on.
        "driver_version": "0.1.0",
    }


def _dtk_image(minor: int) -> str:
    """The Driver Toolkit image of OpenShift 4.<minor>, as the Red Hat registry publishes it."""
    rhel = 9 if minor >= DTK_FIRST_RHEL9_MINOR else 8
    return f"{DTK_REPOSITORY.format(rhel=rhel)}:v4.{minor}"


def _kmm_module_name(slug: str, namespace: str) -> str:
    """The Module's name: the slug, cut so that name and namespace fit KMM's combined limit."""
    room = KMM_MAX_NAME_AND_NAMESPACE - len(namespace)
    return slug[: max(room, 1)].rstrip("-") or slug[:1]


def _deploy_names(answers: dict[str, Any]) -> dict[str, Any]:
    """Names of the NFD and KMM manifests under deploy/ and the objects they refer to."""
    slug = answers["project_slug"]
    namespace = slug
    return {
        "nfd_namespace": "openshift-nfd",
        "kmm_namespace": "openshift-kmm",
        "nfd_rule_name": slug,
        "kmm_module_name": _kmm_module_name(slug, namespace),
        "pci_device_class": str(answers.get("pci_device_class") or "").lower(),
        "kernel_mapping_regexp": RHCOS_KERNEL_REGEXP,
        "driver_image_tag": "${KERNEL_FULL_VERSION}",
        "driver_image_unsigned_tag": "${KERNEL_FULL_VERSION}-unsigned",
        "image_tag": "latest",
        "module_dir": "/opt",
        "firmware_dir_in_image": "/firmware",
        "dockerfile_configmap": f"{slug}-dockerfile",
        "image_pull_secret": f"{slug}-pull-secret",
        "signing_key_secret": f"{slug}-signing-key",
        "signing_cert_secret": f"{slug}-signing-cert",
        "module_loader_service_account": f"{slug}-module-loader",
        "device_plugin_service_account": f"{slug}-device-plugin",
        "workload_namespace": f"{slug}-workload",
        "sample_pod_name": f"{slug}-sample",
        "sample_image": "registry.access.redhat.com/ubi9/ubi-minimal:9.6",
        "nfd_pci_class_whitelist": _pci_class_whitelist(answers),
    }


def _pci_class_whitelist(answers: dict[str, Any]) -> list[str]:
    """nfd-worker's default PCI class prefixes, plus the device's class when none covers it."""
    device_class = str(answers.get("pci_device_class") or "").lower()
    classes = list(NFD_DEFAULT_PCI_CLASSES)
    if device_class and not any(device_class.startswith(prefix) for prefix in classes):
        classes.append(device_class)
    return classes


def _node_label(slug: str) -> str:
    """The label NFD sets on nodes that carry the device."""
    return f"feature.node.kubernetes.io/{slug}.present"


def _prometheus_label(text: str) -> str:
    """``text`` as kube-state-metrics writes it into a label name or value: every character
    outside [a-zA-Z0-9_] becomes '_' (``acme.com/acme-edu`` -> ``acme_com_acme_edu``)."""
    return re.sub(r"[^a-zA-Z0-9_]", "_", text)


def _monitoring_names(answers: dict[str, Any]) -> dict[str, Any]:
    """Names the monitoring component's rules, dashboard and scrape objects agree on."""
    slug = answers["project_slug"]
    domain = answers["vendor_domain"]
    # The same defaults as copier.yml, for callers that pass only the required answers.
    resource = answers.get("resource_name") or f"{domain}/{slug}"
    go_module = answers.get("go_module") or f"github.com/{domain.split('.')[0]}/{slug}"
    module_name = _kmm_module_name(slug, slug)
    return {
        # Alert names: the slug in CamelCase (acme-edu-accelerator -> AcmeEduAccelerator...).
        "alert_prefix": "".join(part.capitalize() for part in slug.split("-")),
        # kube-state-metrics' resource="..." value of the extended resource.
        "kube_resource_label": _prometheus_label(resource),
        # kube_node_labels' label name for the NFD node label.
        "node_label_metric_label": "label_" + _prometheus_label(_node_label(slug)),
        # KMM names the device plugin DaemonSet after the Module, with a random suffix
        # (GenerateName): <module>-device-plugin-x7k2q. The regexp matches it with or without.
        "device_plugin_daemonset": f"{module_name}-device-plugin",
        "device_plugin_daemonset_regexp": f"{module_name}-device-plugin(-[a-z0-9]+)?",
        "device_plugin_metrics_service": f"{slug}-device-plugin-metrics",
        "prometheus_rule_name": slug,
        "node_prometheus_rule_name": f"{slug}-nodes",
        "dashboard_configmap": f"{slug}-grafana-dashboard",
        # Grafana's and the GrafanaDashboard CRD's uid: at most 40 of [a-zA-Z0-9-_].
        "dashboard_uid": slug[:40],
        # Alerts' runbook_url: the monitoring README, on the host of the Go module path.
        "runbook_url": f"https://{go_module}/blob/main/monitoring/README.md",
    }
