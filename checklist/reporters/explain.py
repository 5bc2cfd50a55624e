"""One item in full (`scaffold checklist explain`): each probe's verdict and the manual entry."""

from __future__ import annotations

import itertools

from checklist.model import ItemResult
from checklist.reporters.common import status_word


def _show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def render_item(result: ItemResult) -> str:
    """Everything about one item: what it needs, why it matters, and why it has its status."""
    item = result.item
    conditions = " and ".join(
        f"{name} is {' or '.join(_show(v) for v in vals)}"
        for name, vals in item.applies_when.items()
    )
    lines = [
        f"{item.id}: {item.title}",
        f"  section: {item.section.title}; level: {item.level.value}; owner: {item.owner.value}"
        + (f"; component: {item.component}/" if item.component else ""),
        f"  applies: {'when ' + conditions if conditions else 'always'}",
        f"  status: {status_word(result)}: {result.reason}",
        f"  why: {item.why}",
        f"  how: {item.how}",
        f"  docs: {item.docs}",
    ]
    if item.probes:
        joined = "every probe must pass" if item.match == "all" else "one probe must pass"
        lines.append(f"  checked automatically ({joined}):")
        # No outcomes when the item does not apply: its probes did not run.
        outcomes = [outcome for _, outcome in result.probe_results]
        for call, outcome in itertools.zip_longest(item.probes, outcomes):
            options = ", ".join(f"{k}={v}" for k, v in call.options.items())
            verdict = "not run" if outcome is None else ("pass" if outcome.passed else "FAIL")
            lines.append(f"    [{verdict}] {call.probe}({options})")
            if outcome is not None:
                lines.append(f"           {outcome.reason}")
    else:
        lines.append(f"  checked by hand: scaffold checklist mark {item.id} --evidence URL-OR-PATH")
    if result.mark is not None:
        mark = result.mark
        detail = mark.evidence or mark.reason
        stale = " (stale: a probe fails, so the item is not done)" if result.stale_mark else ""
        lines.append(
            f"  manual entry: {mark.status.value} by {mark.by or '?'} at {mark.at or '?'}: "
            f"{detail}{stale}"
        )
    return "\n".join(lines)
