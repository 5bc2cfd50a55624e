"""The pieces of `scaffold validate`: strict CRD schemas, the duplicate-key loader, RE2, KMM's
admission rules and cross-references, on small hand-written inputs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from scaffold.validate.crd_schema import strict_schema
from scaffold.validate.documents import Document, DuplicateKeyError, load_all, read_documents
from scaffold.validate.kmm import image_reference_error, module_problems
from scaffold.validate.problems import Problem, json_path
from scaffold.validate.re2 import re2_error
from scaffold.validate.references import reference_problems

CRD_NODE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "maybe": {"type": "string", "nullable": True},
                "port": {"x-kubernetes-int-or-string": True},
                "free": {
                    "type": "object",
                    "x-kubernetes-preserve-unknown-fields": True,
                    "properties": {"known": {"type": "string"}},
                },
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "embedded": {
                    "type": "object",
                    "x-kubernetes-embedded-resource": True,
                    "properties": {"spec": {"type": "object", "properties": {}}},
                },
            },
        }
    },
}


def _errors(instance: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(strict_schema(CRD_NODE))
    return [error.message for error in validator.iter_errors(instance)]


def test_strict_schema_closes_objects_the_crd_leaves_open() -> None:
    assert _errors({"spec": {"count": 1}}) == []
    assert any("'cuont' was unexpected" in e for e in _errors({"spec": {"cuont": 1}}))
    assert _errors({"spec": {"labels": {"any": "thing"}}}) == []


def test_strict_schema_handles_nullable_int_or_string_and_extensions() -> None:
    assert _errors({"spec": {"maybe": None, "port": 80}}) == []
    assert _errors({"spec": {"port": "http"}}) == []
    assert _errors({"spec": {"port": 1.5}}) != []
    assert _errors({"spec": {"count": None}}) != []
    assert _errors({"spec": {"free": {"anything": {"goes": 1}}}}) == []
    embedded = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {}}
    assert _errors({"spec": {"embedded": embedded}}) == []
    assert _errors({"spec": {"embedded": {**embedded, "extra": 1}}}) != []


def test_strict_schema_does_not_change_its_input() -> None:
    before = copy.deepcopy(CRD_NODE)
    strict_schema(CRD_NODE)
    assert before == CRD_NODE


def test_loader_rejects_duplicate_keys_from_a_missing_document_separator() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\napiVersion: v1\nkind: Module\n"
    with pytest.raises(DuplicateKeyError, match="apiVersion"):
        load_all(text)
    assert load_all("a: 1\n---\na: 2\n") == [{"a": 1}, {"a": 2}]


def test_read_documents_skips_non_objects_and_flags_half_objects(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_text(
        "extends: default\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n"
        "---\nkind: ConfigMap\nmetadata: {name: b}\n---\n"
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    )
    documents, problems = read_documents(file)
    assert [(d.index, d.kind, d.name) for d in documents] == [(2, "ServiceAccount", "a")]
    assert [(p.document, p.rule) for p in problems] == [(3, "object-type")]


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ("^5\\.14\\.0-(?=427).*$", "look-ahead"),
        ("^(?<!x)a$", "look-behind"),
        ("(a)\\1", "back-reference"),
        ("a++", "possessive"),
        ("(?>a)", "atomic"),
        ("a\\Z", "\\Z"),
        ("a{1001}", "repeat count"),
        ("(a", "does not compile"),
    ],
)
def test_re2_rejects_what_go_regexp_rejects(pattern: str, fragment: str) -> None:
    assert fragment in re2_error(pattern)


@pytest.mark.parametrize(
    "pattern", ["^.+\\.el9_4\\.x86_64$", "\\d+\\z", "(?P<v>[0-9]+)", "(?i)el9", "\\pL+", "a{2,5}"]
)
def test_re2_accepts_go_syntax(pattern: str) -> None:
    assert re2_error(pattern) == ""


@pytest.mark.parametrize(
    ("image", "ok"),
    [
        ("quay.io/acme/driver:5.14", True),
        ("quay.io/acme/driver@sha256:" + "a" * 64, True),
        ("registry.example.com:5000/acme/driver", False),
        ("registry.example.com:5000/acme/driver:${KERNEL_FULL_VERSION}", True),
        ("quay.io/acme/driver", False),
    ],
)
def test_image_needs_a_tag_or_digest_and_a_port_is_not_a_tag(image: str, ok: bool) -> None:
    assert (image_reference_error(image) == "") is ok


def _module(**container: Any) -> Document:
    data = {
        "apiVersion": "kmm.sigs.x-k8s.io/v1beta1",
        "kind": "Module",
        "metadata": {"name": "edu", "namespace": "acme"},
        "spec": {
            "selector": {"feature.node.kubernetes.io/edu.present": "true"},
            "moduleLoader": {
                "container": {
                    "modprobe": {"moduleName": "edu", "dirName": "/opt"},
                    "kernelMappings": [{"regexp": "^.+$", "containerImage": "q.io/a/d:1"}],
                    **container,
                }
            },
        },
    }
    return Document(Path("module.yaml"), 1, data)


def _rules(document: Document) -> list[str]:
    return [problem.rule for problem in module_problems(document)]


def test_a_good_module_breaks_no_admission_rule() -> None:
    assert _rules(_module()) == []


def test_kernel_mapping_needs_exactly_one_of_regexp_and_literal() -> None:
    both = [{"regexp": "^a$", "literal": "a", "containerImage": "q.io/a/d:1"}]
    neither = [{"containerImage": "q.io/a/d:1"}]
    assert _rules(_module(kernelMappings=both)) == ["kmm:regexp-xor-literal"]
    assert _rules(_module(kernelMappings=neither)) == ["kmm:regexp-xor-literal"]


def test_modules_loading_order_rules() -> None:
    def order(modules: list[str]) -> list[str]:
        modprobe = {"moduleName": "edu", "modulesLoadingOrder": modules}
        return _rules(_module(modprobe=modprobe))

    assert order(["edu", "dep"]) == []
    assert order(["edu"]) == ["kmm:loading-order"]
    assert order(["dep", "edu"]) == ["kmm:loading-order"]
    assert order(["edu", "dep", "dep"]) == ["kmm:loading-order"]
    assert _rules(_module(modprobe={"modulesLoadingOrder": ["a", "b"]})) == [
        "kmm:modprobe-args",
        "kmm:loading-order",
    ]


def test_sign_needs_files_under_dir_name() -> None:
    sign = {"keySecret": {"name": "k"}, "certSecret": {"name": "c"}}
    assert _rules(_module(sign=sign)) == ["kmm:sign-files"]
    outside = {**sign, "filesToSign": ["/lib/modules/x/edu.ko"]}
    assert _rules(_module(sign=outside)) == ["kmm:sign-files"]
    inside = {**sign, "filesToSign": ["/opt/lib/modules/${KERNEL_FULL_VERSION}/edu.ko"]}
    assert _rules(_module(sign=inside)) == []


def test_name_and_namespace_fit_kmm_limit() -> None:
    document = _module()
    document.data["metadata"] = {"name": "m" * 21, "namespace": "n" * 20}
    assert _rules(document) == ["kmm:name-length"]


def _object(kind: str, api: str, name: str, namespace: str = "", **body: Any) -> Document:
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return Document(
        Path(f"{name}.yaml"), 1, {"apiVersion": api, "kind": kind, "metadata": metadata, **body}
    )


def _rule(label: str, device_class: str = "1200") -> Document:
    expressions = {
        "vendor": {"op": "In", "value": ["1234"]},
        "class": {"op": "In", "value": [device_class]},
    }
    rule = {
        "name": "r",
        "labels": {label: "true"},
        "matchFeatures": [{"feature": "pci.device", "matchExpressions": expressions}],
    }
    return _object("NodeFeatureRule", "nfd.k8s-sigs.io/v1alpha1", "r", spec={"rules": [rule]})


def test_module_selector_must_be_a_label_a_rule_sets() -> None:
    module = _module()
    assert reference_problems([module, _rule("feature.node.kubernetes.io/edu.present")]) == []
    problems = reference_problems([module, _rule("feature.node.kubernetes.io/other.present")])
    assert [p.rule for p in problems] == ["selector-matches-nfd-rule"]
    assert problems[0].path == ("spec", "selector", "feature.node.kubernetes.io/edu.present")
    # A rule label without a namespace gets NFD's default one.
    assert reference_problems([module, _rule("edu.present")]) == []


def test_worker_selector_value_must_match_node_role_labels() -> None:
    module = _module()
    module.data["spec"]["selector"] = {"node-role.kubernetes.io/worker": "true"}
    assert [p.rule for p in reference_problems([module])] == ["selector-node-role"]


def test_build_configmap_must_hold_dockerfile_key() -> None:
    module = _module(build={"dockerfileConfigMap": {"name": "df"}})
    good = _object("ConfigMap", "v1", "df", "acme", data={"dockerfile": "FROM x\n"})
    bad = _object("ConfigMap", "v1", "df", "acme", data={"Dockerfile": "FROM x\n"})
    assert reference_problems([module, good]) == []
    assert [p.rule for p in reference_problems([module, bad])] == ["build-configmap-key"]


def test_nfd_whitelist_must_cover_rule_classes() -> None:
    def nfd(whitelist: list[str]) -> Document:
        config = yaml.safe_dump({"sources": {"pci": {"deviceClassWhitelist": whitelist}}})
        return _object(
            "NodeFeatureDiscovery",
            "nfd.openshift.io/v1",
            "nfd",
            "openshift-nfd",
            spec={"workerConfig": {"configData": config}},
        )

    rule = _rule("feature.node.kubernetes.io/x.present", "1200")
    assert reference_problems([nfd(["03", "12"]), rule]) == []
    assert [p.rule for p in reference_problems([nfd(["03"]), rule])] == ["nfd-class-whitelist"]


def test_problem_line_names_file_document_object_path_and_rule(tmp_path: Path) -> None:
    problem = Problem(
        tmp_path / "deploy" / "m.yaml",
        2,
        "kmm:image-tag",
        "no tag",
        ("spec", "x", 0),
        "Module",
        "edu",
    )
    line = problem.line(tmp_path)
    assert line == "deploy/m.yaml: document 2: Module/edu: $.spec.x[0]: no tag [kmm:image-tag]"
    assert json_path(["spec", "selector", "a.b/c"]) == "$.spec.selector['a.b/c']"


@pytest.mark.parametrize(
    ("toleration", "ok"),
    [
        (
            {
                "key": "acme.com/dedicated",
                "operator": "Equal",
                "value": "x",
                "effect": "NoSchedule",
            },
            True,
        ),
        ({"operator": "Exists"}, True),
        ({"operator": "Equal", "value": "x"}, False),
        ({"key": "k", "operator": "Exists", "value": "x"}, False),
        ({"key": "k", "operator": "In"}, False),
        ({"key": "k", "effect": "NoSchedule", "tolerationSeconds": 5}, False),
        ({"key": "bad key"}, False),
        ({"key": "k", "effect": "Sometimes"}, False),
    ],
)
def test_module_tolerations_follow_kmm_rules(toleration: dict[str, Any], ok: bool) -> None:
    document = _module()
    document.data["spec"]["tolerations"] = [toleration]
    assert (_rules(document) == []) is ok
    if not ok:
        assert set(_rules(document)) == {"kmm:toleration"}


def test_device_plugin_init_container_probes_and_host_paths() -> None:
    document = _module()
    document.data["spec"]["devicePlugin"] = {
        "container": {"image": "q.io/a/dp:1"},
        "initContainer": {"image": "q.io/a/init:1", "livenessProbe": {}},
        "volumes": [{"name": "v", "hostPath": {"path": "/etc/../etc/kubernetes"}}],
    }
    assert _rules(document) == ["kmm:init-container-probe", "kmm:device-plugin-host-path"]
    document.data["spec"]["devicePlugin"]["initContainer"] = {"image": "q.io/a/init:1"}
    document.data["spec"]["devicePlugin"]["volumes"] = [{"name": "v", "hostPath": {"path": "/dev"}}]
    assert _rules(document) == []
