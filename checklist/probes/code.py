"""Probes about source code: Go symbols and imports, and the module a Kbuild file builds."""

from __future__ import annotations

import re

from checklist.model import ProbeResult
from checklist.probes.base import Option, Options, Probe
from checklist.project import Project, as_patterns

GO_KINDS = ("any", "func", "method", "type", "const", "var")


def _go_symbol_regex(symbol: str, kind: str) -> re.Pattern[str]:
    receiver, _, name = symbol.rpartition(".")
    n = re.escape(name)
    receiver_pattern = (
        rf"\(\s*\w*\s*\*?{re.escape(receiver)}(?:\[[^\]]*\])?\s*\)" if receiver else (r"\([^)]*\)")
    )
    forms = {
        "func": rf"^func\s+{n}\s*[\[(]",
        "method": rf"^func\s*{receiver_pattern}\s*{n}\s*[\[(]",
        "type": rf"^(?:type\s+{n}\b|\t{n}\s+(?:struct|interface)\b)",
        "const": rf"^(?:const\s+{n}\b|\t{n}\b[^:\n]*=)",
        "var": rf"^(?:var\s+{n}\b|\t{n}\b[^:\n]*=)",
    }
    if receiver:
        chosen = [forms["method"]]
    elif kind == "any":
        chosen = list(forms.values())
    else:
        chosen = [forms[kind]]
    return re.compile("|".join(f"(?:{c})" for c in chosen), re.MULTILINE)


def go_symbol(project: Project, options: Options) -> ProbeResult:
    """A Go file matching ``paths`` declares ``symbol`` (``Name`` or ``Type.Method``) as ``kind``
    (any, func, method, type, const, var). Read with regular expressions, not compiled.
    """
    if options["kind"] not in GO_KINDS:
        return ProbeResult.fail(f"kind must be one of {', '.join(GO_KINDS)}")
    files = project.glob(options["paths"], options["exclude"])
    if not files:
        return ProbeResult.fail(f"no Go file matches {', '.join(as_patterns(options['paths']))}")
    regex = _go_symbol_regex(options["symbol"], options["kind"])
    for rel in files:
        if regex.search(project.text(rel)):
            return ProbeResult.ok(f"{options['symbol']} declared in {rel}", rel)
    kind = "" if options["kind"] == "any" else f"{options['kind']} "
    return ProbeResult.fail(f"no {kind}{options['symbol']} in {len(files)} Go files")


def go_import(project: Project, options: Options) -> ProbeResult:
    """A Go file matching ``paths`` imports ``package`` (its full import path)."""
    files = project.glob(options["paths"], options["exclude"])
    if not files:
        return ProbeResult.fail(f"no Go file matches {', '.join(as_patterns(options['paths']))}")
    needle = f'"{options["package"]}"'
    for rel in files:
        if needle in project.text(rel):
            return ProbeResult.ok(f"{rel} imports {options['package']}", rel)
    return ProbeResult.fail(f"no Go file imports {options['package']}")


_OBJ_M = re.compile(r"^\s*obj-(?:m|\$\(CONFIG_\w+\))\s*[:+]?=\s*(.*)$", re.MULTILINE)


def kbuild_module(project: Project, options: Options) -> ProbeResult:
    """A Kbuild or kernel Makefile matching ``paths`` builds ``module`` as a loadable module
    (``obj-m += <module>.o``). ``module`` defaults to the kernel_module_name answer.
    """
    files = project.glob(options["paths"])
    if not files:
        return ProbeResult.fail(
            f"no Kbuild file matches {', '.join(as_patterns(options['paths']))}"
        )
    wanted = f"{options['module']}.o"
    named: list[str] = []
    for rel in files:
        text = project.text(rel).replace("\\\n", " ")
        for match in _OBJ_M.finditer(text):
            objects = match.group(1).split()
            named.extend(objects)
            if wanted in objects:
                return ProbeResult.ok(f"{rel} builds {options['module']}.ko", rel)
    found = ", ".join(named) if named else "no obj-m line"
    return ProbeResult.fail(f"no obj-m naming {wanted} ({found})", *files)


_GO_PATHS = Option("paths", "globs", "Go files to read", "**/*.go")
_GO_EXCLUDE = Option("exclude", "strings", "files to leave out", ["**/zz_generated*.go"])

PROBES = (
    Probe(
        "go_symbol",
        go_symbol,
        (
            _GO_PATHS,
            Option("symbol", "str", "Name, or Type.Method", None, True),
            Option("kind", "str", f"one of {', '.join(GO_KINDS)}", "any"),
            _GO_EXCLUDE,
        ),
    ),
    Probe(
        "go_import",
        go_import,
        (_GO_PATHS, Option("package", "str", "full import path", None, True), _GO_EXCLUDE),
    ),
    Probe(
        "kbuild_module",
        kbuild_module,
        (
            Option("paths", "globs", "Kbuild files to read", "**/{Kbuild,Makefile}"),
            Option("module", "str", "module name without .ko", "${kernel_module_name}"),
        ),
    ),
)
