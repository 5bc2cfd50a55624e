"""The QEMU driver test's helpers (tests/qemu), without QEMU: the initramfs writer, the guest script
and its report parser, the kernel lookup and the static-binary test."""

from __future__ import annotations

import shutil
import stat
import struct
import subprocess
from pathlib import Path

import pytest

from tests.qemu import guest, machine
from tests.qemu.initramfs import Initramfs

CONFIG = guest.GuestConfig(
    module="acme_edu",
    ko_path="/lib/modules/6.1.0-9-amd64/extra/acme_edu.ko",
    node_prefix="acme_edu",
    vendor_id="0x1234",
    device_ids=("0x11e8", "0x11e9"),
    ident="0x010000ed",
    firmware="acme_edu/acme_edu-fw.bin",
    firmware_size=10,
)


def _read_newc(archive: bytes) -> list[tuple[str, int, bytes, tuple[int, int]]]:
    """Entries of a newc archive, read back field by field: (name, mode, data, rdev)."""
    entries: list[tuple[str, int, bytes, tuple[int, int]]] = []
    offset = 0
    while True:
        header = archive[offset : offset + 110]
        assert header[:6] == b"070701", f"bad magic at {offset}"
        fields = [int(header[6 + 8 * index : 14 + 8 * index], 16) for index in range(13)]
        mode, size, rdev, namesize = fields[1], fields[6], (fields[9], fields[10]), fields[11]
        name_start = offset + 110
        name = archive[name_start : name_start + namesize - 1].decode()
        assert archive[name_start + namesize - 1] == 0, f"{name}: name not NUL-terminated"
        data_start = (name_start + namesize + 3) // 4 * 4
        data = archive[data_start : data_start + size]
        offset = (data_start + size + 3) // 4 * 4
        if name == "TRAILER!!!":
            assert offset == len(archive), "bytes after the trailer"
            return entries
        entries.append((name, mode, data, rdev))


def test_initramfs_round_trips_every_kind_of_entry() -> None:
    archive = Initramfs()
    archive.file("lib/firmware/vendor/fw.bin", b"abcde", 0o600)
    archive.symlink("bin/sh", "busybox")
    archive.char_device("dev/console", 5, 1)
    archive.directory("proc")
    entries = {name: (mode, data, rdev) for name, mode, data, rdev in _read_newc(archive.pack())}

    assert set(entries) == {
        "lib",
        "lib/firmware",
        "lib/firmware/vendor",
        "lib/firmware/vendor/fw.bin",
        "bin",
        "bin/sh",
        "dev",
        "dev/console",
        "proc",
    }
    mode, data, _ = entries["lib/firmware/vendor/fw.bin"]
    assert (stat.S_ISREG(mode), stat.S_IMODE(mode), data) == (True, 0o600, b"abcde")
    mode, data, _ = entries["bin/sh"]
    assert (stat.S_ISLNK(mode), data) == (True, b"busybox")
    mode, _, rdev = entries["dev/console"]
    assert (stat.S_ISCHR(mode), rdev) == (True, (5, 1))
    assert stat.S_ISDIR(entries["proc"][0])


def test_initramfs_lists_parents_before_children() -> None:
    archive = Initramfs()
    archive.file("a/b/c", b"")
    archive.file("a/d", b"")
    names = [name for name, *_ in _read_newc(archive.pack())]
    assert names == ["a", "a/b", "a/b/c", "a/d"]


@pytest.mark.parametrize(
    "checks",
    [guest.driver_checks(256, 1, 6), guest.firmware_checks()],
    ids=["driver", "firmware"],
)
def test_init_script_is_valid_shell_with_unique_checks(
    checks: list[guest.Check], tmp_path: Path
) -> None:
    names = [check.name for check in checks]
    assert len(names) == len(set(names)) > 0
    script = guest.init_script(CONFIG, checks)
    assert script.startswith("#!/bin/busybox sh\n")
    for check in checks:
        assert f"\nrun_check {check.name} {check.command}\n" in script
        function = check.command.split()[0]
        assert f"\n{function}() {{\n" in script, f"{check.name}: {function} is not defined"
    assert "DEVICE_IDS='0x11e8 0x11e9'\n" in script
    init = tmp_path / "init"
    init.write_text(script)
    shell = shutil.which("busybox")
    command = [shell, "sh", "-n", str(init)] if shell else ["sh", "-n", str(init)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_parse_reads_results_and_the_kernel_log() -> None:
    results = (
        "noise SCAFFOLD-QEMU check=load result=pass detail=insmod ok\r\n"
        "SCAFFOLD-QEMU check=read result=fail detail=reads '0', want '0x010000ed'\r\n"
        "SCAFFOLD-QEMU check=load result=pass detail=again\r\n"
        f"SCAFFOLD-QEMU done\r\n{guest.LOG_BEGIN}\r\n[ 1.0] one\r\n[ 2.0] two\r\n"
        f"{guest.LOG_END}\r\n"
    )
    report = guest.parse(results, "console\r\n")
    assert report.results["read"] == guest.Result("read", False, "reads '0', want '0x010000ed'")
    assert report.results["load"] == guest.Result("load", True, "again")
    assert report.duplicates == ["load"]
    assert report.done
    assert report.kernel_log == "[ 1.0] one\n[ 2.0] two"
    assert report.console == "console\n"


def test_parse_of_a_guest_that_died_early() -> None:
    report = guest.parse("SCAFFOLD-QEMU check=load result=pass detail=x\n", "Kernel panic")
    assert list(report.results) == ["load"]
    assert not report.done
    assert report.kernel_log == ""


def _fake_kernel(root: Path, release: str, headers_release: str) -> None:
    (root / "boot").mkdir(exist_ok=True)
    (root / "boot" / f"vmlinuz-{release}").write_bytes(b"kernel")
    tree = root / "src" / f"linux-headers-{release}"
    (tree / "include" / "generated").mkdir(parents=True)
    (tree / "Makefile").write_text("")
    (tree / "include" / "generated" / "utsrelease.h").write_text(
        f'#define UTS_RELEASE "{headers_release}"\n'
    )


def test_bootable_kernels_pair_images_with_headers_of_the_same_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_kernel(tmp_path, "6.1.0-9-amd64", "6.1.0-9-amd64")
    _fake_kernel(tmp_path, "6.1.0-10-amd64", "6.1.0-10-amd64")
    _fake_kernel(tmp_path, "6.12.5+deb12-amd64", "6.12.5+deb12-amd64")
    # Headers that claim another release do not count.
    _fake_kernel(tmp_path, "6.12.9+deb12-amd64", "6.12.8+deb12-amd64")
    (tmp_path / "boot" / "vmlinuz-5.10.0-1-amd64").write_bytes(b"no headers")
    monkeypatch.setattr(machine, "BOOT", tmp_path / "boot")
    monkeypatch.setattr(machine, "HEADERS_ROOT", tmp_path / "src")

    kernels = machine.bootable_kernels()

    assert {series: kernel.release for series, kernel in kernels.items()} == {
        (6, 1): "6.1.0-10-amd64",
        (6, 12): "6.12.5+deb12-amd64",
    }
    assert kernels[(6, 1)].image == tmp_path / "boot" / "vmlinuz-6.1.0-10-amd64"
    assert kernels[(6, 1)].headers == tmp_path / "src" / "linux-headers-6.1.0-10-amd64"


def _elf(program_header_types: list[int]) -> bytes:
    """A 64-bit little-endian ELF header and program header table, nothing else."""
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header = ident + struct.pack(
        "<HHIQQQIHHHHHH", 2, 62, 1, 0, 64, 0, 0, 64, 56, len(program_header_types), 0, 0, 0
    )
    table = b"".join(
        struct.pack("<IIQQQQQQ", kind, 0, 0, 0, 0, 0, 0, 0) for kind in program_header_types
    )
    return header + table


PT_LOAD = 1


def test_static_elf_test_looks_for_a_program_interpreter(tmp_path: Path) -> None:
    static, dynamic, script = tmp_path / "static", tmp_path / "dynamic", tmp_path / "script"
    static.write_bytes(_elf([PT_LOAD, PT_LOAD]))
    dynamic.write_bytes(_elf([PT_LOAD, machine.PT_INTERP, PT_LOAD]))
    script.write_text("#!/bin/sh\n")
    assert machine.is_static_elf(static)
    assert not machine.is_static_elf(dynamic)
    assert not machine.is_static_elf(script)
