"""The enablement checklist: a catalog of items, probes that inspect a project, marks, reports.

The public API is small: ``checklist.catalog.load_catalog()`` reads the shipped items,
``checklist.engine.evaluate(project_dir)`` returns a ``Report`` (it never prints), and
``checklist.reporters.render(report, format)`` turns it into text. ``checklist.state`` reads and
edits the project's manual marks. Nothing is re-exported here, so importing one part stays cheap.
This package never imports ``scaffold``: the CLI depends on it, not the other way round.
"""

from __future__ import annotations

SCHEMA_VERSION = "1.0"  # of the JSON report; bump the major part on any incompatible change
