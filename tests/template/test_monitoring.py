"""monitoring/: PrometheusRules that promtool accepts and whose checked-in unit tests pass, scrape
objects and a GrafanaDashboard valid against their CRDs, and a dashboard that queries only metrics
something defines.

Expected values come from the rendered project's answers file, through the template's names, or
are computed here the way kube-state-metrics and Prometheus compute them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaffold.main import main
from scaffold.validate import SchemaStore, validate_paths
from scaffold.validate.documents import load_all
from tests.conftest import answer_set, require_tool
from tests.template_ext import extension

pytestmark = pytest.mark.slow

# Answers near their limits (the longest slug, a long resource name) and a product name holding
# Go template code, which the rules must print rather than run.
LONG = {
    "project_slug": ("abcdefghij-" * 4)[: extension("rules").MAX_SLUG],
    "resource_name": "a-very-long-subdomain-label-for-these-tests.another-long-label.example.com/"
    + "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abc",
}
TEMPLATE_CODE = {"product_name": 'Card {{ .Name }} "X" }} {{'}
RENDERS = [
    pytest.param(("default", {}), id="default"),
    pytest.param(("hostile", {}), id="hostile"),
    pytest.param(("default", {"with_device_plugin": False}), id="no-device-plugin"),
    pytest.param(("full", LONG), id="full-long-names"),
    pytest.param(("default", TEMPLATE_CODE), id="template-code-in-product-name"),
]
SEVERITIES = {"warning", "critical"}
# kube-state-metrics series OpenShift's monitoring collects (cluster-monitoring-operator's
# kube-state-metrics configuration), and Prometheus' own series.
KNOWN_METRICS = {
    "kube_node_labels",
    "kube_node_info",
    "kube_node_status_allocatable",
    "kube_node_status_capacity",
    "kube_daemonset_status_desired_number_scheduled",
    "kube_daemonset_status_number_available",
    "kube_pod_status_phase",
    "kube_pod_status_ready",
    "kube_pod_info",
    "kube_pod_labels",
    "kube_pod_container_status_restarts_total",
    "ALERTS",
    "up",
}
PROMQL_WORDS = {
    "sum",
    "count",
    "max",
    "min",
    "avg",
    "rate",
    "increase",
    "absent",
    "vector",
    "or",
    "and",
    "unless",
    "by",
    "on",
    "without",
    "ignoring",
    "group_left",
    "group_right",
    "label_values",
}


def answers_of(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return data


def names_of(project: Path) -> dict[str, Any]:
    derived: dict[str, Any] = extension("names").derive(answers_of(project))
    return derived


def ksm_label(text: str) -> str:
    """A Kubernetes name as kube-state-metrics writes it into a label name or value."""
    return re.sub(r"[^a-zA-Z0-9_]", "_", text)


def objects(path: Path) -> list[dict[str, Any]]:
    files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    found = []
    for file in files:
        for document in load_all(file.read_text(encoding="utf-8")):
            is_object = isinstance(document, dict) and "apiVersion" in document
            if is_object and document["kind"] != "Kustomization":
                found.append(document)
    return found


def rule_files(project: Path) -> dict[str, dict[str, Any]]:
    """The PrometheusRules, by the name of their file (``alerts``, ``nodes``)."""
    found = {}
    for file in sorted((project / "monitoring").glob("prometheusrule-*.yaml")):
        (document,) = load_all(file.read_text(encoding="utf-8"))
        assert document["kind"] == "PrometheusRule", file
        found[file.stem.removeprefix("prometheusrule-")] = document
    return found


def all_rules(project: Path) -> list[dict[str, Any]]:
    return [
        rule
        for document in rule_files(project).values()
        for group in document["spec"]["groups"]
        for rule in group["rules"]
    ]


def extract_rule_groups(monitoring: Path) -> list[Path]:
    """Write each PrometheusRule's .spec to build/<name>.rules.json, as `make test` does."""
    build = monitoring / "build"
    build.mkdir(exist_ok=True)
    written = []
    for name, document in rule_files(monitoring.parent).items():
        target = build / f"{name}.rules.json"
        target.write_text(json.dumps(document["spec"], indent=2))
        written.append(target)
    return written


def copy_monitoring(project: Path, tmp_path: Path) -> Path:
    """A writable copy of the project's monitoring/ (the rendered project is shared)."""
    root = tmp_path / "project"
    shutil.copytree(project / "monitoring", root / "monitoring")
    shutil.copy(project / ".copier-answers.yml", root)
    shutil.copy(project / ".yamllint.yaml", root)
    return root / "monitoring"


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture(params=RENDERS)
def project(request: pytest.FixtureRequest, render_session: Callable[..., Path]) -> Path:
    name, overrides = request.param
    return render_session(name, **overrides)


# -- The component exists with its switch ---------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
def test_folder_exists_iff_the_switch_is_on(
    render_session: Callable[..., Path], enabled: bool
) -> None:
    project = render_session("default", with_monitoring=enabled)
    assert answers_of(project)["with_monitoring"] is enabled
    assert (project / "monitoring").is_dir() is enabled
    if enabled:
        for name in ("Makefile", "README.md", "kustomization.yaml", "dashboard.json"):
            assert (project / "monitoring" / name).is_file(), name


def test_device_plugin_objects_exist_iff_the_device_plugin_does(project: Path) -> None:
    with_plugin = answers_of(project)["with_device_plugin"]
    monitoring = project / "monitoring"
    for name in ("service.yaml", "servicemonitor.yaml", "prometheusrule-nodes.yaml"):
        assert (monitoring / name).is_file() is with_plugin, name
    assert (monitoring / "tests" / "nodes.test.yaml").is_file() is with_plugin
    metrics = {f"{names_of(project)['metrics_prefix']}_devices", "kube_node_status_allocatable"}
    text = (monitoring / "prometheusrule-alerts.yaml").read_text() + (
        monitoring / "dashboard.json"
    ).read_text()
    assert any(m in text for m in metrics) is with_plugin


# -- promtool -------------------------------------------------------------------------------------


def test_promtool_checks_every_rule_group(project: Path, tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    monitoring = copy_monitoring(project, tmp_path)
    for path in extract_rule_groups(monitoring):
        count = sum(len(g["rules"]) for g in yaml.safe_load(path.read_text())["groups"])
        result = run([promtool, "check", "rules", str(path)])
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"SUCCESS: {count} rules found" in result.stdout


def test_promtool_unit_tests_pass_and_cover_every_alert(project: Path, tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    monitoring = copy_monitoring(project, tmp_path)
    extract_rule_groups(monitoring)
    tests = sorted((monitoring / "tests").glob("*.yaml"))
    assert [t.name.removesuffix(".test.yaml") for t in tests] == sorted(rule_files(project))
    result = run([promtool, "test", "rules", *[t.name for t in tests]], cwd=monitoring / "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(tests)

    fires, silent = set(), set()
    for test_file in tests:
        for case in yaml.safe_load(test_file.read_text())["tests"]:
            for check in case.get("alert_rule_test", []):
                (fires if check["exp_alerts"] else silent).add(check["alertname"])
    alerts = {r["alert"] for r in all_rules(project) if "alert" in r}
    assert alerts
    assert fires == alerts, "every alert has a case where it fires"
    assert silent == alerts, "every alert has a case where it stays silent"


def test_promtool_notices_a_wrong_expectation(
    render_session: Callable[..., Path], tmp_path: Path
) -> None:
    """The unit tests are not vacuous: a changed expected annotation or label fails them."""
    promtool = require_tool("promtool")
    monitoring = copy_monitoring(render_session("default"), tmp_path)
    extract_rule_groups(monitoring)
    test_file = monitoring / "tests" / "alerts.test.yaml"
    original = test_file.read_text()
    for old, new in (("worker-1", "worker-9"), ("severity: critical", "severity: warning")):
        assert old in original
        test_file.write_text(original.replace(old, new, 1))
        result = run([promtool, "test", "rules", test_file.name], cwd=test_file.parent)
        assert result.returncode != 0, f"{old} -> {new} went unnoticed"


def test_expected_alerts_carry_what_the_answers_say(project: Path) -> None:
    answers, names = answers_of(project), names_of(project)
    product = answers["product_name"]
    seen = 0
    for test_file in sorted((project / "monitoring" / "tests").glob("*.yaml")):
        for case in yaml.safe_load(test_file.read_text())["tests"]:
            for check in case.get("alert_rule_test", []):
                for alert in check["exp_alerts"]:
                    seen += 1
                    labels, annotations = alert["exp_labels"], alert["exp_annotations"]
                    assert labels["severity"] in SEVERITIES
                    assert labels.get("namespace") == answers["project_slug"]
                    assert annotations["summary"].startswith(f"{product}: ")
                    assert annotations["description"]
                    anchor = check["alertname"].lower()
                    assert annotations["runbook_url"] == (
                        f"https://{answers['go_module']}/blob/main/monitoring/README.md#{anchor}"
                    )
                    assert check["alertname"].startswith(names["alert_prefix"])
    assert seen >= 2


def test_rules_read_the_series_the_answers_name(project: Path) -> None:
    answers, names = answers_of(project), names_of(project)
    slug = answers["project_slug"]
    readme = (project / "monitoring" / "README.md").read_text(encoding="utf-8")
    files = rule_files(project)
    for name, document in files.items():
        assert document["metadata"]["namespace"] == slug
        for group in document["spec"]["groups"]:
            for rule in group["rules"]:
                assert f'namespace="{slug}"' in rule["expr"] or name == "nodes"
                if "alert" not in rule:
                    continue
                assert rule["labels"]["severity"] in SEVERITIES
                assert {"summary", "description", "runbook_url"} <= set(rule["annotations"])
                assert f"\n### {rule['alert']}\n" in readme, "the runbook_url anchor exists"
                if name == "nodes":
                    assert rule["labels"]["namespace"] == slug
    if answers["with_device_plugin"]:
        exprs = "\n".join(r["expr"] for r in all_rules(project))
        assert f'resource="{ksm_label(answers["resource_name"])}"' in exprs
        node_label = f"feature.node.kubernetes.io/{slug}.present"
        assert f'label_{ksm_label(node_label)}="true"' in exprs
        (module,) = [o for o in objects(project / "deploy" / "kmm") if o["kind"] == "Module"]
        # KMM creates the DaemonSet with GenerateName <module>-device-plugin-.
        found = re.findall(r'daemonset=~"([^"]+)"', exprs)
        assert found
        for pattern in found:
            assert re.fullmatch(pattern, f"{module['metadata']['name']}-device-plugin-x7k2q")
            assert not re.fullmatch(pattern, f"{module['metadata']['name']}-other")
        assert f'job="{names["device_plugin_metrics_service"]}"' in exprs


# -- Kubernetes objects ---------------------------------------------------------------------------


def test_manifests_validate_strictly(
    project: Path, crds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = objects(project / "monitoring")
    expected = 5 if answers_of(project)["with_device_plugin"] else 2
    assert len(found) == expected
    code = main(["validate", str(project / "monitoring"), "--crds", str(crds)])
    output = capsys.readouterr().out
    assert code == 0, output
    assert f"0 problem(s) in {expected} object(s)" in output


def test_kustomize_output_validates_and_the_dashboard_has_one_source(
    project: Path, store: SchemaStore, tmp_path: Path
) -> None:
    kustomize = require_tool("kustomize")
    result = run([kustomize, "build", str(project / "monitoring")])
    assert result.returncode == 0, result.stderr
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(result.stdout)
    names = names_of(project)
    versions = [f"1.{names['kube_minor_min']}", f"1.{names['kube_minor_max']}"]
    report = validate_paths([rendered], store, versions)
    assert [p.line() for p in report.problems] == []
    built = objects(rendered)
    assert {o["metadata"]["namespace"] for o in built} == {names["namespace"]}

    (configmap,) = [o for o in built if o["kind"] == "ConfigMap"]
    (dashboard,) = [o for o in built if o["kind"] == "GrafanaDashboard"]
    ref = dashboard["spec"]["configMapRef"]
    assert ref["name"] == configmap["metadata"]["name"]
    source = (project / "monitoring" / "dashboard.json").read_text(encoding="utf-8")
    assert configmap["data"] == {ref["key"]: source}
    uid = dashboard["spec"]["uid"]
    assert uid == json.loads(source)["uid"]
    assert re.fullmatch(r"[a-zA-Z0-9_-]{1,40}", uid)
    assert dashboard["spec"]["folder"] == answers_of(project)["product_name"]


def test_service_monitor_scrapes_the_device_plugin_pods_kmm_starts(project: Path) -> None:
    answers, names = answers_of(project), names_of(project)
    found = objects(project / "monitoring")
    if not answers["with_device_plugin"]:
        assert {o["kind"] for o in found} == {"PrometheusRule", "GrafanaDashboard"}
        return
    (service,) = [o for o in found if o["kind"] == "Service"]
    (monitor,) = [o for o in found if o["kind"] == "ServiceMonitor"]
    (module,) = [o for o in objects(project / "deploy" / "kmm") if o["kind"] == "Module"]
    # KMM labels the device plugin's pods, and its worker pods, with the Module's name.
    assert service["spec"]["selector"] == {
        "kmm.node.kubernetes.io/module.name": module["metadata"]["name"],
    }
    assert service["metadata"]["namespace"] == module["metadata"]["namespace"]
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == port["port"] == names["device_plugin_metrics_port"]
    labels = service["metadata"]["labels"]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["port"] == port["name"]
    assert endpoint["path"] == "/metrics"
    relabel = {
        r["targetLabel"]: r["sourceLabels"] for r in endpoint["relabelings"] if "targetLabel" in r
    }
    assert relabel["node"] == ["__meta_kubernetes_pod_node_name"]
    dropped = {
        (tuple(r["sourceLabels"]), r["regex"])
        for r in endpoint["relabelings"]
        if r["action"] == "drop"
    }
    # KMM's worker pods carry app.kubernetes.io/component=worker and serve no metrics.
    assert (("__meta_kubernetes_pod_label_app_kubernetes_io_component",), "worker") in dropped


def test_yamllint_strict(project: Path) -> None:
    yamllint = require_tool("yamllint")
    result = run(
        [yamllint, "--strict", "-f", "parsable", "-c", str(project / ".yamllint.yaml"), "."],
        cwd=project / "monitoring",
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- The dashboard --------------------------------------------------------------------------------


def _metric_names(expr: str) -> set[str]:
    """The metric names of a PromQL expression (or a Grafana label_values() query)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)  # string literals
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range selectors
    text = re.sub(r"\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r",\s*[a-z_]+\)", ")", text)  # label_values(metric, label)
    tokens = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text))
    return {t for t in tokens if t not in PROMQL_WORDS}


def test_dashboard_queries_only_defined_metrics(project: Path) -> None:
    answers, names = answers_of(project), names_of(project)
    dashboard = json.loads((project / "monitoring" / "dashboard.json").read_text())
    assert dashboard["title"] == answers["product_name"]
    assert dashboard["uid"] == answers["project_slug"][:40]
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels) >= 5
    exprs = [t["expr"] for p in panels for t in p["targets"]]
    exprs += [v["definition"] for v in dashboard["templating"]["list"] if "definition" in v]

    defined = set(KNOWN_METRICS) | {r["record"] for r in all_rules(project) if "record" in r}
    if answers["with_device_plugin"]:
        prefix = answers["kernel_module_name"]
        defined |= {f"{prefix}_devices", f"{prefix}_allocations_total"}
    used = set().union(*(_metric_names(e) for e in exprs))
    assert used, exprs
    assert used <= defined, used - defined
    assert all(
        t["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        for p in panels
        for t in p["targets"]
    )
    alerts_query = next(e for e in exprs if e.startswith("ALERTS"))
    assert f'alertname=~"{names["alert_prefix"]}.*"' in alerts_query


def test_dashboard_queries_are_promql(project: Path, tmp_path: Path) -> None:
    """promtool parses every panel query, as the expression of a recording rule ($node: any)."""
    promtool = require_tool("promtool")
    dashboard = json.loads((project / "monitoring" / "dashboard.json").read_text())
    exprs = [t["expr"].replace("$node", ".*") for p in dashboard["panels"] for t in p["targets"]]
    rules = [{"record": f"dashboard:query_{i}:check", "expr": e} for i, e in enumerate(exprs)]
    path = tmp_path / "dashboard.rules.json"
    path.write_text(json.dumps({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = run([promtool, "check", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(exprs)} rules found" in result.stdout


def test_dashboard_metric_name_parser() -> None:
    assert _metric_names(
        'sum by (node) (rate(a_total{x="y"}[5m])) / on (node) group_left () b:c:sum'
    ) == {"a_total", "b:c:sum"}
    assert _metric_names('label_values(kube_node_labels{l="true"}, node)') == {"kube_node_labels"}


# -- The component's own Makefile -----------------------------------------------------------------


def test_make_test_and_lint_pass(project: Path, tmp_path: Path) -> None:
    tools = {
        "PROMTOOL": require_tool("promtool"),
        "YAMLLINT": require_tool("yamllint"),
        "KUSTOMIZE": require_tool("kustomize"),
        "PYTHON": sys.executable,
    }
    monitoring = copy_monitoring(project, tmp_path)
    args = [require_tool("make"), "test", "lint", *[f"{k}={v}" for k, v in tools.items()]]
    result = run(args, cwd=monitoring)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (monitoring / "build").iterdir()) == sorted(
        f"{name}.rules.json" for name in rule_files(project)
    )


def test_answer_sets_used_here_differ_where_it_matters() -> None:
    """The renders above cover a product name with quotes and one with Go template code."""
    assert "'" in answer_set("hostile")["product_name"]
    assert "{{" in TEMPLATE_CODE["product_name"]
