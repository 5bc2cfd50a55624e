"""An SVG badge of the completion rate, shields.io style, for a README."""

from __future__ import annotations

from html import escape

from checklist.model import Report

_CHAR_WIDTH = 6.6  # average width of an 11px Verdana glyph: close enough to size the boxes


def colour(percent: int) -> str:
    if percent >= 100:
        return "#4c1"
    if percent >= 75:
        return "#97ca00"
    if percent >= 50:
        return "#dfb317"
    if percent >= 25:
        return "#fe7d37"
    return "#e05d44"


def render(report: Report, label: str = "checklist") -> str:
    percent = report.progress.percent
    value = f"{percent}%"
    left = int(len(label) * _CHAR_WIDTH + 12)
    right = int(len(value) * _CHAR_WIDTH + 12)
    total = left + right
    text = escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{text}: {value}">'
        f"<title>{text}: {value}</title>"
        f'<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        f'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour(percent)}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        f'font-size="11">'
        f'<text x="{left / 2:.1f}" y="14">{text}</text>'
        f'<text x="{left + right / 2:.1f}" y="14">{value}</text></g></svg>'
    )
