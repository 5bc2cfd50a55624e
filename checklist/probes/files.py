"""Probes about files: present, containing a pattern, free of leftover template placeholders."""

from __future__ import annotations

import re
from collections.abc import Mapping

from checklist.model import ProbeResult
from checklist.probes.base import Option, Options, Probe, count
from checklist.project import Project, as_patterns

PATHS = Option("paths", "globs", "glob (or list of globs) relative to the project root", None, True)
EXCLUDE = Option("exclude", "strings", "globs of files to leave out", [])


def file_exists(project: Project, options: Options) -> ProbeResult:
    """Every glob of ``paths`` matches at least one file (``**/`` spans folders, ``{a,b}`` too)."""
    missing = [p for p in as_patterns(options["paths"]) if not project.glob(p, options["exclude"])]
    if missing:
        return ProbeResult.fail(f"no file matches {', '.join(missing)}")
    found = project.glob(options["paths"], options["exclude"])
    return ProbeResult.ok(f"found {', '.join(found[:3])}{' ...' if len(found) > 3 else ''}", *found)


def file_contains(project: Project, options: Options) -> ProbeResult:
    """A file matching ``paths`` contains the regular expression ``pattern`` (multi-line mode),
    or with ``literal: true`` the plain text ``pattern`` (use it for ``${answer}`` values).
    With ``all_files: true`` every matching file must contain it. ``description`` names the
    pattern in reasons ("all, test and lint targets") instead of the regex.
    """
    files = project.glob(options["paths"], options["exclude"])
    if not files:
        return ProbeResult.fail(f"no file matches {', '.join(as_patterns(options['paths']))}")
    source = re.escape(options["pattern"]) if options["literal"] else options["pattern"]
    what = options["description"] or f"/{options['pattern']}/"
    try:
        regex = re.compile(source, re.MULTILINE)
    except re.error as error:
        return ProbeResult.fail(f"pattern /{options['pattern']}/ is not a valid regex: {error}")
    hits = [f for f in files if regex.search(project.text(f))]
    if options["all_files"] and len(hits) < len(files):
        misses = sorted(set(files) - set(hits))
        return ProbeResult.fail(f"{what} not found in {', '.join(misses)}")
    if not hits:
        return ProbeResult.fail(f"{what} not found in {count(len(files), 'file')} ({files[0]} ...)")
    return ProbeResult.ok(f"{what} found in {', '.join(hits[:3])}", *hits)


# A Jinja tag Copier should have rendered. Go, Helm and Grafana templates never use `{%`.
JINJA_TAG = r"\{%-?\s*(?:if|elif|else|for|endif|endfor|raw|endraw|set|include|macro|with)\b"


def template_variable_marker(answers: Mapping[str, object]) -> str:
    """A Jinja expression naming one of the template's variables: an answer, ``names`` (derived
    names) or ``_copier_*``. Other double-brace syntaxes (``{{ .Values.x }}``, ``${{ github.ref
    }}``, Grafana's ``{{instance}}``, Prometheus's ``{{ $labels.node }}``) do not match.
    """
    variables = sorted({*map(str, answers), "names"}, key=len, reverse=True)
    alternatives = "|".join([*(re.escape(v) for v in variables), r"_copier_\w*"])
    return rf"(?<![$\w])\{{\{{-?\s*(?:{alternatives})\b[^{{}}]*\}}\}}"


def _answer_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _answer_strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _answer_strings(v)]
    return []


def no_placeholders(project: Project, options: Options) -> ProbeResult:
    """No file matching ``paths`` holds a leftover template placeholder.

    Looks for unrendered ``.jinja`` files, names containing ``{{``, Jinja tags (``{% if``), Jinja
    expressions naming a template variable (``{{ vendor_name }}``, ``{{ names.namespace }}``), and
    the regular expressions of ``markers``. Text that comes from an answer (a vendor named
    "Acme {{ x }}") is not a placeholder.
    """
    files = project.glob(options["paths"], options["exclude"])
    problems = [f for f in files if f.endswith(".jinja") or "{{" in f]
    try:
        patterns = [JINJA_TAG, template_variable_marker(project.answers), *options["markers"]]
        markers = [re.compile(m) for m in patterns]
    except re.error as error:
        return ProbeResult.fail(f"a marker is not a valid regex: {error}")
    # Answers are data: a vendor called "Acme {{ x }}" legitimately puts that text in the output.
    from_answers = {
        found.group(0)
        for value in _answer_strings(project.answers)
        for marker in markers
        for found in marker.finditer(value)
    }
    for rel in files:
        text = project.text(rel)
        found = next(
            (
                m
                for marker in markers
                for m in marker.finditer(text)
                if m.group(0) not in from_answers
            ),
            None,
        )
        if found:
            line = text.count("\n", 0, found.start()) + 1
            problems.append(f"{rel}:{line} {found.group(0)!r}")
    if problems:
        more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
        return ProbeResult.fail(f"leftover placeholders: {'; '.join(problems[:3])}{more}")
    return ProbeResult.ok(f"no placeholder in {count(len(files), 'file')}")


BINARY_FILES = ["**/*.{png,jpg,jpeg,gif,ico,svg,pdf,bin,ko,o,gz,tgz,zip,tar,xz}"]

PROBES = (
    Probe("file_exists", file_exists, (PATHS, EXCLUDE)),
    Probe(
        "file_contains",
        file_contains,
        (
            PATHS,
            Option("pattern", "str", "regular expression searched for", None, True),
            Option("literal", "bool", "match pattern as plain text, not a regex", False),
            Option("all_files", "bool", "every matching file must contain it", False),
            Option("description", "str", "words for the pattern in reasons", ""),
            EXCLUDE,
        ),
    ),
    Probe(
        "no_placeholders",
        no_placeholders,
        (
            Option("paths", "globs", "files to inspect", "**"),
            Option("exclude", "strings", "files to leave out", BINARY_FILES),
            Option("markers", "strings", "more regular expressions of a placeholder", []),
        ),
    ),
)
