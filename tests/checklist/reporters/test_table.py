"""The terminal table: a progress line per section, one line per item, reasons for the open ones."""

from __future__ import annotations

from checklist.model import Report, Status
from checklist.reporters import table


def test_every_section_has_a_bar_with_its_counts(mixed_report: Report) -> None:
    text = table.render(mixed_report)
    for section in mixed_report.sections:
        progress = section.progress
        line = next(line for line in text.splitlines() if line.startswith(section.section.title))
        assert f"{progress.done}/{progress.applicable}" in line
        assert line.count("█") == round(progress.ratio * table.BAR_WIDTH)


def test_open_items_show_their_reason(mixed_report: Report) -> None:
    text = table.render(mixed_report, width=400)
    for result in mixed_report.results:
        assert result.item.id in text
        if result.status is Status.TODO:
            assert result.reason in text


def test_ascii_only_output(mixed_report: Report) -> None:
    text = table.render(mixed_report, ascii_only=True)
    assert text.isascii()
    assert "[x]" in text
