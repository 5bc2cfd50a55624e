"""Names the monitoring component adds: valid where Prometheus, kube-state-metrics and Grafana
put them, and computed the way those tools compute them."""

from __future__ import annotations

import re

import pytest

from tests.unit.test_names import _answers, names

SETS = ["default", "full", "hostile"]


@pytest.mark.parametrize("name", SETS)
def test_alert_prefix_is_the_slug_in_camel_case(name: str) -> None:
    answers = _answers(name)
    prefix = names.derive(answers)["alert_prefix"]
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", prefix)
    assert prefix.lower() == str(answers["project_slug"]).replace("-", "")


def test_alert_prefix_of_the_default_answers() -> None:
    assert names.derive(_answers("default"))["alert_prefix"] == "AcmeEduAccelerator"


@pytest.mark.parametrize("name", SETS)
def test_kube_state_metrics_forms_of_resource_and_node_label(name: str) -> None:
    answers = _answers(name)
    derived = names.derive(answers)
    resource = (
        answers.get("resource_name") or f"{answers['vendor_domain']}/{answers['project_slug']}"
    )
    assert derived["kube_resource_label"] == re.sub(r"[^a-zA-Z0-9_]", "_", resource)
    label = derived["node_label_metric_label"]
    assert re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", label)  # a Prometheus label name
    assert label == "label_" + re.sub(r"[./-]", "_", derived["node_label"])


def test_resource_label_of_the_default_answers() -> None:
    assert names.derive(_answers("default"))["kube_resource_label"] == (
        "acme_com_acme_edu_accelerator"
    )


@pytest.mark.parametrize("name", SETS)
def test_objects_and_dashboard_uid(name: str) -> None:
    answers = _answers(name)
    derived = names.derive(answers)
    daemonset = f"{derived['kmm_module_name']}-device-plugin"
    assert derived["device_plugin_daemonset"] == daemonset
    pattern = derived["device_plugin_daemonset_regexp"]  # RE2, anchored by Prometheus
    assert re.fullmatch(pattern, daemonset)
    assert re.fullmatch(pattern, f"{daemonset}-x7k2q")  # KMM's GenerateName suffix
    assert not re.fullmatch(pattern, f"{daemonset}-x7k2q-extra-")
    assert not re.fullmatch(pattern, f"other-{daemonset}")
    for key in (
        "device_plugin_metrics_service",
        "dashboard_configmap",
        "node_prometheus_rule_name",
    ):
        assert re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])?", derived[key]), key
        assert len(derived[key]) <= 63, key
    assert re.fullmatch(r"[a-zA-Z0-9_-]{1,40}", derived["dashboard_uid"])
    assert derived["runbook_url"].startswith("https://")
    assert derived["runbook_url"].endswith("/monitoring/README.md")
