"""The generated device plugin: it exists exactly when asked for, builds, vets, is gofmt-clean and
passes its own Go tests (fake sysfs, fake kubelet over gRPC), its Dockerfile passes hadolint, the
built binary agrees with the KMM Module that runs it on resource name and image, and on a real
kernel (QEMU, two edu functions bound by the generated driver) it finds the devices and sees them
turn unhealthy when a node vanishes or a function is unbound."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import IN_CI, require_tool
from tests.qemu.guest import PROLOGUE
from tests.qemu.initramfs import Initramfs
from tests.qemu.machine import bootable_kernels, is_static_elf, start_boot
from tests.template.checkers import load_yaml_documents
from tests.template_ext import extension

pytestmark = pytest.mark.slow

ANSWER_SETS = ("default", "full", "hostile")
FOLDER = "device-plugin"
INSPECT_SOURCE = Path(__file__).with_name("dockerfile_inspect")

Render = Callable[..., Path]


def _answers(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return data


def _names(project: Path) -> dict[str, Any]:
    derived: dict[str, Any] = extension("names").derive(_answers(project))
    return derived


@pytest.fixture(scope="session")
def go_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One module and build cache for every render of the session; the installed Go as it is."""
    require_tool("go")
    caches = tmp_path_factory.mktemp("go-caches")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {
        **os.environ,
        "PATH": path,
        "GOMODCACHE": str(caches / "mod"),
        "GOCACHE": str(caches / "build"),
        "GOPATH": str(caches / "gopath"),
        "GOTOOLCHAIN": "local",
        # Read-only module files would stop pytest from removing its temporary directories.
        "GOFLAGS": "-modcacherw",
        "LC_ALL": "C.UTF-8",
    }


def _run(
    args: list[str], cwd: Path, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    if check:
        assert result.returncode == 0, f"{shlex.join(args)}:\n{result.stdout}{result.stderr}"
    return result


@pytest.fixture(scope="session")
def built(
    render_session: Render, go_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], Path]]:
    """A writable copy of a render whose device plugin `make all` has built, once per answer set."""
    require_tool("make")
    copies: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in copies:
            project = tmp_path_factory.mktemp(f"device-plugin-{name}") / "project"
            shutil.copytree(render_session(name), project)
            _run(["make", "-C", FOLDER, "all"], cwd=project, env=go_env)
            copies[name] = project
        return copies[name]

    yield build


def _module_device_plugin(project: Path) -> dict[str, Any] | None:
    (module,) = [
        doc
        for doc in load_yaml_documents(project / "deploy" / "kmm" / "module.yaml")
        if isinstance(doc, dict) and doc.get("kind") == "Module"
    ]
    plugin: dict[str, Any] | None = module["spec"].get("devicePlugin")
    return plugin


@pytest.mark.parametrize("enabled", [True, False])
def test_folder_and_module_follow_the_switch(render_session: Render, enabled: bool) -> None:
    project = render_session("default", with_device_plugin=enabled)
    assert (project / FOLDER).is_dir() is enabled
    assert (_module_device_plugin(project) is not None) is enabled
    if enabled:
        binary = _names(project)["device_plugin_binary"]
        assert (project / FOLDER / "cmd" / binary / "main.go").is_file()
        assert not list((project / FOLDER).rglob("*.jinja"))


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_builds_vets_is_formatted_and_passes_its_tests(
    render_session: Render, go_env: dict[str, str], name: str, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(render_session(name), project)
    plugin = project / FOLDER
    go, gofmt = require_tool("go"), require_tool("gofmt")
    started = time.monotonic()
    # Plain go commands: go.sum must already hold every module (-mod=readonly is the default).
    _run([go, "build", "./..."], cwd=plugin, env=go_env)
    _run([go, "vet", "./..."], cwd=plugin, env=go_env)
    assert _run([gofmt, "-l", "."], cwd=plugin, env=go_env).stdout == ""
    tested = _run([go, "test", "-count=1", "./..."], cwd=plugin, env=go_env)
    packages = [line.split()[1] for line in tested.stdout.splitlines() if line.startswith("ok ")]
    for package in ("internal/config", "internal/devices", "internal/plugin", "cmd/"):
        assert any(package in p for p in packages), f"no tests ran in {package}: {tested.stdout}"
    # go mod tidy would change nothing: go.mod and go.sum are exactly what the code needs.
    before = {f: (plugin / f).read_text() for f in ("go.mod", "go.sum")}
    _run([go, "mod", "tidy"], cwd=plugin, env=go_env)
    assert {f: (plugin / f).read_text() for f in before} == before
    print(f"{name}: build, vet, gofmt, test, tidy in {time.monotonic() - started:.1f} s")


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_dockerfile_passes_hadolint(render_session: Render, name: str) -> None:
    hadolint = require_tool("hadolint")
    project = render_session(name)
    run = subprocess.run(
        [hadolint, "--no-color", "--config", ".hadolint.yaml", f"{FOLDER}/Dockerfile"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture(scope="session")
def inspect_dockerfile(
    go_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., dict[str, Any]]:
    """What BuildKit's own Dockerfile frontend reads (tests/template/dockerfile_inspect)."""
    binary = tmp_path_factory.mktemp("dockerfile-inspect") / "dockerfile-inspect"
    _run(["go", "build", "-o", str(binary), "."], INSPECT_SOURCE, go_env)

    def inspect(dockerfile: Path, **build_args: str) -> dict[str, Any]:
        pairs = [f"{key}={value}" for key, value in build_args.items()]
        result = _run([str(binary), str(dockerfile), *pairs], dockerfile.parent, go_env)
        report: dict[str, Any] = json.loads(result.stdout)
        return report

    return inspect


def _commands(stage: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [command for command in stage["commands"] or [] if command["kind"] == kind]


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_dockerfile_stages_and_labels(
    render_session: Render, inspect_dockerfile: Callable[..., dict[str, Any]], name: str
) -> None:
    project = render_session(name)
    answers, names = _answers(project), _names(project)
    vendor, product = answers["vendor_name"], answers["product_name"]
    binary = names["device_plugin_binary"]
    dockerfile = project / FOLDER / "Dockerfile"

    builder, final = inspect_dockerfile(dockerfile)["stages"]
    assert builder["name"] == "builder"
    assert builder["base"].startswith("registry.access.redhat.com/ubi9/go-toolset:")
    assert final["base"].startswith("registry.access.redhat.com/ubi9/ubi-")
    labels: dict[str, str] = {}
    for command in _commands(final, "label"):
        labels.update(command["labels"])
    assert labels["name"] == f"{answers['project_slug']}-device-plugin"
    assert labels["vendor"] == labels["maintainer"] == vendor
    assert labels["version"] == names["device_plugin_version"]
    assert labels["release"] == "1"
    assert labels["summary"] == f"Kubelet device plugin for the {product}"
    assert vendor in labels["description"] and product in labels["description"]
    assert labels["io.k8s.display-name"] == f"{product} device plugin"
    assert answers["resource_name"] in labels["io.k8s.description"]
    overridden = inspect_dockerfile(dockerfile, VERSION="7.8.9", RELEASE="3")["stages"][-1]
    relabelled = {k: v for c in _commands(overridden, "label") for k, v in c["labels"].items()}
    assert (relabelled["version"], relabelled["release"]) == ("7.8.9", "3")

    # The build context is the project root: what it copies exists there; the image gets the
    # licence and exactly the binary the builder built.
    for copy in _commands(builder, "copy") + _commands(final, "copy"):
        if not copy.get("from"):
            for source in copy["sources"]:
                assert (project / source).exists(), source
    copies = {copy["dest"]: copy for copy in _commands(final, "copy")}
    assert copies["/licenses/LICENSE"]["sources"] == ["LICENSE"]
    installed = copies[f"/usr/local/bin/{binary}"]
    assert installed.get("from") == "builder"
    assert installed["sources"] == [f"/opt/app-root/src/bin/{binary}"]
    (build,) = [c["command"] for c in _commands(builder, "run") if "go build" in c["command"]]
    assert f"-o bin/{binary} ./cmd/{binary}" in build
    assert "CGO_ENABLED=0" in build


@pytest.mark.parametrize("name", ANSWER_SETS)
def test_binary_agrees_with_the_kmm_module(
    built: Callable[[str], Path], go_env: dict[str, str], name: str
) -> None:
    project = built(name)
    answers, names = _answers(project), _names(project)
    binary = project / FOLDER / "bin" / names["device_plugin_binary"]
    plugin = _module_device_plugin(project)
    assert plugin is not None
    env_in_module = {e["name"]: e["value"] for e in plugin["container"]["env"]}

    without_env = {k: v for k, v in go_env.items() if k != "RESOURCE_NAME"}
    config = json.loads(_run([str(binary), "--print-config"], project, without_env).stdout)
    assert config["resourceName"] == env_in_module["RESOURCE_NAME"] == answers["resource_name"]
    assert config["socket"] == answers["resource_name"].replace("/", "_") + ".sock"
    assert config["pluginDir"] == "/var/lib/kubelet/device-plugins"
    assert config["pciVendorID"] == answers["pci_vendor_id"].lower()
    assert config["pciDeviceIDs"] == [d.lower() for d in answers["pci_device_ids"]]
    assert config["driver"] == answers["kernel_module_name"]
    assert config["deviceNodePrefix"] == names["char_device_prefix"]
    assert config["metricsAddress"] == f":{names['device_plugin_metrics_port']}"
    metric_names = [
        f"{names['metrics_prefix']}_devices",
        f"{names['metrics_prefix']}_allocations_total",
    ]
    assert config["metrics"] == metric_names
    prefix = names["device_plugin_env_prefix"]
    assert config["allocateEnv"] == [f"{prefix}_DEVICES", f"{prefix}_DEVICE_NODES"]

    # The Module's arguments are flags the binary accepts, and point it at the host's /dev mount.
    configured = _run(
        [str(binary), *plugin["container"]["args"], "--print-config"], project, without_env
    )
    mounts = {m["name"]: m["mountPath"] for m in plugin["container"]["volumeMounts"]}
    (host_dev,) = [v["name"] for v in plugin["volumes"] if v["hostPath"]["path"] == "/dev"]
    assert json.loads(configured.stdout)["devRoot"] == mounts[host_dev]

    # KMM's environment wins over the default.
    other = {**without_env, "RESOURCE_NAME": "example.com/other"}
    assert (
        json.loads(_run([str(binary), "--print-config"], project, other).stdout)["resourceName"]
        == "example.com/other"
    )
    bad = _run([str(binary), "--resource-name", "no-slash"], project, without_env, check=False)
    assert bad.returncode == 2 and "no-slash" in bad.stderr

    # --help names the device exactly as answered (go_str kept quotes, `, $ and unicode).
    usage = _run([str(binary), "--help"], project, without_env)
    assert f"{answers['product_name']} from {answers['vendor_name']}" in usage.stderr

    # The version is the Dockerfile's, passed by make.
    dockerfile = (project / FOLDER / "Dockerfile").read_text()
    assert re.findall(r"^ARG VERSION=(\S+)$", dockerfile, re.MULTILINE) == [
        names["device_plugin_version"]
    ]
    version = _run([str(binary), "--version"], project, without_env).stdout
    assert version == f"{names['device_plugin_version']}\n"

    # make image tags exactly the image the Module runs.
    plan = _run(["make", "-n", "-C", FOLDER, "image", "ENGINE=podman"], project, go_env).stdout
    (words,) = [shlex.split(line) for line in plan.splitlines() if "podman build" in line]
    tag = words[words.index("-t") + 1]
    assert tag == plugin["container"]["image"]
    assert tag == f"{names['device_plugin_image']}:{names['image_tag']}"

    # The metric names other components rely on are documented.
    readme = (project / FOLDER / "README.md").read_text()
    for metric in metric_names:
        assert f"`{metric}" in readme


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_binary_serves_metrics_and_stops_on_sigterm(
    built: Callable[[str], Path], go_env: dict[str, str], tmp_path: Path
) -> None:
    """The real binary, with no kubelet yet: it serves /metrics for the device it finds in a fake
    sysfs, keeps waiting for the kubelet, and exits 0 on SIGTERM."""
    project = built("default")
    answers, names = _answers(project), _names(project)
    module, prefix = answers["kernel_module_name"], names["char_device_prefix"]
    function = tmp_path / "sys" / "bus" / "pci" / "devices" / "0000:00:04.0"
    (function / module / f"{prefix}0").mkdir(parents=True)
    (function / "vendor").write_text(f"0x{names['pci_vendor_id']}\n")
    (function / "device").write_text(f"0x{names['pci_device_ids'][0]}\n")
    (function / "driver").symlink_to(f"../../../bus/pci/drivers/{module}")
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / f"{prefix}0").touch()
    plugin_dir = tmp_path / "plugins"
    plugin_dir.mkdir()
    port = _free_port()
    binary = project / FOLDER / "bin" / names["device_plugin_binary"]
    args = [str(binary), f"--sysfs-root={tmp_path / 'sys'}", f"--dev-root={tmp_path / 'dev'}"]
    args += [f"--plugin-dir={plugin_dir}", f"--metrics-address=127.0.0.1:{port}"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "_devices{" not in body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
                    body = r.read().decode()
            except OSError:
                time.sleep(0.1)
        metric = names["metrics_prefix"]
        assert f'{metric}_devices{{health="Healthy"}} 1\n' in body, body
        assert f'{metric}_devices{{health="Unhealthy"}} 0\n' in body, body
        assert f"{metric}_allocations_total 0\n" in body, body
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, stderr
    assert "kubelet" in stderr  # it said it is waiting for the kubelet
    assert not list(plugin_dir.iterdir())  # no socket left behind


@pytest.mark.parametrize("name", ["default"])
def test_make_lint_and_test(
    built: Callable[[str], Path], go_env: dict[str, str], name: str
) -> None:
    require_tool("hadolint")
    project = built(name)
    _run(["make", "-C", FOLDER, "lint", "test"], cwd=project, env=go_env)
    # make passes VERSION to the build.
    output = project / "versioned-binary"
    _run(["make", "-C", FOLDER, "build", "VERSION=7.8.9", f"OUTPUT={output}"], project, go_env)
    assert _run([str(output), "--version"], project, go_env).stdout == "7.8.9\n"
    # A badly formatted file fails make lint.
    scratch = project / FOLDER / "internal" / "config" / "zz_unformatted.go"
    scratch.write_text("package config\nvar  X=1\n")
    try:
        failed = _run(["make", "-C", FOLDER, "lint"], cwd=project, env=go_env, check=False)
        assert failed.returncode != 0
        assert "zz_unformatted.go" in failed.stderr
    finally:
        scratch.unlink()


# --- On a real kernel: QEMU's edu device (1234:11e8, the default answers) bound by the driver ---

# Debian's linux-image-amd64 series; CI installs it with its headers, busybox-static and QEMU.
QEMU_SERIES = (6, 1)
QEMU_SECONDS = 180
# Two edu functions: two devices, nodes <prefix>0 and <prefix>1. QEMU's VGA (1234:1111) shares
# the vendor id and must not be listed.
EDU_FUNCTIONS = 2

GUEST_INIT = (
    PROLOGUE
    + """report() {
	echo "=== $1" >&4
	/plugin --list-devices >&4 2>&4
	echo "=== end" >&4
}
report unloaded
insmod /module.ko
report loaded
rm "/dev/${NODE_PREFIX}1"
report node-removed
first=$(ls "/sys/bus/pci/drivers/$MODULE" | grep '^0000:' | sort | head -n 1)
echo "$first" > "/sys/bus/pci/drivers/$MODULE/unbind"
report unbound
echo "=== done" >&4
poweroff -f
"""
)


def _sections(results: str) -> dict[str, list[dict[str, Any]]]:
    """The guest's reports: name -> the devices --list-devices printed."""
    found = re.findall(r"^=== (\S+)\n(.*?)^=== end$", results, re.MULTILINE | re.DOTALL)
    return {name: json.loads(body) for name, body in found}


def test_lists_the_edu_devices_of_a_real_kernel(
    built: Callable[[str], Path], tmp_path: Path
) -> None:
    """The plugin's sysfs and /dev reading matches what the kernel and the generated driver
    really create: unbound functions, bound ones with their nodes, a lost node, an unbind."""
    qemu, timeout = require_tool("qemu-system-x86_64"), require_tool("timeout")
    busybox = Path(require_tool("busybox")).resolve()
    require_tool("gcc")
    kernel = bootable_kernels().get(QEMU_SERIES)
    if kernel is None:
        message = "no /boot/vmlinuz-6.1.* with the linux-headers of the same release"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    if not is_static_elf(busybox):
        pytest.fail(f"{busybox} is dynamically linked: install busybox-static")

    project = built("default")
    answers, names = _answers(project), _names(project)
    module, prefix = answers["kernel_module_name"], names["char_device_prefix"]
    assert (names["pci_vendor_id"], names["pci_device_ids"]) == ("1234", ["11e8"]), (
        "the default answers no longer name QEMU's edu device"
    )
    modules = tmp_path / "kernel-module"
    shutil.copytree(project / "kernel-module", modules)
    _run(
        ["make", "-C", str(modules), f"KVER={kernel.release}", f"KDIR={kernel.headers}"],
        tmp_path,
        {**os.environ, "LC_ALL": "C"},
    )
    plugin = project / FOLDER / "bin" / names["device_plugin_binary"]
    assert is_static_elf(plugin), "make all must build a static binary (CGO_ENABLED=0)"

    archive = Initramfs()
    archive.copy("bin/busybox", busybox, 0o755)
    archive.char_device("dev/console", 5, 1)
    for directory in ("proc", "sys", "tmp"):
        archive.directory(directory)
    archive.copy("plugin", plugin, 0o755)
    archive.copy("module.ko", modules / f"{module}.ko")
    init = f"MODULE={shlex.quote(module)}\nNODE_PREFIX={shlex.quote(prefix)}\n"
    archive.file(
        "init",
        GUEST_INIT.replace("export PATH=/bin\n", f"export PATH=/bin\n{init}").encode(),
        0o755,
    )
    initrd = tmp_path / "initrd.cpio"
    initrd.write_bytes(archive.pack())
    logs = tmp_path / "logs"
    logs.mkdir()

    boot = start_boot(
        qemu, timeout, kernel, initrd, logs, QEMU_SECONDS, devices=("edu",) * EDU_FUNCTIONS
    ).wait()
    reports = _sections(boot.results)
    context = f"guest reports:\n{boot.results}\nconsole:\n{boot.console[-3000:]}"
    assert "=== done" in boot.results, context
    assert set(reports) == {"unloaded", "loaded", "node-removed", "unbound"}, context

    unloaded = reports["unloaded"]
    assert len(unloaded) == EDU_FUNCTIONS, context
    assert all(d["health"] == "Unhealthy" and "not bound" in d["reason"] for d in unloaded)
    addresses = [d["id"] for d in unloaded]

    loaded = reports["loaded"]
    assert [d["id"] for d in loaded] == addresses, context
    assert all(d["health"] == "Healthy" and d["driver"] == module for d in loaded), context
    nodes = sorted(node for d in loaded for node in d["nodes"])
    assert nodes == [f"/dev/{prefix}{n}" for n in range(EDU_FUNCTIONS)], context

    lost = {d["id"]: d for d in reports["node-removed"]}
    owner = next(d["id"] for d in loaded if f"/dev/{prefix}1" in d["nodes"])
    assert lost[owner]["health"] == "Unhealthy" and "missing" in lost[owner]["reason"], context
    assert [d["health"] for i, d in lost.items() if i != owner] == ["Healthy"], context

    unbound = {d["id"]: d for d in reports["unbound"]}
    assert unbound[addresses[0]]["health"] == "Unhealthy", context
    assert "not bound" in unbound[addresses[0]]["reason"], context
    assert unbound[addresses[0]]["nodes"] == [], context
