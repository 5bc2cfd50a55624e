"""The generated kernel module binds QEMU's edu device and works, in a real (emulated) machine.

The default answers name QEMU's "edu" educational PCI device (1234:11e8). Each test renders a
project, builds its module against the headers of the exact kernel it then boots, packs busybox,
the .ko and a generated /init into an initramfs, and boots it under TCG with ``-device edu``.
The guest (tests/qemu/guest.py) loads, binds, reads, unbinds with the node open, rebinds,
unloads and reloads the driver, refuses bad parameters, and autoloads it by the function's
modalias; with ``with_firmware`` it loads the firmware file, and without a usable one probe fails
cleanly. It prints one result line per check; the test asserts that every expected check
reported a pass and that the kernel log shows no BUG, WARNING or oops. The cases boot side by
side, one QEMU each.
"""

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
import yaml

from tests.conftest import IN_CI, require_tool
from tests.qemu import guest
from tests.qemu.initramfs import Initramfs
from tests.qemu.machine import (
    Boot,
    Kernel,
    RunningBoot,
    bootable_kernels,
    is_static_elf,
    start_boot,
)
from tests.template_ext import extension

pytestmark = pytest.mark.slow

# QEMU's edu device (hw/misc/edu.c): its ids, its identification register (offset 0, version
# 1.0 and 0xed), and BAR 0 as its only BAR.
EDU_VENDOR_ID = "1234"
EDU_DEVICE_ID = "11e8"
EDU_IDENT = 0x010000ED
EDU_MISSING_BAR = 1
# Edu functions in the machine: more than one, so minors, max_devices and unbinding one of them
# while another stays bound are exercised.
EDU_FUNCTIONS = 2
# Standard BARs of a PCI function (PCI_STD_NUM_BARS): reg_bar past the last one is refused.
PCI_STD_NUM_BARS = 6
# Debian's linux-image-amd64 series must boot; newer series boot where installed with headers.
REQUIRED_SERIES = (6, 1)
OPTIONAL_SERIES = (6, 12)
# A boot to the last result line takes about 6 s under TCG; allow for a loaded CI machine.
BOOT_SECONDS = 180
# Not a multiple of a page, so a probe that logs the size proves it read this very file.
FIRMWARE_SIZE = 4099
# Kernel log lines that mean the kernel (or the driver) misbehaved, whatever the checks said.
KERNEL_PROBLEM = re.compile(
    r"\bBUG\b|WARNING:|\bOops\b|Call Trace|general protection fault|Kernel panic"
    r"|UBSAN:|list_(add|del) corruption|refcount_t:|Poison overwritten|Redzone|blocked for more"
)


@dataclass(frozen=True)
class Scenario:
    """An answer-set variant and the checks its guest runs."""

    overrides: dict[str, Any]
    firmware: bool


SCENARIOS = {
    "driver": Scenario({}, firmware=False),
    "firmware": Scenario({"with_firmware": True}, firmware=True),
}


def require_kernel(series: tuple[int, int]) -> Kernel:
    """A bootable kernel of the series with its headers; skip without one (fail under CI for the
    required series, which linux-image-amd64 and linux-headers-amd64 install)."""
    kernel = bootable_kernels().get(series)
    if kernel:
        return kernel
    name = f"{series[0]}.{series[1]}"
    message = (
        f"no readable /boot/vmlinuz-{name}.* with /usr/src/linux-headers- of the same release "
        f"(install linux-image-{name}.*-amd64 with its linux-headers package)"
    )
    if IN_CI and series == REQUIRED_SERIES:
        pytest.fail(message)
    pytest.skip(message)


def _project_answers(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load(
        (project / ".copier-answers.yml").read_text(encoding="utf-8")
    )
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def _build(project: Path, module: str, kernel: Kernel, dest: Path) -> Path:
    """Build the module (a copy: the rendered project is shared) for the kernel; the .ko."""
    module_dir = dest / module
    shutil.copytree(project / "kernel-module", module_dir)
    result = subprocess.run(
        ["make", "-C", str(module_dir), f"KVER={kernel.release}", f"KDIR={kernel.headers}"],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ko = module_dir / f"{module}.ko"
    vermagic = subprocess.run(
        [require_tool("modinfo"), "-F", "vermagic", str(ko)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert vermagic[:1] == [kernel.release], f"{ko}: vermagic {vermagic}, booting {kernel.release}"
    return ko


def _max_devices_limit(project: Path, module: str) -> int:
    """The driver's largest max_devices, from its source."""
    source = (project / "kernel-module" / f"{module}_main.c").read_text(encoding="utf-8")
    match = re.search(r"^#define PDRV_MAX_DEVICES_LIMIT (\d+)U?$", source, re.MULTILINE)
    assert match, "the driver no longer defines PDRV_MAX_DEVICES_LIMIT"
    return int(match.group(1))


def _firmware(size: int) -> bytes:
    return bytes(index % 251 for index in range(size))


def _initramfs(config: guest.GuestConfig, checks: list[guest.Check], ko: Path) -> bytes:
    busybox = Path(require_tool("busybox")).resolve()
    if not is_static_elf(busybox):
        pytest.fail(f"{busybox} is dynamically linked: install busybox-static")
    archive = Initramfs()
    archive.copy("bin/busybox", busybox, 0o755)
    # The kernel opens /dev/console for init's standard streams before init mounts devtmpfs.
    archive.char_device("dev/console", 5, 1)
    for directory in ("proc", "sys", "tmp", "lib/firmware"):
        archive.directory(directory)
    archive.copy(config.ko_path, ko)
    if config.firmware:
        archive.file(f"lib/firmware/{config.firmware}", _firmware(config.firmware_size))
    archive.file("init", guest.init_script(config, checks).encode(), 0o755)
    return archive.pack()


def _explain(report: guest.Report, run: Boot, logs: Path, problem: str) -> str:
    """A failure message: what went wrong, the console, the driver's part of the kernel log."""
    first_mark = report.kernel_log.find("scaffold-qemu: check ")
    kernel_tail = report.kernel_log[max(first_mark, 0) :] if report.kernel_log else "(none)"
    return (
        f"{problem}\n"
        f"qemu exit status {run.returncode}{' (timed out)' if run.timed_out else ''} "
        f"after {run.seconds:.0f}s; transcripts in {logs}\n"
        f"command: {' '.join(run.command)}\n"
        f"--- qemu ---\n{run.qemu_output.strip()}\n"
        f"--- guest console ---\n{report.console.strip()}\n"
        f"--- kernel log from the first check on ---\n{kernel_tail.strip()}"
    )


@dataclass(frozen=True)
class Outcome:
    """A finished case: the guest's report, the QEMU run, and the checks it was to report."""

    report: guest.Report
    run: Boot
    logs: Path
    checks: list[guest.Check]

    def explain(self, problem: str) -> str:
        return _explain(self.report, self.run, self.logs, problem)


# What each case came to, or why it could not run (a skip, or an error re-raised by its tests).
Outcomes = dict[str, Outcome | BaseException]

CASES = {
    "driver-linux-6.1": ("driver", REQUIRED_SERIES),
    "firmware-linux-6.1": ("firmware", REQUIRED_SERIES),
    "driver-linux-6.12": ("driver", OPTIONAL_SERIES),
}


def _start(
    render: Callable[..., Path], work: Path, scenario_name: str, series: tuple[int, int]
) -> tuple[RunningBoot, list[guest.Check]]:
    """Render the scenario's project, build its module for the series' kernel, start the boot."""
    qemu = require_tool("qemu-system-x86_64")
    timeout = require_tool("timeout")
    require_tool("make")
    require_tool("gcc")
    kernel = require_kernel(series)
    scenario = SCENARIOS[scenario_name]

    project = render("default", **scenario.overrides)
    answers = _project_answers(project)
    names = extension("names").derive(answers)
    vendor, devices = names["pci_vendor_id"], names["pci_device_ids"]
    if vendor != EDU_VENDOR_ID or EDU_DEVICE_ID not in devices:
        pytest.fail(f"the default answers ({vendor}:{devices}) no longer name QEMU's edu device")
    module = answers["kernel_module_name"]

    ko = _build(project, module, kernel, work)
    config = guest.GuestConfig(
        module=module,
        ko_path=f"/lib/modules/{kernel.release}/extra/{module}.ko",
        node_prefix=names["char_device_prefix"],
        vendor_id=f"0x{vendor}",
        device_ids=tuple(f"0x{device}" for device in devices),
        ident=f"0x{EDU_IDENT:08x}",
        functions=EDU_FUNCTIONS,
        firmware=names["firmware_file"] if scenario.firmware else "",
        firmware_size=FIRMWARE_SIZE if scenario.firmware else 0,
    )
    if scenario.firmware:
        checks = guest.firmware_checks()
    else:
        limit = _max_devices_limit(project, module)
        checks = guest.driver_checks(limit, EDU_MISSING_BAR, PCI_STD_NUM_BARS)
    initrd = work / "initrd.cpio"
    initrd.write_bytes(_initramfs(config, checks, ko))
    (work / "init").write_text(guest.init_script(config, checks), encoding="utf-8")
    running = start_boot(
        qemu, timeout, kernel, initrd, work, BOOT_SECONDS, devices=("edu",) * EDU_FUNCTIONS
    )
    return running, checks


@pytest.fixture(scope="module")
def outcomes(
    render_session: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> Outcomes:
    """Every case, booted at once: builds run one after the other, the guests side by side.

    A case that cannot run here (no kernel: a skip, or a failure under CI; a build that fails)
    keeps the exception, and its tests re-raise it.
    """
    started: dict[str, tuple[RunningBoot, list[guest.Check]]] = {}
    results: Outcomes = {}
    try:
        for case, (scenario, series) in CASES.items():
            work = tmp_path_factory.mktemp(f"qemu-{case}")
            try:
                started[case] = _start(render_session, work, scenario, series)
            except (Exception, pytest.skip.Exception, pytest.fail.Exception) as problem:
                results[case] = problem
    finally:
        for case, (running, checks) in started.items():
            run = running.wait()
            print(f"{case}: booted and checked in {run.seconds:.1f}s")
            report = guest.parse(run.results, run.console)
            results[case] = Outcome(report, run, running.logs, checks)
    return results


def _outcome(outcomes: Outcomes, case: str) -> Outcome:
    outcome = outcomes[case]
    if not isinstance(outcome, Outcome):
        raise outcome
    return outcome


@pytest.mark.parametrize("case", CASES)
def test_every_check_passes(outcomes: Outcomes, case: str) -> None:
    outcome = _outcome(outcomes, case)
    report, explain = outcome.report, outcome.explain
    expected = [check.name for check in outcome.checks]
    assert not outcome.run.timed_out, explain(f"no power-off within {BOOT_SECONDS}s")
    missing = [name for name in expected if name not in report.results]
    assert not missing, explain(f"checks that never reported: {missing}")
    unexpected = sorted(set(report.results) - set(expected))
    assert not unexpected, explain(f"checks nobody asked for: {unexpected}")
    assert not report.duplicates, explain(f"checks that reported twice: {report.duplicates}")
    failed = [
        f"{name}: {result.detail}" for name, result in report.results.items() if not result.passed
    ]
    assert not failed, explain("failed checks:\n  " + "\n  ".join(failed))
    assert report.done, explain("the guest never finished its script")
    assert [name for name, result in report.results.items() if result.passed] == expected


@pytest.mark.parametrize("case", CASES)
def test_kernel_log_is_clean(outcomes: Outcomes, case: str) -> None:
    outcome = _outcome(outcomes, case)
    report, explain = outcome.report, outcome.explain
    # Every check left its marker: the dump is whole, not cut by a wrapped ring buffer.
    markers = report.kernel_log.count("scaffold-qemu: check ")
    assert markers == len(outcome.checks), explain(
        f"the kernel log holds {markers} check markers, want {len(outcome.checks)}"
    )
    problems = [
        line
        for line in (report.kernel_log + "\n" + report.console).splitlines()
        if KERNEL_PROBLEM.search(line)
    ]
    assert not problems, explain("kernel problems:\n" + "\n".join(problems))
