"""yaml_kind and document_fields, and the dotted field paths they share."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.probes.manifests import field_values, path_keys
from tests.checklist.helpers import make_project, run_probe

MODULE = """\
apiVersion: v1
kind: Namespace
metadata: {name: acme}
---
apiVersion: kmm.sigs.x-k8s.io/v1beta1
kind: Module
metadata:
  name: acme-edu
  labels: {"app.kubernetes.io/name": acme}
spec:
  selector: {feature.node.kubernetes.io/acme.present: "true"}
  moduleLoader:
    container:
      modprobe: {moduleName: acme_edu}
      kernelMappings:
        - regexp: ^.*$
          containerImage: quay.io/acme/driver:${KERNEL_FULL_VERSION}
"""
RULE = """\
apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: acme}
spec:
  rules:
    - name: acme
      labels: {feature.node.kubernetes.io/acme.present: "true"}
      matchFeatures:
        - feature: pci.device
          matchExpressions:
            vendor: {op: In, value: ["1234"]}
            device: {op: In, value: ["11e8", "11E9"]}
"""


def test_path_keys_accept_quoted_keys_with_dots() -> None:
    assert path_keys('metadata.labels["app.kubernetes.io/name"]') == [
        "metadata",
        "labels",
        "app.kubernetes.io/name",
    ]


def test_field_values_fan_out_over_lists() -> None:
    data = {"spec": {"groups": [{"rules": [{"alert": "A"}, {"alert": "B"}]}, {"rules": []}]}}
    assert field_values(data, "spec.groups.rules.alert") == ["A", "B"]
    assert field_values(data, "spec.missing") == []


def test_yaml_kind_finds_the_module_with_answer_values(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"deploy/kmm/module.yaml": MODULE})
    result = run_probe(
        "yaml_kind",
        project,
        paths="deploy/**/*.yaml",
        kind="Module",
        api_version="kmm.sigs.x-k8s.io",
        has_fields=["spec.selector", "spec.moduleLoader.container.kernelMappings"],
        field_values={"spec.moduleLoader.container.modprobe.moduleName": "${kernel_module_name}"},
    )
    assert result.passed, result.reason
    assert result.evidence == ("deploy/kmm/module.yaml",)


def test_yaml_kind_fails_with_the_wrong_value(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"deploy/module.yaml": MODULE}, kernel_module_name="other")
    result = run_probe(
        "yaml_kind",
        project,
        kind="Module",
        field_values={"spec.moduleLoader.container.modprobe.moduleName": "${kernel_module_name}"},
    )
    assert not result.passed
    assert "'acme_edu', expected 'other'" in result.reason


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"kind": "Module", "api_version": "kmm.sigs.x-k8s.io/v2"}, "no Module"),
        ({"kind": "DaemonSet"}, "no DaemonSet"),
        ({"kind": "Module", "has_fields": ["spec.devicePlugin"]}, "has no spec.devicePlugin"),
        ({"kind": "Module", "min_count": 2}, "need 2 matching"),
        ({"kind": "Module", "paths": "operator/**/*.yaml"}, "no file matches"),
    ],
)
def test_yaml_kind_failures_say_why(tmp_path: Path, options: dict, needle: str) -> None:
    result = run_probe("yaml_kind", make_project(tmp_path, {"deploy/m.yaml": MODULE}), **options)
    assert not result.passed
    assert needle in result.reason


def test_list_values_need_every_element_and_ignore_case(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"deploy/rule.yaml": RULE}, pci_device_ids=["11E8", "11e9"])
    path = "spec.rules.matchFeatures.matchExpressions.device.value"
    options = {"kind": "NodeFeatureRule", "field_values": {path: "${pci_device_ids}"}}
    assert not run_probe("yaml_kind", project, **options).passed
    assert run_probe("yaml_kind", project, **options, ignore_case=True).passed
    fewer = make_project(
        tmp_path / "p2", {"deploy/rule.yaml": RULE}, pci_device_ids=["11e8", "ffff"]
    )
    result = run_probe("yaml_kind", fewer, **options, ignore_case=True)
    assert not result.passed and "'ffff'" in result.reason


def test_broken_yaml_fails_with_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"deploy/m.yaml": MODULE, "deploy/bad.yaml": "a: 1\nb: [\n"})
    result = run_probe("yaml_kind", project, kind="Module")
    assert not result.passed
    assert "deploy/bad.yaml line" in result.reason


def test_document_fields_reads_json(tmp_path: Path) -> None:
    good = make_project(tmp_path / "a", {"monitoring/d.json": '{"title": "T", "panels": [{}]}'})
    bad = make_project(tmp_path / "b", {"monitoring/d.json": '{"title": "T", "panels": []}'})
    options = {"paths": "monitoring/*.json", "has_fields": ["title", "panels"]}
    assert run_probe("document_fields", good, **options).passed
    result = run_probe("document_fields", bad, **options)
    assert not result.passed and "has no panels" in result.reason
