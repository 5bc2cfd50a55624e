"""deploy/ and the root kustomization: NFD and KMM manifests that are valid by every real checker
and agree with each other and with the kernel module and driver container they deploy.

Expected values come from the rendered project's own answers file, through the template's names.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaffold.main import main
from scaffold.validate import SchemaStore, validate_paths
from scaffold.validate.documents import load_all
from scaffold.validate.kmm import image_reference_error
from tests.conftest import require_tool
from tests.template_ext import extension

pytestmark = pytest.mark.slow

# Answers near their limits: lines too long for yamllint unless the template wraps them, and a
# slug that leaves little room for the Module name under KMM's name-and-namespace limit.
LONG = {
    "project_slug": ("abcdefghij-" * 4)[: extension("rules").MAX_SLUG],  # the longest allowed
    "image_registry": "registry-with-a-long-hostname.internal.example.com:5000/org-name/images",
    "resource_name": "a-very-long-subdomain-label-for-these-tests.another-long-label.example.com/"
    + "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abc",
    "driver_build": "both",
}
RENDERS = [
    pytest.param(("default", {}), id="default"),
    pytest.param(("full", {"driver_build": "prebuilt"}), id="full-prebuilt"),
    pytest.param(("full", {"driver_build": "in-cluster"}), id="full-in-cluster"),
    pytest.param(("full", {"driver_build": "both"}), id="full-both"),
    pytest.param(("hostile", {}), id="hostile"),
    pytest.param(("full", LONG), id="full-long-names"),
]
KUSTOMIZATIONS = (".", "deploy/operators", "deploy/nfd", "deploy/kmm", "deploy/workload")
IN_CLUSTER = ("in-cluster", "both")


def answers_of(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return data


def names_of(project: Path) -> dict[str, Any]:
    derived: dict[str, Any] = extension("names").derive(answers_of(project))
    return derived


def objects(path: Path) -> list[dict[str, Any]]:
    """Kubernetes objects of one file or every YAML file under a directory."""
    files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    found = []
    for file in files:
        for document in load_all(file.read_text(encoding="utf-8")):
            if isinstance(document, dict) and document.get("kind") != "Kustomization":
                found.append(document)
    return found


def one(found: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    matching = [o for o in found if o["kind"] == kind]
    assert len(matching) == 1, f"{len(matching)} {kind} objects"
    return matching[0]


@pytest.fixture(params=RENDERS)
def project(request: pytest.FixtureRequest, render_session: Callable[..., Path]) -> Path:
    name, overrides = request.param
    return render_session(name, **overrides)


def kube_versions(project: Path) -> list[str]:
    names = names_of(project)
    return [f"1.{names['kube_minor_min']}", f"1.{names['kube_minor_max']}"]


def kustomize_build(project: Path, directory: str) -> str:
    kustomize = require_tool("kustomize")
    result = subprocess.run(
        [kustomize, "build", str(project / directory)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def kbuild_module(project: Path) -> str:
    """The module kbuild builds (``obj-m``), or the answer when there is no Kbuild yet."""
    kbuild = project / "kernel-module" / "Kbuild"
    if not kbuild.is_file():
        return str(answers_of(project)["kernel_module_name"])
    found = re.findall(r"^obj-m\s*[:+]?=\s*(\S+)\.o\s*$", kbuild.read_text(), re.MULTILINE)
    assert len(found) == 1, f"Kbuild builds {found}"
    return str(found[0])


# -- Every file parses strictly, lints and validates ----------------------------------------------


def test_yaml_parses_without_duplicate_keys_and_passes_yamllint(project: Path) -> None:
    files = [*sorted((project / "deploy").rglob("*.yaml")), project / "kustomization.yaml"]
    assert len(files) >= 12
    for file in files:
        assert load_all(file.read_text(encoding="utf-8")), file
    yamllint = require_tool("yamllint")
    result = subprocess.run(
        [yamllint, "--strict", "-f", "parsable", "-c", str(project / ".yamllint.yaml")]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_object_validates_strictly(
    project: Path, crds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = len(objects(project / "deploy"))
    code = main(["validate", str(project / "deploy"), "--crds", str(crds)])
    output = capsys.readouterr().out
    assert code == 0, output
    versions = ", ".join(kube_versions(project))
    assert f"in {count} object(s)" in output
    assert output.rstrip().endswith(f"Kubernetes {versions}")


def test_node_feature_rule_validates_against_both_crd_variants(
    project: Path, store: SchemaStore
) -> None:
    variants = store.lookup("nfd.k8s-sigs.io/v1alpha1", "NodeFeatureRule")
    scopes = sorted(variant.scope for variant in variants)
    assert scopes == ["Cluster", "Namespaced"], "upstream and OpenShift NodeFeatureRule CRDs"
    report = validate_paths([project / "deploy" / "nfd"], store, kube_versions(project))
    assert report.objects == 2
    assert report.problems == []


@pytest.mark.parametrize("directory", KUSTOMIZATIONS)
def test_kustomize_output_validates(
    project: Path, store: SchemaStore, directory: str, tmp_path: Path
) -> None:
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(kustomize_build(project, directory))
    assert objects(rendered)
    report = validate_paths([rendered], store, kube_versions(project))
    assert [p.line() for p in report.problems] == []


# -- The pieces agree with each other -------------------------------------------------------------


def test_module_agrees_with_answers_kernel_module_and_nfd_rule(project: Path) -> None:
    answers, names = answers_of(project), names_of(project)
    found = objects(project / "deploy")
    module, rule = one(found, "Module"), one(found, "NodeFeatureRule")
    spec = module["spec"]
    container = spec["moduleLoader"]["container"]
    modprobe = container["modprobe"]
    module_name = kbuild_module(project)
    assert modprobe["moduleName"] == module_name
    assert modprobe["dirName"] == "/opt"
    assert isinstance(modprobe["parameters"], list)
    if answers["with_firmware"]:
        assert modprobe["firmwarePath"] == names["firmware_dir_in_image"]
    else:
        assert "firmwarePath" not in modprobe

    (labels,) = [r["labels"] for r in rule["spec"]["rules"]]
    assert labels == {names["node_label"]: "true"}
    assert spec["selector"] == labels

    (mapping,) = container["kernelMappings"]
    assert mapping["regexp"] == names["kernel_mapping_regexp"]
    assert mapping["containerImage"] == f"{names['driver_image']}:${{KERNEL_FULL_VERSION}}"
    assert spec["imageRepoSecret"] == {"name": names["image_pull_secret"]}

    if answers["driver_build"] in IN_CLUSTER:
        assert container["build"] == {
            "dockerfileConfigMap": {"name": names["dockerfile_configmap"]}
        }
    else:
        assert "build" not in container

    if answers["secure_boot"]:
        sign = container["sign"]
        ko = f"/opt/lib/modules/${{KERNEL_FULL_VERSION}}/{module_name}.ko"
        assert sign["filesToSign"] == [ko]
        assert sign["keySecret"] == {"name": names["signing_key_secret"]}
        assert sign["certSecret"] == {"name": names["signing_cert_secret"]}
        if answers["driver_build"] == "prebuilt":
            assert (
                sign["unsignedImage"]
                == f"{names['driver_image']}:${{KERNEL_FULL_VERSION}}-unsigned"
            )
        else:
            assert "unsignedImage" not in sign
    else:
        assert "sign" not in container


def test_nfd_rule_matches_the_device_and_nfd_instance_lists_its_class(project: Path) -> None:
    answers = answers_of(project)
    found = objects(project / "deploy")
    (rule,) = one(found, "NodeFeatureRule")["spec"]["rules"]
    (term,) = rule["matchFeatures"]
    assert term["feature"] == "pci.device"
    expressions = term["matchExpressions"]
    device_class = answers["pci_device_class"].lower()
    assert expressions == {
        "vendor": {"op": "In", "value": [answers["pci_vendor_id"].lower()]},
        "device": {"op": "In", "value": [d.lower() for d in answers["pci_device_ids"]]},
        "class": {"op": "In", "value": [device_class]},
    }
    label = next(iter(rule["labels"]))
    assert label.startswith("feature.node.kubernetes.io/"), "a namespace NFD allows by default"
    config_text = one(found, "NodeFeatureDiscovery")["spec"]["workerConfig"]["configData"]
    (config,) = load_all(config_text)
    whitelist = config["sources"]["pci"]["deviceClassWhitelist"]
    assert any(device_class.startswith(prefix) for prefix in whitelist)


def test_device_plugin_and_workload_agree_on_resource_and_image(project: Path) -> None:
    answers, names = answers_of(project), names_of(project)
    module = one(objects(project / "deploy"), "Module")
    pod = one(objects(project / "deploy" / "workload"), "Pod")
    resources = pod["spec"]["containers"][0]["resources"]
    assert resources["limits"] == {answers["resource_name"]: "1"} == resources["requests"]
    if not answers["with_device_plugin"]:
        assert "devicePlugin" not in module["spec"]
        return
    plugin = module["spec"]["devicePlugin"]
    image = plugin["container"]["image"]
    assert image == f"{names['device_plugin_image']}:{names['image_tag']}"
    assert {"name": "RESOURCE_NAME", "value": answers["resource_name"]} in plugin["container"][
        "env"
    ]
    accounts = {
        o["metadata"]["name"] for o in objects(project / "deploy") if o["kind"] == "ServiceAccount"
    }
    assert {
        plugin["serviceAccountName"],
        module["spec"]["moduleLoader"]["serviceAccountName"],
    } <= accounts


def test_build_configmap_is_the_driver_containers_dockerfile(project: Path) -> None:
    answers, names = answers_of(project), names_of(project)
    built = yaml.safe_load_all(kustomize_build(project, "."))
    maps = [o for o in built if o and o["kind"] == "ConfigMap"]
    if answers["driver_build"] not in IN_CLUSTER:
        assert maps == []
        return
    (configmap,) = maps
    assert configmap["metadata"] == {
        "name": names["dockerfile_configmap"],
        "namespace": names["namespace"],
    }
    dockerfile = (project / "driver-container" / "Dockerfile").read_text(encoding="utf-8")
    assert configmap["data"] == {"dockerfile": dockerfile}
    assert "KERNEL_FULL_VERSION" in dockerfile and "DTK_AUTO" in dockerfile
    assert "/opt/lib/modules/${KERNEL_FULL_VERSION}" in dockerfile
    if answers["with_firmware"]:
        assert names["firmware_dir_in_image"] in dockerfile


def test_sample_workload_runs_under_restricted_pod_security(project: Path) -> None:
    found = objects(project / "deploy" / "workload")
    namespace, pod = one(found, "Namespace"), one(found, "Pod")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert pod["metadata"]["namespace"] == namespace["metadata"]["name"]
    spec = pod["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    for key in ("hostNetwork", "hostPID", "hostIPC", "volumes"):
        assert key not in spec
    for container in spec["containers"]:
        assert image_reference_error(container["image"]) == ""
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"] == {"drop": ["ALL"]}
        assert context.get("privileged", False) is False
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}


def test_readme_applies_every_kustomization_in_order(project: Path) -> None:
    from markdown_it import MarkdownIt

    text = (project / "deploy" / "README.md").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for token in MarkdownIt().parse(text)
        if token.type == "fence" and token.info == "sh"
        for line in token.content.splitlines()
    ]
    applied = [c.split()[-1] for c in commands if c.startswith("oc apply -k ")]
    assert applied == ["deploy/operators", ".", "deploy/workload"]
    for directory in applied:
        assert (project / directory / "kustomization.yaml").is_file()
    for c in commands:
        if c.startswith("oc apply -f "):
            assert (project / c.split()[-1]).is_file()


# -- KMM's regexps, compiled and matched by Go's own regexp package --------------------------------

GO_PROGRAM = """package main

import (
\t"encoding/json"
\t"fmt"
\t"os"
\t"regexp"
)

func main() {
\tvar cases []struct{ Pattern string; Kernels []string }
\tif err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
\t\tpanic(err)
\t}
\tout := map[string]map[string]bool{}
\tfor _, c := range cases {
\t\tre, err := regexp.Compile(c.Pattern)
\t\tif err != nil {
\t\t\tfmt.Fprintln(os.Stderr, err)
\t\t\tos.Exit(1)
\t\t}
\t\tout[c.Pattern] = map[string]bool{}
\t\tfor _, k := range c.Kernels {
\t\t\tout[c.Pattern][k] = re.MatchString(k)
\t\t}
\t}
\tjson.NewEncoder(os.Stdout).Encode(out)
}
"""
RHCOS_KERNELS = [
    "4.18.0-372.73.1.el8_6.x86_64",
    "5.14.0-284.25.1.el9_2.x86_64",
    "5.14.0-284.25.1.rt14.310.el9_2.x86_64",
    "5.14.0-427.13.1.el9_4.x86_64",
    "5.14.0-427.13.1.el9_4.x86_64+rt",
    "5.14.0-570.19.1.el9_6.aarch64+64k",
]
OTHER_KERNELS = ["6.8.0-45-generic", "6.10.5-200.fc40.x86_64", "6.1.0-26-amd64"]


def test_kernel_mapping_regexps_are_go_re2_and_match_rhcos_kernels(
    render_session: Callable[..., Path], tmp_path: Path
) -> None:
    go = require_tool("go")
    patterns = set()
    for ((name, overrides),) in [p.values for p in RENDERS]:
        module = one(objects(render_session(name, **overrides) / "deploy"), "Module")
        patterns |= {
            m["regexp"] for m in module["spec"]["moduleLoader"]["container"]["kernelMappings"]
        }
    program = tmp_path / "re2check.go"
    program.write_text(GO_PROGRAM)
    cases = [{"Pattern": p, "Kernels": RHCOS_KERNELS + OTHER_KERNELS} for p in sorted(patterns)]
    result = subprocess.run(
        [go, "run", str(program)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    for pattern, matches in json.loads(result.stdout).items():
        assert matches == {k: k in RHCOS_KERNELS for k in RHCOS_KERNELS + OTHER_KERNELS}, pattern


# -- The checker catches the mistakes the public samples make -------------------------------------


def test_validate_reports_the_public_samples_mistakes(
    render_session: Callable[..., Path],
    crds: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = render_session("full", driver_build="in-cluster")
    deploy = tmp_path / "deploy"
    shutil.copytree(project / "deploy", deploy)
    shutil.copy(project / ".copier-answers.yml", tmp_path)
    names = names_of(project)
    module_file = deploy / "kmm" / "module.yaml"
    module_text = module_file.read_text()
    # A worker selector whose value matches no node, and a label no NodeFeatureRule sets.
    wrong = (
        '"node-role.kubernetes.io/worker": "true"\n    "feature.node.kubernetes.io/x.present": "1"'
    )
    module_text = module_text.replace(f'"{names["node_label"]}": "true"', wrong)
    module_file.write_text(module_text)
    # A missing `---` that merges the ServiceAccount into the Module that follows.
    (deploy / "kmm" / "merged.yaml").write_text(
        (deploy / "kmm" / "rbac.yaml").read_text().split("---")[1] + module_text
    )
    # A ConfigMap with spec.data and the wrong key.
    (deploy / "kmm" / "configmap.yaml").write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {names['dockerfile_configmap']}\n"
        f"  namespace: {names['namespace']}\nspec:\n  data:\n    Dockerfile: FROM scratch\n"
        f"data:\n  Dockerfile: FROM scratch\n"
    )
    code = main(["validate", str(deploy), "--crds", str(crds), "-q"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 2
    rules = {line.rsplit("[", 1)[1].rstrip("]") for line in lines}
    assert "no-duplicate-keys" in rules
    assert "selector-node-role" in rules
    assert "selector-matches-nfd-rule" in rules
    assert "build-configmap-key" in rules
    assert any("'spec' was unexpected" in line and "ConfigMap/" in line for line in lines)
    assert all(line.startswith(str(deploy)) for line in lines)
