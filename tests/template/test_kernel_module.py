"""The generated kernel module builds warning-free (W=1, sparse, -Werror) against two kernel series
that straddle the class_create (6.4) and dev_uevent (6.2) changes, and modinfo reads back the
answers: PCI aliases, licence, version, author and description, firmware."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, answer_set, require_tool

pytestmark = pytest.mark.slow

ANSWER_SETS = ("default", "full", "hostile")
# Debian's 6.1 headers (linux-headers-amd64) predate both changes; 6.12 has both.
KERNEL_SERIES = ((6, 1), (6, 12))
HEADERS_ROOT = Path("/usr/src")
# A diagnostic of gcc, sparse or modpost ("x.c:1:2: warning: ...", "WARNING: modpost: ...").
DIAGNOSTIC = re.compile(r"(warning|error)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Build:
    """One make run of the module: where, against which headers, and what it printed."""

    module_dir: Path
    kdir: Path
    kernel_release: str
    output: str

    @property
    def ko(self) -> Path:
        return self.module_dir / f"{self.module_dir.name}.ko"


def _kernel_release(tree: Path) -> str:
    """The release the headers were built for, as vermagic and uname -r spell it."""
    text = (tree / "include" / "generated" / "utsrelease.h").read_text()
    match = re.search(r'^#define UTS_RELEASE "(.+)"$', text, re.MULTILINE)
    assert match, f"{tree}: no UTS_RELEASE"
    return match.group(1)


def _header_trees() -> dict[tuple[int, int], Path]:
    """Configured header trees under /usr/src by (major, minor), newest release of each series."""
    trees: dict[tuple[int, int], Path] = {}
    for tree in sorted(HEADERS_ROOT.glob("linux-headers-*")):
        release_file = tree / "include" / "generated" / "utsrelease.h"
        if not (tree / "Makefile").is_file() or not release_file.is_file():
            continue
        major, minor = (int(part) for part in _kernel_release(tree).split(".")[:2])
        trees[(major, minor)] = tree
    return trees


def require_headers(series: tuple[int, int]) -> Path:
    """The header tree of a kernel series; skip without it on a laptop, fail under CI."""
    tree = _header_trees().get(series)
    if tree:
        return tree
    message = (
        f"no linux-headers-{series[0]}.{series[1]}.* tree under {HEADERS_ROOT} "
        "(.ci/run installs linux-headers-amd64 and a linux-headers-6.12.*-amd64 package)"
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _module_name(project: Path) -> str:
    (source,) = (project / "kernel-module").glob("*_main.c")
    return source.name.removesuffix("_main.c")


def _make(module_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C"}
    result = subprocess.run(
        ["make", "-C", str(module_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _copy_module(project: Path, dest: Path) -> Path:
    """A writable copy of kernel-module/, named after the module so Build.ko finds the .ko."""
    module = _module_name(project)
    target = dest / module
    shutil.copytree(project / "kernel-module", target)
    return target


BuildFn = Callable[[str, tuple[int, int]], Build]


@pytest.fixture(scope="module")
def checked_build(
    render_session: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> BuildFn:
    """`make check` of an answer set's module against a kernel series, once per module."""
    require_tool("make")
    require_tool("gcc")
    require_tool("sparse")
    cache: dict[tuple[str, tuple[int, int]], Build] = {}

    def build(name: str, series: tuple[int, int]) -> Build:
        key = (name, series)
        if key not in cache:
            kdir = require_headers(series)
            project = render_session(name)
            module_dir = _copy_module(project, tmp_path_factory.mktemp(f"km-{name}"))
            result = _make(module_dir, "check", f"KDIR={kdir}")
            cache[key] = Build(
                module_dir, kdir, _kernel_release(kdir), result.stdout + result.stderr
            )
        return cache[key]

    return build


def _modinfo(ko: Path, field: str) -> list[str]:
    modinfo = require_tool("modinfo")
    result = subprocess.run([modinfo, "-0", "-F", field, str(ko)], capture_output=True, check=True)
    return [value.decode("utf-8") for value in result.stdout.split(b"\0") if value]


def _expected_aliases(answers: dict[str, Any]) -> set[str]:
    vendor = answers["pci_vendor_id"].upper()
    return {
        f"pci:v0000{vendor}d0000{device.upper()}sv*sd*bc*sc*i*"
        for device in answers["pci_device_ids"]
    }


@pytest.mark.parametrize("series", KERNEL_SERIES, ids=lambda s: f"linux-{s[0]}.{s[1]}")
@pytest.mark.parametrize("name", ANSWER_SETS)
def test_check_builds_without_a_warning(
    checked_build: BuildFn, name: str, series: tuple[int, int]
) -> None:
    build = checked_build(name, series)
    assert build.ko.is_file()
    lines = build.output.splitlines()
    assert not [line for line in lines if DIAGNOSTIC.search(line)]
    # sparse really ran over the driver (C=2 checks every source, rebuilt or not).
    assert any(line.split()[:1] == ["CHECK"] and line.endswith("_main.c") for line in lines)
    assert _modinfo(build.ko, "vermagic")[0].split()[0] == build.kernel_release


@pytest.mark.parametrize("series", KERNEL_SERIES, ids=lambda s: f"linux-{s[0]}.{s[1]}")
@pytest.mark.parametrize("name", ANSWER_SETS)
def test_modinfo_reads_back_the_answers(
    checked_build: BuildFn, name: str, series: tuple[int, int]
) -> None:
    build = checked_build(name, series)
    answers = answer_set(name)
    assert set(_modinfo(build.ko, "alias")) == _expected_aliases(answers)
    assert _modinfo(build.ko, "license") == ["GPL"]
    assert _modinfo(build.ko, "version") == [(build.module_dir / "VERSION").read_text().strip()]
    assert _modinfo(build.ko, "author") == [answers["vendor_name"]]
    assert _modinfo(build.ko, "description") == [answers["product_name"]]
    assert set(_modinfo(build.ko, "parmtype")) == {"max_devices:uint", "reg_bar:uint"}
    module = build.module_dir.name
    expected_firmware = [f"{module}/{module}-fw.bin"] if answers.get("with_firmware") else []
    assert _modinfo(build.ko, "firmware") == expected_firmware


def test_make_test_and_install_with_depmod(
    render_session: Callable[..., Path], tmp_path: Path
) -> None:
    """`make test` checks the aliases itself; `make install` lays out a KMM module root."""
    require_tool("make")
    depmod = require_tool("depmod")
    kdir = require_headers(KERNEL_SERIES[-1])
    answers = answer_set("full")
    module_dir = _copy_module(render_session("full"), tmp_path)
    _make(module_dir, "test", f"KDIR={kdir}")
    root = tmp_path / "opt"
    _make(module_dir, "install", f"KDIR={kdir}", f"INSTALL_MOD_PATH={root}", f"DEPMOD={depmod}")
    release = _kernel_release(kdir)
    installed = root / "lib" / "modules" / release / f"{module_dir.name}.ko"
    assert installed.is_file()
    aliases = (root / "lib" / "modules" / release / "modules.alias").read_text().splitlines()
    found = {
        line.split()[1]
        for line in aliases
        if line.startswith("alias ") and line.split()[2] == module_dir.name
    }
    assert found == _expected_aliases(answers)
    _make(module_dir, "clean", f"KDIR={kdir}")
    assert not list(module_dir.glob("*.ko")) and not list(module_dir.glob("*.o"))


def test_version_override_reaches_modinfo(
    render_session: Callable[..., Path], tmp_path: Path
) -> None:
    require_tool("make")
    kdir = require_headers(KERNEL_SERIES[0])
    module_dir = _copy_module(render_session("default"), tmp_path)
    _make(module_dir, "modules", f"KDIR={kdir}", "DRIVER_VERSION=2.3.4-rc1")
    assert _modinfo(module_dir / f"{module_dir.name}.ko", "version") == ["2.3.4-rc1"]
    refused = _make(module_dir, "modules", f"KDIR={kdir}", "DRIVER_VERSION=1.0 $(id)", check=False)
    assert refused.returncode != 0


def test_check_fails_on_a_sparse_finding(
    render_session: Callable[..., Path], tmp_path: Path
) -> None:
    """A cast that drops __iomem compiles cleanly with gcc; only sparse objects, and check fails."""
    require_tool("make")
    require_tool("sparse")
    kdir = require_headers(KERNEL_SERIES[-1])
    module_dir = _copy_module(render_session("default"), tmp_path)
    source = next(module_dir.glob("*_main.c"))
    source.write_text(
        source.read_text() + "\nstatic u32 __maybe_unused pdrv_peek(void __iomem *regs)\n{\n"
        "\treturn *(u32 *)regs;\n}\n"
    )
    result = _make(module_dir, "check", f"KDIR={kdir}", check=False)
    assert result.returncode != 0
    assert "address space" in result.stdout + result.stderr


def test_missing_headers_fail_clearly(render_session: Callable[..., Path], tmp_path: Path) -> None:
    require_tool("make")
    module_dir = _copy_module(render_session("default"), tmp_path)
    for target in ("all", "check", "test", "lint"):
        result = _make(module_dir, target, f"KDIR={tmp_path / 'no-headers'}", check=False)
        assert result.returncode != 0
        assert "kernel headers" in result.stderr, (target, result.stderr)


def test_build_output_stays_out_of_git(render_session: Callable[..., Path], tmp_path: Path) -> None:
    """Building and checking against both series leaves `git status` of the project clean."""
    require_tool("make")
    require_tool("sparse")
    git = require_tool("git")
    project = tmp_path / "project"
    shutil.copytree(render_session("full"), project)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated"]):
        subprocess.run([git, *args], cwd=project, check=True, capture_output=True)
    for series in KERNEL_SERIES:
        _make(project / "kernel-module", "check", f"KDIR={require_headers(series)}")
    status = subprocess.run(
        [git, "status", "--porcelain"], cwd=project, check=True, capture_output=True, text=True
    )
    assert status.stdout == ""


# (Linux version, RHEL release or None) -> (one-argument class_create, const dev_uevent device)
COMPAT_CASES = {
    ((6, 1, 0), None): (0, 0),
    ((6, 2, 0), None): (0, 1),
    ((6, 4, 0), None): (1, 1),
    ((6, 12, 0), None): (1, 1),
    ((5, 14, 0), (9, 2)): (0, 0),
    ((5, 14, 0), (9, 3)): (0, 1),
    ((5, 14, 0), (9, 4)): (1, 1),
    ((5, 14, 0), (9, 6)): (1, 1),
}


def _compat_choice(project: Path, tmp_path: Path, defines: list[str]) -> tuple[int, int]:
    """What compat.h picks, read through gcc's preprocessor with stand-in kernel headers."""
    gcc = require_tool("gcc")
    stubs = tmp_path / "stubs" / "linux"
    stubs.mkdir(parents=True, exist_ok=True)
    for header in ("device.h", "module.h"):
        (stubs / header).write_text("")
    (stubs / "version.h").write_text(
        "#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + (c))\n"
        "#define LINUX_VERSION_CODE KERNEL_VERSION(STUB_MAJOR, STUB_MINOR, 0)\n"
        "#ifdef STUB_RHEL\n#define RHEL_RELEASE_CODE STUB_RHEL\n#endif\n"
    )
    probe = tmp_path / "probe.c"
    probe.write_text(
        '#include "compat.h"\nchoice: COMPAT_CLASS_CREATE_NAME_ONLY COMPAT_UEVENT_CONST_DEVICE\n'
    )
    includes = ["-I", str(stubs.parent), "-I", str(project / "kernel-module")]
    result = subprocess.run(
        [gcc, "-E", "-P", *includes, *defines, str(probe)],
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("choice:")]
    class_create, uevent = line.split()[1:]
    return int(class_create), int(uevent)


@pytest.mark.parametrize(("kernel", "expected"), list(COMPAT_CASES.items()), ids=str)
def test_compat_guards_follow_linux_and_rhel_releases(
    render_session: Callable[..., Path],
    tmp_path: Path,
    kernel: tuple[tuple[int, int, int], tuple[int, int] | None],
    expected: tuple[int, int],
) -> None:
    (major, minor, _), rhel = kernel
    defines = [f"-DSTUB_MAJOR={major}", f"-DSTUB_MINOR={minor}"]
    if rhel:
        defines.append(f"-DSTUB_RHEL={(rhel[0] << 8) + rhel[1]}")
    project = render_session("default")
    assert _compat_choice(project, tmp_path, defines) == expected
    # A build can force either choice without editing the source.
    forced = [*defines, "-DCOMPAT_CLASS_CREATE_NAME_ONLY=7", "-DCOMPAT_UEVENT_CONST_DEVICE=8"]
    assert _compat_choice(project, tmp_path, forced) == (7, 8)
