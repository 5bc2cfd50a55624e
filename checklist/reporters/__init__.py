"""Report formats: each module turns a ``Report`` into text. The engine never formats anything.

``REPORTERS`` maps a ``--format`` name to its render function; all are standard-library only.
"""

from __future__ import annotations

from collections.abc import Callable

from checklist.model import Report
from checklist.reporters import badge, html, json, junit, markdown, table

REPORTERS: dict[str, Callable[[Report], str]] = {
    "table": table.render,
    "markdown": markdown.render,
    "json": json.render,
    "junit": junit.render,
    "html": html.render,
    "badge": badge.render,
}


def render(report: Report, format_name: str) -> str:
    try:
        reporter = REPORTERS[format_name]
    except KeyError:
        raise KeyError(f"unknown format {format_name!r} (known: {', '.join(REPORTERS)})") from None
    return reporter(report)
