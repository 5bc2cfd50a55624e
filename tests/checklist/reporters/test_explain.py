"""explain: one item in full, with every probe's verdict and the manual entry."""

from __future__ import annotations

from checklist.model import Report
from checklist.reporters.explain import render_item


def test_stale_item_shows_each_probe_and_the_mark(mixed_report: Report) -> None:
    result = next(r for r in mixed_report.results if r.stale_mark)
    text = render_item(result)
    assert result.item.why in text and result.item.docs in text
    verdicts = [line.strip().split("]")[0] + "]" for line in text.splitlines() if "] " in line]
    assert verdicts == ["[FAIL]" if not o.passed else "[pass]" for _, o in result.probe_results]
    assert "(stale: a probe fails, so the item is not done)" in text


def test_not_applicable_item_lists_probes_not_run(mixed_report: Report) -> None:
    result = next(
        r
        for r in mixed_report.results
        if r.item.probes and r.item.applies_when and not r.applicable
    )
    text = render_item(result)
    assert text.count("[not run]") == len(result.item.probes)
    assert "applies: when " in text
