"""`scaffold validate` end to end on a tiny CRD: exit codes, one line per problem, options."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.main import main

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer}
"""

GOOD = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: demo
spec:
  size: 3
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
  namespace: demo
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds" / "widgets.yaml").write_text(CRD)
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "good.yaml").write_text(GOOD)
    return tmp_path


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out.splitlines()


def test_valid_manifests_exit_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _run(
        [str(tree / "manifests"), "--crds", str(tree / "crds"), "--kube-version", "1.29"], capsys
    )
    assert code == 0
    assert lines == ["ok: 0 problem(s) in 2 object(s) from 1 file(s); Kubernetes 1.29"]


def test_each_problem_is_one_line_and_exit_is_two(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = GOOD.replace("size: 3", "size: big\n  colour: red").replace("  namespace: demo\n", "", 1)
    bad += "automountToken: true\n"
    (tree / "manifests" / "good.yaml").write_text(bad)
    code, lines = _run(
        [str(tree / "manifests"), "--crds", str(tree / "crds"), "--kube-version", "1.29", "-q"],
        capsys,
    )
    assert code == 2
    assert len(lines) == 3
    widget = [line for line in lines if "Widget/w" in line]
    assert any("$.spec.size: 'big' is not of type 'integer'" in line for line in widget)
    assert any("'colour' was unexpected" in line for line in widget)
    assert all("good.yaml: document 1: Widget/w: $.spec" in line for line in widget)
    assert all("[schema:widgets.yaml]" in line for line in widget)
    (builtin,) = [line for line in lines if "ServiceAccount/sa" in line]
    assert "document 2" in builtin and "'automountToken' was unexpected" in builtin
    assert builtin.endswith("[kubernetes-1.29]")


def test_a_custom_resource_without_its_crd_is_a_problem(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _run([str(tree / "manifests"), "--kube-version", "1.29", "-q"], capsys)
    assert code == 2
    assert len(lines) == 1
    assert "Widget/w" in lines[0] and "no-schema" in lines[0]


def test_kubernetes_versions_come_from_the_project_answers(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / ".copier-answers.yml").write_text("openshift_versions: 4.16-4.20\n")
    code, lines = _run([str(tree / "manifests"), "--crds", str(tree / "crds")], capsys)
    assert code == 0
    assert lines[-1].endswith("Kubernetes 1.29, 1.33")


def test_versions_fall_back_to_the_current_directory(
    tree: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """``kustomize build . > /tmp/x.yaml; scaffold validate /tmp/x.yaml`` from a project."""
    (tree / ".copier-answers.yml").write_text("openshift_versions: 4.14-4.21\n")
    built = tmp_path_factory.mktemp("elsewhere") / "built.yaml"
    built.write_text(GOOD)
    monkeypatch.chdir(tree)
    code, lines = _run([str(built), "--crds", str(tree / "crds")], capsys)
    assert code == 0
    assert lines == ["ok: 0 problem(s) in 2 object(s) from 1 file(s); Kubernetes 1.27, 1.34"]


def test_bad_options_are_user_errors(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    assert main(["validate", str(tree / "nowhere"), "--kube-version", "1.29"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert (
        main(
            [
                "validate",
                str(tree / "manifests"),
                "--crds",
                str(tree / "manifests"),
                "--kube-version",
                "1.29",
            ]
        )
        == 1
    )
    assert "no CustomResourceDefinition" in capsys.readouterr().err
    assert main(["validate", str(tree / "manifests"), "--crds", str(tree / "crds")]) == 1
    assert "--kube-version" in capsys.readouterr().err


def test_an_undefined_crd_version_is_named(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "manifests" / "good.yaml").write_text(GOOD.replace("example.com/v1", "example.com/v2"))
    code, lines = _run(
        [str(tree / "manifests"), "--crds", str(tree / "crds"), "--kube-version", "1.29", "-q"],
        capsys,
    )
    assert code == 2
    assert lines == [
        f"{tree / 'manifests' / 'good.yaml'}: document 1: Widget/w: $.apiVersion: "
        "the CRDs define Widget in v1 only [crd-version]"
    ]
