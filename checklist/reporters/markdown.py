"""GitHub-flavoured Markdown: a summary table, then one collapsible section per checklist section.

Meant for pull-request comments and ``$GITHUB_STEP_SUMMARY``; every cell is escaped so a reason
holding ``|`` or ``<`` cannot break the table or inject HTML.
"""

from __future__ import annotations

from checklist.model import ItemResult, Report
from checklist.reporters.common import bar, clean, status_word

_ICONS = {"done": "✅", "n/a": "🚫", "missing": "❌", "todo": "⬜", "stale": "⚠️"}


def cell(text: str) -> str:
    escaped = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("|", "\\|").replace("`", "'")


def _row(result: ItemResult) -> str:
    word = status_word(result)
    title = f"[{cell(result.item.title)}]({result.item.docs})"
    return (
        f"| {_ICONS[word]} {word} | {title}<br>`{result.item.id}` | {result.item.level.value} "
        f"| {result.item.owner.value} | {cell(result.reason)} |"
    )


def render(report: Report) -> str:
    total, required = report.progress, report.required_progress
    lines = [
        f"## Enablement checklist: {cell(report.project_name)}",
        "",
        f"**{total.percent}%** of applicable items done ({total.done}/{total.applicable}); "
        f"required: {required.done}/{required.applicable}. "
        f"Catalog {report.catalog_version}, {report.generated_at}.",
        "",
        *(
            [" · ".join(f"{cell(k)}: **{cell(v)}**" for k, v in report.facts), ""]
            if report.facts
            else []
        ),
        "| Section | Progress | Done |",
        "| --- | --- | --- |",
    ]
    for section in report.sections:
        progress = section.progress
        lines.append(
            f"| {cell(section.section.title)} | `{bar(progress.ratio, 10)}` {progress.percent}% "
            f"| {progress.done}/{progress.applicable} |"
        )
    for section in report.sections:
        progress = section.progress
        lines += [
            "",
            f"<details><summary><b>{cell(section.section.title)}</b>: "
            f"{progress.done}/{progress.applicable} done</summary>",
            "",
            "| Status | Item | Level | Owner | Why this status |",
            "| --- | --- | --- | --- | --- |",
            *(_row(r) for r in section.results),
            "",
            "</details>",
        ]
    if report.warnings:
        lines += ["", *(f"> warning: {cell(w)}" for w in report.warnings)]
    return "\n".join(lines)
