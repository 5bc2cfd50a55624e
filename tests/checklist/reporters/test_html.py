"""The HTML page: every section, a progress bar each, escaped values and no external assets."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from checklist.model import Report
from checklist.reporters import html
from tests.checklist.helpers import EVIDENCE_URL, HOSTILE


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(report: Report) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html.render(report))
    return collector.tags


def test_every_section_with_a_progress_bar(mixed_report: Report) -> None:
    tags = _tags(mixed_report)
    section_ids = [a["id"] for t, a in tags if t == "section"]
    assert section_ids == [f"section-{s.section.id}" for s in mixed_report.sections]
    bars = [a for t, a in tags if a.get("role") == "progressbar"]
    assert len(bars) == len(mixed_report.sections) + 1  # and the overall bar
    values = [int(a["aria-valuenow"] or -1) for a in bars[1:]]
    assert values == [s.progress.percent for s in mixed_report.sections]


def test_no_external_assets(mixed_report: Report) -> None:
    page = html.render(mixed_report)
    tags = _tags(mixed_report)
    assert not [t for t, a in tags if t in {"link", "script", "img", "iframe"}]
    assert "url(" not in page and "@import" not in page
    anchors = [a["href"] or "" for t, a in tags if t == "a" and a.get("class") != "evidence"]
    in_page = [a for a in anchors if a.startswith("#")]
    assert in_page == [f"#section-{s.section.id}" for s in mixed_report.sections]
    assert len(anchors) - len(in_page) == len(mixed_report.results)  # docs links load nothing


def test_hostile_values_are_escaped(mixed_report: Report) -> None:
    page = html.render(mixed_report)
    assert HOSTILE not in page
    assert "&lt;b&gt;Devices&lt;/b&gt;" in page


def test_facts_identify_the_product_escaped(mixed_report: Report) -> None:
    page = html.render(mixed_report)
    labels = dict(mixed_report.facts)
    assert labels["Vendor"] == HOSTILE
    assert f"<dt>Vendor</dt><dd>{escape(HOSTILE)}</dd>" in page
    assert f"<dd>{escape(labels['PCI vendor id'])}</dd>" in page


def test_evidence_links_only_for_web_addresses(mixed_report: Report) -> None:
    tags = _tags(mixed_report)
    evidence = [a["href"] for t, a in tags if t == "a" and a.get("class") == "evidence"]
    assert evidence == [EVIDENCE_URL]
    assert not [a for t, a in tags if t == "a" and (a.get("href") or "").startswith("javascript:")]
