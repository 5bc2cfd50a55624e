"""Markdown: a summary table plus one table per section, all cells escaped."""

from __future__ import annotations

from markdown_it import MarkdownIt

from checklist.model import Report
from checklist.reporters import markdown
from checklist.reporters.markdown import cell
from tests.checklist.helpers import HOSTILE


def test_tables_parse_with_one_row_per_item(mixed_report: Report) -> None:
    text = markdown.render(mixed_report)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 1 + len(mixed_report.sections)
    body_rows = sum(1 for t in tokens if t.type == "tr_open") - len(tables)  # minus header rows
    assert body_rows == len(mixed_report.sections) + len(mixed_report.results)


def test_every_section_and_the_overall_rate_are_shown(mixed_report: Report) -> None:
    text = markdown.render(mixed_report)
    assert f"**{mixed_report.progress.percent}%**" in text
    for section in mixed_report.sections:
        assert f"<b>{section.section.title}</b>" in text


def test_hostile_text_cannot_break_the_table_or_inject_html(mixed_report: Report) -> None:
    text = markdown.render(mixed_report)
    assert HOSTILE not in text
    assert "<b>Devices</b>" not in text
    assert "&lt;b&gt;Devices&lt;/b&gt;" in text and "\\|" in text


def test_facts_are_in_the_summary(mixed_report: Report) -> None:
    text = markdown.render(mixed_report)
    for label, value in mixed_report.facts:
        assert f"{label}: **{cell(value)}**" in text
