"""go_symbol, go_import and kbuild_module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checklist.helpers import make_project, run_probe

PLUGIN = """\
package plugin

import (
\t"context"

\tapi "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

type (
\tServer struct{}
\tOption func(*Server)
)

const ResourceName = "acme.com/edu"

func New() *Server { return &Server{} }

func (s *Server) ListAndWatch(e *api.Empty, st api.DevicePlugin_ListAndWatchServer) error {
\treturn nil
}
"""


@pytest.mark.parametrize(
    ("symbol", "kind", "passed"),
    [
        ("ListAndWatch", "method", True),
        ("Server.ListAndWatch", "any", True),
        ("New", "func", True),
        ("Server", "type", True),
        ("ResourceName", "const", True),
        ("Allocate", "method", False),
        ("ListAndWatch", "func", False),  # a method is not a plain function
        ("Other.ListAndWatch", "any", False),
    ],
)
def test_go_symbol(tmp_path: Path, symbol: str, kind: str, passed: bool) -> None:
    project = make_project(tmp_path, {"device-plugin/server.go": PLUGIN})
    result = run_probe(
        "go_symbol", project, paths="device-plugin/**/*.go", symbol=symbol, kind=kind
    )
    assert result.passed is passed, result.reason


def test_go_symbol_rejects_an_unknown_kind(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.go": PLUGIN})
    result = run_probe("go_symbol", project, symbol="New", kind="function")
    assert not result.passed and "kind must be one of" in result.reason


def test_go_import(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"device-plugin/server.go": PLUGIN})
    assert run_probe(
        "go_import", project, package="k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
    ).passed
    result = run_probe(
        "go_import", project, package="github.com/prometheus/client_golang/prometheus"
    )
    assert not result.passed and "no Go file imports" in result.reason


@pytest.mark.parametrize(
    ("kbuild", "passed"),
    [
        ("obj-m += acme_edu.o\nacme_edu-y := main.o pci.o\n", True),
        ("obj-m := other.o \\\n\tacme_edu.o\n", True),
        ("obj-$(CONFIG_ACME) += acme_edu.o\n", True),
        ("obj-y += acme_edu.o\n", False),  # built in, not a loadable module
        ("obj-m += acme.o\n", False),
    ],
)
def test_kbuild_module_uses_the_answer_by_default(
    tmp_path: Path, kbuild: str, passed: bool
) -> None:
    project = make_project(
        tmp_path, {"kernel-module/Kbuild": kbuild}, kernel_module_name="acme_edu"
    )
    result = run_probe("kbuild_module", project, paths="kernel-module/Kbuild")
    assert result.passed is passed, result.reason
