"""The terminal report: one block per section with a progress bar, one line per item."""

from __future__ import annotations

from checklist.model import ItemResult, Progress, Report, Status
from checklist.reporters.common import bar, clean, status_word

_SYMBOLS = {"done": "✔", "n/a": "·", "missing": "✘", "todo": "○", "stale": "!"}
_ASCII_SYMBOLS = {"done": "x", "n/a": "-", "missing": "!", "todo": " ", "stale": "?"}
BAR_WIDTH = 20
LABEL_WIDTH = 34


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 3)] + "..."


def _progress_line(title: str, progress: Progress, ascii_only: bool) -> str:
    drawn = (
        bar(progress.ratio, BAR_WIDTH, "#", ".") if ascii_only else bar(progress.ratio, BAR_WIDTH)
    )
    counts = f"{progress.done}/{progress.applicable}"
    label = _fit(title, LABEL_WIDTH)
    return f"{label:<{LABEL_WIDTH}} [{drawn}] {counts:>7} {progress.percent:>4}%"


def _item_lines(result: ItemResult, ascii_only: bool, width: int) -> list[str]:
    word = status_word(result)
    symbol = (_ASCII_SYMBOLS if ascii_only else _SYMBOLS)[word]
    symbol = f"[{symbol}]" if ascii_only else symbol
    level = "req" if result.item.level.value == "required" else "rec"
    head = f"  {symbol} {result.item.id:<38} {level}  "
    lines = [head + _fit(clean(result.item.title), max(10, width - len(head)))]
    if result.status is Status.TODO:
        lines.append("      " + _fit(clean(result.reason), max(10, width - 6)))
    return lines


def render(report: Report, *, width: int = 100, ascii_only: bool = False) -> str:
    """The table as text; ``ascii_only`` for terminals that cannot show block characters."""
    total, required = report.progress, report.required_progress
    lines = [
        f"Enablement checklist: {clean(report.project_name)} (catalog {report.catalog_version})",
        *(
            [_fit(clean("; ".join(f"{k}: {v}" for k, v in report.facts)), width)]
            if report.facts
            else []
        ),
        _progress_line("Overall", total, ascii_only),
        f"Required items done: {required.done}/{required.applicable}",
        "",
    ]
    for section in report.sections:
        lines.append(_progress_line(section.section.title, section.progress, ascii_only))
        for result in section.results:
            lines.extend(_item_lines(result, ascii_only, width))
        lines.append("")
    legend = "  ".join(f"{(_ASCII_SYMBOLS if ascii_only else _SYMBOLS)[w]} {w}" for w in _SYMBOLS)
    lines.append(f"Legend: {legend}   (req = required, rec = recommended)")
    lines.extend(f"warning: {w}" for w in report.warnings)
    text = "\n".join(lines)
    # A terminal that cannot show block characters cannot show a vendor's "Ü" either.
    return text.encode("ascii", "replace").decode("ascii") if ascii_only else text
