"""The host side: which kernel to boot (with headers of the same release), and booting it."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BOOT = Path("/boot")
HEADERS_ROOT = Path("/usr/src")

# Transcripts of a boot: the two serial ports and QEMU's own output.
CONSOLE_LOG = "console.log"
RESULTS_LOG = "results.log"
QEMU_LOG = "qemu.log"

# ELF program header type of the dynamic loader's path: a static binary has none.
PT_INTERP = 3


@dataclass(frozen=True)
class Kernel:
    """A bootable kernel image and the header tree of the very same release."""

    release: str
    image: Path
    headers: Path

    @property
    def series(self) -> tuple[int, int]:
        major, minor = self.release.split(".")[:2]
        return int(major), int(minor)


def headers_release(tree: Path) -> str | None:
    """UTS_RELEASE of a configured header tree, the release its modules' vermagic names."""
    release_file = tree / "include" / "generated" / "utsrelease.h"
    if not (tree / "Makefile").is_file() or not release_file.is_file():
        return None
    match = re.search(r'^#define UTS_RELEASE "(.+)"$', release_file.read_text(), re.MULTILINE)
    return match.group(1) if match else None


def bootable_kernels() -> dict[tuple[int, int], Kernel]:
    """Readable /boot/vmlinuz-<release> with /usr/src/linux-headers-<release> of that release,
    newest release of each (major, minor) series."""
    kernels: dict[tuple[int, int], Kernel] = {}
    images = [image for image in BOOT.glob("vmlinuz-*") if os.access(image, os.R_OK)]
    for image in images:
        release = image.name.removeprefix("vmlinuz-")
        headers = HEADERS_ROOT / f"linux-headers-{release}"
        if headers_release(headers) != release:
            continue
        kernel = Kernel(release, image, headers)
        current = kernels.get(kernel.series)
        if current is None or _release_key(release) > _release_key(current.release):
            kernels[kernel.series] = kernel
    return kernels


def _release_key(release: str) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", release))


def is_static_elf(path: Path) -> bool:
    """True for a 64-bit little-endian ELF without a program interpreter (statically linked)."""
    with path.open("rb") as elf:
        header = elf.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return False
        (phoff,) = struct.unpack_from("<Q", header, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        elf.seek(phoff)
        table = elf.read(phentsize * phnum)
    types = (struct.unpack_from("<I", table, index * phentsize)[0] for index in range(phnum))
    return PT_INTERP not in types


@dataclass(frozen=True)
class Boot:
    """One finished QEMU run: what the two serial ports carried and how QEMU (or timeout) ended."""

    console: str  # ttyS0: the kernel console
    results: str  # ttyS1: what the guest script reports
    qemu_output: str  # QEMU's own messages
    returncode: int
    timed_out: bool
    command: list[str]
    seconds: float


class RunningBoot:
    """A QEMU run in progress; several may run at once (TCG keeps each to about one CPU)."""

    def __init__(self, command: list[str], logs: Path, limit: int) -> None:
        self.command = command
        self.logs = logs
        self.limit = limit
        self.started = time.monotonic()
        with (logs / QEMU_LOG).open("wb") as log:
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    def wait(self) -> Boot:
        try:
            returncode = self._process.wait(timeout=self.limit + 30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            returncode = self._process.wait()
        # coreutils timeout exits 124 when it had to stop the command (137 after --kill-after).
        return Boot(
            _read(self.logs / CONSOLE_LOG),
            _read(self.logs / RESULTS_LOG),
            _read(self.logs / QEMU_LOG),
            returncode,
            returncode in {124, 137} or returncode < 0,
            self.command,
            time.monotonic() - self.started,
        )


def start_boot(
    qemu: str,
    timeout: str,
    kernel: Kernel,
    initrd: Path,
    logs: Path,
    seconds: int,
    devices: tuple[str, ...] = ("edu",),
) -> RunningBoot:
    """Boot kernel + initrd under TCG, killed after ``seconds``; transcripts go to ``logs``.

    QEMU exits 0 even when the guest panics (panic=-1 with -no-reboot ends it), so the caller
    judges the run by what the guest printed, never by the exit status alone.
    """
    command = [
        timeout,
        "--kill-after=10",
        str(seconds),
        qemu,
        "-accel",
        "tcg",
        "-m",
        "256",
        "-nographic",
        "-monitor",
        "none",
        "-serial",
        f"file:{logs / CONSOLE_LOG}",
        "-serial",
        f"file:{logs / RESULTS_LOG}",
        "-no-reboot",
        # No network card: nothing to probe, and no option ROM for the firmware to try.
        "-nic",
        "none",
        *(arg for device in devices for arg in ("-device", device)),
        "-kernel",
        str(kernel.image),
        "-initrd",
        str(initrd),
        "-append",
        "console=ttyS0 panic=-1 quiet",
    ]
    return RunningBoot(command, logs, seconds)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace") if path.exists() else ""
