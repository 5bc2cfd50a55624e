"""The Dockerfile reader and dockerfile_final_stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.probes.dockerfile import parse_labels, stages
from tests.checklist.helpers import make_project, run_probe

DRIVER = """\
# syntax=docker/dockerfile:1
ARG DTK_AUTO=registry.redhat.io/openshift4/driver-toolkit-rhel9:v4.16
ARG UBI=registry.access.redhat.com/ubi9/ubi-minimal:9.4
FROM ${DTK_AUTO} AS builder
ARG KERNEL_FULL_VERSION
COPY kernel-module/ /build/
RUN make -C /build \\
      KVER=${KERNEL_FULL_VERSION}

FROM $UBI
LABEL name="acme-driver" vendor="Acme" \\
      version="1.0" release="1" summary="Driver" description="The driver"
RUN microdnf install -y kmod && microdnf clean all
COPY --from=builder /build/acme.ko /opt/lib/modules/${KERNEL_FULL_VERSION}/
COPY LICENSE /licenses/LICENSE
"""


def test_stages_resolve_global_arg_defaults() -> None:
    parsed = stages(DRIVER)
    assert [s.name for s in parsed] == ["builder", "1"]
    assert parsed[0].image == "${DTK_AUTO}"
    assert parsed[0].resolved_image.endswith("driver-toolkit-rhel9:v4.16")
    assert parsed[1].resolved_image.endswith("ubi-minimal:9.4")


def test_continuation_lines_are_joined_with_their_first_line_number() -> None:
    final = stages(DRIVER)[-1]
    label = final.all("LABEL")[0]
    assert label.line == 11
    assert final.labels["description"] == "The driver"


def test_labels_in_legacy_form() -> None:
    assert parse_labels('maintainer "Jane Doe"') == {"maintainer": "Jane Doe"}


def test_final_stage_facts_pass(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"driver-container/Dockerfile": DRIVER})
    result = run_probe(
        "dockerfile_final_stage",
        project,
        paths="driver-container/Dockerfile",
        base_image="ubi-minimal",
        builder_image="driver-toolkit|DTK",
        copies_from_builder=True,
        copies_to=["/opt/lib/modules", "/licenses"],
        labels=["name", "vendor"],
        instructions=["RUN", "CMD|COPY"],
    )
    assert result.passed, result.reason


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"base_image": "ubi-micro"}, "final stage is FROM"),
        ({"builder_image": "golang"}, "no builder stage FROM"),
        ({"copies_to": ["/firmware"]}, "copies nothing into /firmware"),
        ({"labels": ["maintainer"]}, "lacks LABEL maintainer"),
        ({"instructions": ["ENTRYPOINT|CMD"]}, "has no ENTRYPOINT|CMD"),
        ({"non_root": True}, "runs as root"),
    ],
)
def test_final_stage_facts_fail_with_a_reason(tmp_path: Path, options: dict, needle: str) -> None:
    project = make_project(tmp_path, {"driver-container/Dockerfile": DRIVER})
    result = run_probe("dockerfile_final_stage", project, paths="driver-container/*", **options)
    assert not result.passed
    assert needle in result.reason


def test_single_stage_image_copies_from_no_builder(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"Dockerfile": "FROM ubi9/ubi-minimal\nCOPY a /a\n"})
    result = run_probe("dockerfile_final_stage", project, copies_from_builder=True)
    assert not result.passed and "copies nothing from a builder" in result.reason
