"""`scaffold new` in a terminal asks Copier's questions, shows a rule's error and accepts a fix."""

from __future__ import annotations

import os
import re
import select
import struct
import sys
import time
from pathlib import Path

import pytest
import yaml

pty = pytest.importorskip("pty")
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")


class Terminal:
    """A child process on a pseudo-terminal, read without blocking."""

    def __init__(self, argv: list[str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the command
            os.environ["TERM"] = "xterm"
            os.execvp(argv[0], argv)
        # Wide enough that prompts and errors are not wrapped mid-sentence.
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 300, 0, 0))
        self.screen = b""

    def read(self, seconds: float) -> bool:
        """Collect output for ``seconds``; False once the child has closed the terminal."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return False
                if not chunk:
                    return False
                self.screen += chunk
        return True

    def type(self, keys: bytes, settle: float = 0.6) -> bool:
        os.write(self.fd, keys)
        return self.read(settle)

    def text(self) -> str:
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.screen.decode("utf-8", "replace"))

    def exit_code(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.1)
        os.kill(self.pid, 9)
        raise AssertionError(f"scaffold new did not finish:\n{self.text()[-2000:]}")


@pytest.mark.slow
def test_prompts_validate_and_accept_defaults(tmp_path: Path) -> None:
    data = tmp_path / "partial.yml"
    data.write_text(
        "vendor_name: Acme\nvendor_domain: acme.com\nproduct_name: Acme EDU\n"
        'pci_device_ids: ["11e8"]\n'
    )
    dest = tmp_path / "acme"
    term = Terminal([sys.executable, "-m", "scaffold", "new", str(dest), "--data-file", str(data)])
    term.read(4)
    term.type(b"\r")  # project_slug: keep the derived default
    term.type(b"12G4\r")  # pci_vendor_id: breaks the rule
    assert "pci_vendor_id: '12G4' is not 4 hexadecimal digits" in term.text()
    term.type(b"\x7f" * 4 + b"1234\r")
    for _ in range(40):  # every other question: accept its default
        if not term.type(b"\r", settle=0.4):
            break
    assert term.exit_code() == 0, term.text()[-2000:]
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["pci_vendor_id"] == "1234"
    assert answers["project_slug"] == "acme-edu"
