"""Small helpers every report format shares: status words, symbols, bars, plain-text cleaning."""

from __future__ import annotations

import re

from checklist.model import ItemResult, Level, Status

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """One line of printable text: control characters (invalid in XML, noisy in terminals) go."""
    return _CONTROL.sub("", " ".join(text.split()))


def bar(ratio: float, width: int, full: str = "█", empty: str = "░") -> str:
    filled = round(max(0.0, min(1.0, ratio)) * width)
    return full * filled + empty * (width - filled)


def status_word(result: ItemResult) -> str:
    """What a person reads: done, todo (required), todo (recommended), stale, n/a."""
    if result.status is Status.DONE:
        return "done"
    if result.status is Status.NOT_APPLICABLE:
        return "n/a"
    if result.stale_mark:
        return "stale"
    return "missing" if result.item.level is Level.REQUIRED else "todo"
