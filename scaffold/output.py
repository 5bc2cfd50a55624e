"""The one writer every command prints through, so ``--quiet`` and tests have a single handle."""

from __future__ import annotations

import sys
from typing import TextIO


class Output:
    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self._stream = stream
        self.quiet = quiet

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stdout

    def line(self, text: str = "") -> None:
        """Informational output, silenced by ``--quiet``."""
        if not self.quiet:
            print(text, file=self.stream)

    def result(self, text: str) -> None:
        """A command's product (a report, JSON): printed even with ``--quiet``."""
        print(text, file=self.stream)
