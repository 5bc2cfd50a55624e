"""The SVG badge: valid XML showing the completion rate in a colour that follows it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checklist.model import Report
from checklist.reporters import badge

SVG = "{http://www.w3.org/2000/svg}"


def test_badge_is_svg_with_the_rate(mixed_report: Report) -> None:
    root = ET.fromstring(badge.render(mixed_report))
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["checklist", f"{mixed_report.progress.percent}%"]
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert badge.colour(mixed_report.progress.percent) in fills


def test_colour_rises_with_the_rate() -> None:
    colours = [badge.colour(p) for p in (0, 30, 60, 80, 100)]
    assert len(set(colours)) == len(colours)
