"""A minimal initramfs writer: the kernel's "newc" cpio format, built in memory.

Building the archive here rather than with cpio(1) lets it hold /dev/console, a character device
node, without root or mknod: the kernel opens that node for init's standard streams before init
can mount devtmpfs.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

NEWC_MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def _pad4(length: int) -> bytes:
    return b"\0" * (-length % 4)


@dataclass
class Initramfs:
    """Entries of an uncompressed newc archive, in the order the kernel will unpack them."""

    _entries: list[tuple[str, int, bytes, tuple[int, int]]] = field(default_factory=list)
    _dirs: set[str] = field(default_factory=set)

    def directory(self, path: str) -> None:
        """Add a directory and any missing parents."""
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            name = "/".join(parts[:depth])
            if name and name not in self._dirs:
                self._dirs.add(name)
                self._entries.append((name, stat.S_IFDIR | 0o755, b"", (0, 0)))

    def file(self, path: str, data: bytes, mode: int = 0o644) -> None:
        """Add a regular file; its parent directories are created as needed."""
        self._parent(path)
        self._entries.append((path.strip("/"), stat.S_IFREG | mode, data, (0, 0)))

    def copy(self, path: str, source: Path, mode: int = 0o644) -> None:
        self.file(path, source.read_bytes(), mode)

    def symlink(self, path: str, target: str) -> None:
        self._parent(path)
        self._entries.append((path.strip("/"), stat.S_IFLNK | 0o777, target.encode(), (0, 0)))

    def char_device(self, path: str, major: int, minor: int, mode: int = 0o600) -> None:
        self._parent(path)
        self._entries.append((path.strip("/"), stat.S_IFCHR | mode, b"", (major, minor)))

    def _parent(self, path: str) -> None:
        parent = path.strip("/").rpartition("/")[0]
        if parent:
            self.directory(parent)

    def pack(self) -> bytes:
        """The archive, trailer included."""
        out = bytearray()
        for inode, (name, mode, data, rdev) in enumerate(self._entries, start=1):
            out += _record(inode, name, mode, data, rdev)
        out += _record(0, TRAILER, 0, b"", (0, 0))
        return bytes(out)


def _record(inode: int, name: str, mode: int, data: bytes, rdev: tuple[int, int]) -> bytes:
    encoded = name.encode() + b"\0"
    nlink = 2 if stat.S_ISDIR(mode) else 1
    fields = (inode, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0)
    header = NEWC_MAGIC + b"".join(b"%08x" % value for value in fields)
    head = header + encoded
    return head + _pad4(len(head)) + data + _pad4(len(data))
