"""A self-contained HTML page (inline CSS, no scripts, nothing fetched) to hand over as evidence.

Every value from the project or the state file goes through ``html.escape``: vendor names and
evidence are data, never markup.
"""

from __future__ import annotations

from html import escape

from checklist.model import ItemResult, Progress, Report, SectionResult
from checklist.reporters.common import status_word

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1b1d21;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin:0}
.meta{color:#5a5f66;margin-top:0}
.progress{display:flex;align-items:center;gap:.8rem;margin:.4rem 0 1rem}
.bar{flex:0 0 16rem;height:.8rem;background:#e4e6e9;border-radius:.4rem;overflow:hidden}
.bar>span{display:block;height:100%;background:#3e8635}
.count{font-variant-numeric:tabular-nums;color:#33363b}
section{border:1px solid #d2d5d9;border-radius:.5rem;padding:1rem 1.2rem;margin:1.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-top:1px solid #eceef0}
th{color:#5a5f66;font-weight:600}
.status{font-weight:600;white-space:nowrap}
.done{color:#3e8635}.missing{color:#c9190b}.todo{color:#8a6d00}.stale{color:#c9190b}
.na{color:#6a6e73}
code{font-size:.85em;color:#5a5f66}
.why{color:#5a5f66;font-size:.86rem;margin-top:.2rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.6rem 0}
.facts dt{color:#5a5f66}.facts dd{margin:0}
@media print{body{margin:0;max-width:none}a{color:inherit}tr{break-inside:avoid}}
.toc{columns:2;list-style:none;padding:0;margin:.5rem 0}.toc li{margin:.15rem 0}
"""


def _progress(progress: Progress, label: str) -> str:
    return (
        f'<div class="progress" role="group" aria-label="{escape(label)}">'
        f'<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        f'aria-valuenow="{progress.percent}"><span style="width:{progress.percent}%"></span></div>'
        f'<span class="count">{progress.done}/{progress.applicable} done '
        f"({progress.percent}%)</span>"
        f"</div>"
    )


def _evidence_link(result: ItemResult) -> str:
    """A link to a manual mark's evidence, for web addresses only (never javascript: and such)."""
    evidence = result.mark.evidence if result.mark is not None else ""
    if not evidence.startswith(("https://", "http://")):
        return ""
    return f' <a class="evidence" href="{escape(evidence)}">evidence</a>'


def _row(result: ItemResult) -> str:
    word = status_word(result)
    item = result.item
    css = "na" if word == "n/a" else word
    return (
        f'<tr id="item-{escape(item.id)}"><td class="status {css}">{escape(word)}</td>'
        f'<td><a href="{escape(item.docs)}">{escape(item.title)}</a> <code>{escape(item.id)}</code>'
        f'<div class="why">{escape(item.why)}</div></td>'
        f"<td>{escape(item.level.value)}</td><td>{escape(item.owner.value)}</td>"
        f"<td>{escape(result.reason)}{_evidence_link(result)}</td></tr>"
    )


def _section(section: SectionResult) -> str:
    title = section.section.title
    return (
        f'<section id="section-{escape(section.section.id)}"><h2>{escape(title)}</h2>'
        f"{_progress(section.progress, title)}"
        "<table><thead><tr><th>Status</th><th>Item</th><th>Level</th><th>Owner</th>"
        "<th>Why this status</th></tr></thead><tbody>"
        + "".join(_row(r) for r in section.results)
        + "</tbody></table></section>"
    )


def _overview(report: Report) -> str:
    """A table of contents: each section with its share done, linking to it."""
    entries = "".join(
        f'<li><a href="#section-{escape(s.section.id)}">{escape(s.section.title)}</a> '
        f'<span class="count">{s.progress.done}/{s.progress.applicable}</span></li>'
        for s in report.sections
    )
    return f'<nav aria-label="Sections"><ul class="toc">{entries}</ul></nav>'


def render(report: Report) -> str:
    name = escape(report.project_name)
    required = report.required_progress
    warnings = "".join(f'<p class="missing">warning: {escape(w)}</p>' for w in report.warnings)
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in report.facts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Enablement checklist: {name}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Enablement checklist: {name}</h1>"
        f'<p class="meta">Catalog {escape(report.catalog_version)}, generated '
        f"{escape(report.generated_at)}. Required items done: {required.done}/"
        f'{required.applicable}.</p><dl class="facts">{facts}</dl>'
        f"{_progress(report.progress, 'Overall')}{_overview(report)}"
        "</header>"
        f"<main>{''.join(_section(s) for s in report.sections)}</main>{warnings}"
        "</body></html>\n"
    )
