"""The generated driver container: hadolint passes on every Dockerfile and shellcheck on every
script, BuildKit's own Dockerfile frontend reads back the answers from the labels and the
expected stages, the build script plans the right images, and the signing script really signs."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import require_tool
from tests.template.test_kernel_module import KERNEL_SERIES, require_headers

pytestmark = pytest.mark.slow

ANSWER_SETS = ("default", "full", "hostile")
INSPECT_SOURCE = Path(__file__).with_name("dockerfile_inspect")
REQUIRED_LABELS = {"name", "vendor", "version", "release", "summary", "description", "maintainer"}
KMM_MODULE_ROOT = "/opt"
KMM_FIRMWARE_DIR = "/firmware"
UBI_MINIMAL = "registry.access.redhat.com/ubi9/ubi-minimal:"

Render = Callable[..., Path]


def _answers(project: Path) -> dict[str, Any]:
    """Every answer of a rendered project, defaults included, from its answers file."""
    data: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return data


def _run(
    args: list[str], cwd: Path, check: bool = True, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # The venv's bin (hadolint, shellcheck) must be on PATH for Makefiles and scripts.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "LC_ALL": "C.UTF-8", **(extra_env or {})}
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=600
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _dockerfiles(project: Path) -> list[Path]:
    return sorted(
        path
        for path in project.rglob("*")
        if path.is_file() and (path.name == "Dockerfile" or path.name.endswith(".Dockerfile"))
    )


def _dtk_image(minor: int) -> str:
    rhel = 9 if minor >= 13 else 8
    return f"registry.redhat.io/openshift4/driver-toolkit-rhel{rhel}:v4.{minor}"


def _releases(answers: dict[str, Any]) -> list[int]:
    low, high = (int(v.split(".")[1]) for v in answers["openshift_versions"].split("-"))
    return list(range(low, high + 1))


def _version(project: Path) -> str:
    return (project / "kernel-module" / "VERSION").read_text().strip()


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_hadolint_passes_on_every_dockerfile(render_session: Render, name: str) -> None:
    hadolint = require_tool("hadolint")
    project = render_session(name)
    dockerfiles = _dockerfiles(project)
    assert {p.relative_to(project).as_posix() for p in dockerfiles} >= {
        "driver-container/Dockerfile",
        "driver-container/source.Dockerfile",
    }
    # Run from the project root, where hadolint finds the project's .hadolint.yaml.
    _run([hadolint, "--no-color", *map(str, dockerfiles)], cwd=project)


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_shellcheck_passes_on_every_script(render_session: Render, name: str) -> None:
    shellcheck = require_tool("shellcheck")
    project = render_session(name)
    scripts = sorted(project.rglob("*.sh"))
    expected = {"driver-container/build-driver-images.sh"}
    if _answers(project)["secure_boot"]:
        expected.add("driver-container/sign-module.sh")
    assert {p.relative_to(project).as_posix() for p in scripts} >= expected
    for script in scripts:
        assert os.access(script, os.X_OK), f"{script} is not executable"
    _run([shellcheck, *map(str, scripts)], cwd=project)


@pytest.fixture(scope="session")
def inspect_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/template/dockerfile_inspect built: BuildKit's Dockerfile parser, lexer and matcher."""
    go = require_tool("go")
    work = tmp_path_factory.mktemp("dockerfile-inspect")
    binary = work / "dockerfile-inspect"
    # Use the installed toolchain as it is; give go a cache even where HOME is unset.
    env = {"GOTOOLCHAIN": "local"}
    if not os.environ.get("HOME") and not os.environ.get("XDG_CACHE_HOME"):
        env |= {"GOCACHE": str(work / "cache"), "GOPATH": str(work / "gopath")}
    _run([go, "build", "-o", str(binary), "."], cwd=INSPECT_SOURCE, extra_env=env)
    return binary


@pytest.fixture(scope="session")
def inspect_dockerfile(inspect_binary: Path) -> Callable[..., dict[str, Any]]:
    """What BuildKit reads from a Dockerfile for the given build arguments."""

    def inspect(dockerfile: Path, **build_args: str) -> dict[str, Any]:
        pairs = [f"{key}={value}" for key, value in build_args.items()]
        result = _run([str(inspect_binary), str(dockerfile), *pairs], cwd=dockerfile.parent)
        report: dict[str, Any] = json.loads(result.stdout)
        return report

    return inspect


def _commands(stage: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [command for command in stage["commands"] or [] if command["kind"] == kind]


def _labels(stage: dict[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for command in _commands(stage, "label"):
        labels.update(command["labels"])
    return labels


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_labels_carry_the_answers_exactly(
    render_session: Render, inspect_dockerfile: Callable[..., dict[str, Any]], name: str
) -> None:
    project = render_session(name)
    answers = _answers(project)
    module, vendor, product = (
        answers["kernel_module_name"],
        answers["vendor_name"],
        answers["product_name"],
    )
    report = inspect_dockerfile(project / "driver-container" / "Dockerfile")
    labels = _labels(report["stages"][-1])
    assert set(labels) >= REQUIRED_LABELS
    assert labels["name"] == f"{answers['project_slug']}-driver"
    assert labels["vendor"] == vendor
    assert labels["maintainer"] == vendor
    assert labels["summary"] == f"Kernel module for the {product}"
    assert labels["description"] == (
        f"Kernel module {module} for the {product} from {vendor}, built for one kernel release, "
        "loaded by Kernel Module Management."
    )
    assert labels["io.k8s.display-name"] == f"{product} driver"
    assert labels["version"] == _version(project)
    assert labels["release"] == "1"
    overridden = inspect_dockerfile(
        project / "driver-container" / "Dockerfile", DRIVER_VERSION="7.8.9", DRIVER_RELEASE="3"
    )
    assert _labels(overridden["stages"][-1])["version"] == "7.8.9"
    assert _labels(overridden["stages"][-1])["release"] == "3"


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_driver_dockerfile_stages(
    render_session: Render, inspect_dockerfile: Callable[..., dict[str, Any]], name: str
) -> None:
    project = render_session(name)
    answers = _answers(project)
    module = answers["kernel_module_name"]
    source_image = f"{answers['image_registry']}/{answers['project_slug']}-driver-source"
    kver = "5.14.0-570.12.1.el9_6.x86_64"
    dockerfile = project / "driver-container" / "Dockerfile"

    defaults = inspect_dockerfile(dockerfile)
    source, builder, final = defaults["stages"]
    assert defaults["meta_args"]["DTK_AUTO"] == _dtk_image(_releases(answers)[-1])
    assert source["name"] == "source"
    assert source["base"] == f"{source_image}:{_version(project)}"
    assert builder["name"] == "builder"
    assert builder["base_raw"] == "${DTK_AUTO}"
    assert builder["base"] == defaults["meta_args"]["DTK_AUTO"]
    assert final["base"].startswith(UBI_MINIMAL)

    in_cluster = inspect_dockerfile(
        dockerfile, DTK_AUTO="image-registry.example/dtk@sha256:0", KERNEL_FULL_VERSION=kver
    )
    source, builder, final = in_cluster["stages"]
    assert builder["base"] == "image-registry.example/dtk@sha256:0"
    # Nothing comes from the build context (KMM's holds only the Dockerfile), nothing is cloned.
    for stage in in_cluster["stages"]:
        assert not _commands(stage, "add")
        assert all(copy["from"] for copy in _commands(stage, "copy"))
        assert not [run for run in _commands(stage, "run") if "git" in shlex.split(run["command"])]
    assert [c["from"] for c in _commands(builder, "copy")] == ["source"]
    assert "KERNEL_FULL_VERSION" in [n for arg in _commands(builder, "arg") for n in arg["names"]]

    copies = {copy["dest"]: copy for copy in _commands(final, "copy")}
    module_dir = f"{KMM_MODULE_ROOT}/lib/modules/{kver}/"
    assert copies[module_dir]["from"] == "builder"
    assert copies[module_dir]["sources"] == [f"{module_dir}{module}.ko"]
    assert any(dest.startswith("/licenses/") for dest in copies)
    assert (f"{KMM_FIRMWARE_DIR}/" in copies) == answers["with_firmware"]
    runs = [shlex.split(run["command"]) for run in _commands(final, "run")]
    # RUN lines see build arguments as environment variables, expanded by the shell.
    assert "KERNEL_FULL_VERSION" in [n for arg in _commands(final, "arg") for n in arg["names"]]
    assert ["depmod", "-b", KMM_MODULE_ROOT, "${KERNEL_FULL_VERSION}"] in runs
    installed = [word for words in runs if "install" in words for word in words]
    assert "kmod" in installed
    assert not [word for word in installed if word.startswith("kernel")]


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_source_dockerfile_copies_existing_paths(
    render_session: Render, inspect_dockerfile: Callable[..., dict[str, Any]], name: str
) -> None:
    project = render_session(name)
    report = inspect_dockerfile(project / "driver-container" / "source.Dockerfile")
    (stage,) = report["stages"]
    assert stage["base"] == "scratch"
    copies = _commands(stage, "copy")
    sources = {src for copy in copies for src in copy["sources"]}
    assert {"LICENSE", "kernel-module/"} <= sources
    assert ("driver-container/firmware/" in sources) == _answers(project)["with_firmware"]
    for src in sources:  # the build context is the project root
        assert (project / src).exists(), src
    # The driver Dockerfile copies what the source image holds.
    driver = inspect_dockerfile(
        project / "driver-container" / "Dockerfile", KERNEL_FULL_VERSION="k"
    )
    held = {copy["dest"] for copy in copies}
    for stage in driver["stages"]:
        for copy in _commands(stage, "copy"):
            if copy["from"] == "source":
                assert all(any(src.startswith(d) for d in held) for src in copy["sources"])


def test_source_dockerignore_keeps_sources_and_drops_build_output(
    render_session: Render, inspect_binary: Path, tmp_path: Path
) -> None:
    """After a local build and key generation, the source image's context holds exactly the
    generated sources: BuildKit's own matcher decides what the .dockerignore excludes."""
    require_tool("make")
    require_tool("openssl")
    kdir = require_headers(KERNEL_SERIES[-1])
    rendered = render_session("full")
    project = tmp_path / "project"
    shutil.copytree(rendered, project)
    _run(["make", "-C", "kernel-module", "check", f"KDIR={kdir}"], cwd=project)
    _run([str(project / "driver-container" / "sign-module.sh"), "--generate"], cwd=project)
    module = _answers(project)["kernel_module_name"]
    firmware = project / "driver-container" / "firmware" / module / f"{module}-fw.bin"
    firmware.parent.mkdir(parents=True)
    firmware.write_bytes(b"\x7fFW")

    def context_files(root: Path) -> set[str]:
        wanted = ("LICENSE", "kernel-module/", "driver-container/firmware/", "signing/")
        files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        return {f for f in files if f.startswith(wanted)}

    every = sorted(context_files(project))
    ignore = project / "driver-container" / "source.Dockerfile.dockerignore"
    result = _run([str(inspect_binary), "--dockerignore", str(ignore), *every], cwd=project)
    kept = {path for path, excluded in json.loads(result.stdout).items() if not excluded}
    generated = {f for f in context_files(rendered) if f != "driver-container/firmware/README.md"}
    assert kept == generated | {firmware.relative_to(project).as_posix()}


def _plan(project: Path, *args: str, check: bool = True) -> tuple[list[list[str]], str, int]:
    script = project / "driver-container" / "build-driver-images.sh"
    result = _run([str(script), "--dry-run", *args], cwd=project, check=check)
    commands = [shlex.split(line[2:]) for line in result.stdout.splitlines() if line[:2] == "+ "]
    return commands, result.stderr, result.returncode


def _build_arg(command: list[str], name: str) -> str:
    values = [
        command[i + 1].split("=", 1)[1]
        for i, word in enumerate(command)
        if word == "--build-arg" and command[i + 1].startswith(f"{name}=")
    ]
    assert len(values) == 1, command
    return values[0]


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_build_script_plans_one_image_per_release(render_session: Render, name: str) -> None:
    require_tool("bash")
    project = render_session(name)
    answers = _answers(project)
    image = f"{answers['image_registry']}/{answers['project_slug']}-driver"
    source = (
        f"{answers['image_registry']}/{answers['project_slug']}-driver-source:{_version(project)}"
    )
    suffix = "-unsigned" if answers["secure_boot"] else ""
    minors = _releases(answers)
    kver = "5.14.0-427.13.1.el9_4.x86_64"

    help_text = _run(
        [str(project / "driver-container" / "build-driver-images.sh"), "--help"], cwd=project
    )
    assert help_text.stdout.startswith("Usage:")

    commands, _, _ = _plan(project, "--push", *(f"4.{m}" for m in minors), f"kernel:{kver}")
    source_build, source_push, *rest = commands
    assert source_build[1:] == [
        "build",
        "-f",
        "driver-container/source.Dockerfile",
        "-t",
        source,
        ".",
    ]
    assert source_push[1:] == ["push", source]
    builds = [c for c in rest if c[1] == "build"]
    pushes = [c for c in rest if c[1] == "push"]
    assert [_build_arg(c, "DTK_AUTO") for c in builds] == [
        *(_dtk_image(m) for m in minors),
        _dtk_image(minors[-1]),
    ]
    assert {_build_arg(c, "MODULE_SOURCE_IMAGE") for c in builds} == {source}
    assert {_build_arg(c, "DRIVER_VERSION") for c in builds} == {_version(project)}
    assert _build_arg(builds[-1], "KERNEL_FULL_VERSION") == kver
    assert builds[-1][builds[-1].index("-t") + 1] == f"{image}:{kver}{suffix}"
    assert [p[2] for p in pushes] == [b[b.index("-t") + 1] for b in builds]
    assert all(b[b.index("-f") + 1] == "driver-container/Dockerfile" for b in builds)


def test_build_script_refuses_bad_targets_before_building(render_session: Render) -> None:
    project = render_session("default")
    beyond = _releases(_answers(project))[-1] + 1
    for target in (f"4.{beyond}", "kernel:5.14.0-1.el9.x86_64+rt", "nonsense"):
        commands, stderr, returncode = _plan(project, target, check=False)
        assert returncode != 0, target
        assert stderr.strip(), target
        assert not [
            c for c in commands if c[1] == "build" and "driver-container/Dockerfile" in c
        ], target


@pytest.mark.parametrize("name", ["default", "full"])
def test_make_lint_and_test_of_the_component(
    render_session: Render, name: str, tmp_path: Path
) -> None:
    require_tool("make")
    require_tool("hadolint")
    require_tool("shellcheck")
    project = tmp_path / "project"
    shutil.copytree(render_session(name), project)
    _run(["make", "-C", "driver-container", "lint", "test"], cwd=project)
    # The Dockerfile's defaults must follow kernel-module/VERSION.
    (project / "kernel-module" / "VERSION").write_text("9.9.9\n")
    stale = _run(["make", "-C", "driver-container", "lint"], cwd=project, check=False)
    assert stale.returncode != 0
    assert "9.9.9" in stale.stderr


@pytest.mark.parametrize("name", ["full", "hostile"])
def test_sign_module_signs_with_the_kernels_sign_file(
    render_session: Render, name: str, tmp_path: Path
) -> None:
    require_tool("make")
    require_tool("openssl")
    modinfo = require_tool("modinfo")
    git = require_tool("git")
    kdir = require_headers(KERNEL_SERIES[-1])
    project = tmp_path / "project"
    shutil.copytree(render_session(name), project)
    module = _answers(project)["kernel_module_name"]
    sign = str(project / "driver-container" / "sign-module.sh")

    _run([sign, "--generate"], cwd=project)
    key, cert = project / "signing" / "signing_key.priv", project / "signing" / "signing_key.der"
    assert key.stat().st_mode & 0o077 == 0
    assert _run([sign, "--generate"], cwd=project, check=False).returncode != 0  # no overwrite
    # The key pair never reaches git.
    _run([git, "init", "-q"], cwd=project)
    ignored = _run([git, "check-ignore", str(key), str(cert)], cwd=project)
    assert len(ignored.stdout.splitlines()) == 2

    _run(["make", "-C", "kernel-module", "modules", f"KDIR={kdir}"], cwd=project)
    ko = project / "kernel-module" / f"{module}.ko"
    _run([sign, "--kdir", str(kdir), str(ko)], cwd=project)
    fields = {
        field: _run([modinfo, "-F", field, str(ko)], cwd=project).stdout.strip()
        for field in ("signer", "sig_hashalgo", "sig_id")
    }
    assert fields == {
        "signer": f"{module} Secure Boot module signing key",
        "sig_hashalgo": "sha256",
        "sig_id": "PKCS#7",
    }


def test_no_signing_script_without_secure_boot(render_session: Render) -> None:
    project = render_session("default")
    assert not _answers(project)["secure_boot"]
    assert not (project / "driver-container" / "sign-module.sh").exists()
    assert not (project / "driver-container" / "firmware").exists()
