"""Does a regular expression compile under Go's RE2 syntax, which KMM matches kernels with?

Python's ``re`` accepts constructs RE2 rejects (look-around, back-references, possessive and atomic
groups, ``\\Z``, repeat counts above 1000) and rejects some RE2 accepts (``\\z``, ``\\pL``,
``\\Q..\\E``, ``(?U)``). This check refuses the first set and compiles the rest with Python after
mapping the second, which catches syntax errors RE2 would also report. It is a close approximation;
the project's tests also compile each expression with Go itself.
"""

from __future__ import annotations

import re
import warnings

_UNSUPPORTED_GROUPS = {
    "(?=": "look-ahead",
    "(?!": "negative look-ahead",
    "(?<=": "look-behind",
    "(?<!": "negative look-behind",
    "(?>": "atomic group",
    "(?(": "conditional group",
    "(?P=": "named back-reference",
    "(?P>": "recursion",
    "(?#": "comment group",
}
_REPEAT = re.compile(r"\{(\d+)(?:,(\d*))?\}")
MAX_REPEAT = 1000


def _scan(pattern: str) -> str:
    """The first construct RE2 lacks, described, or ``""``."""
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1 : i + 2]
            if not in_class and nxt in "123456789" and nxt and not pattern[i + 2 : i + 3].isdigit():
                return f"back-reference \\{nxt}"
            if nxt and nxt in "ZGKRXhHV":
                return f"escape \\{nxt}"
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            i += 1
            continue
        if ch == "[":
            in_class = True
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1
            continue
        if ch == "(":
            for prefix, what in _UNSUPPORTED_GROUPS.items():
                if pattern.startswith(prefix, i):
                    return what
        if ch in "*+?}" and pattern[i + 1 : i + 2] == "+":
            return "possessive quantifier"
        if ch in "*+?}" and pattern[i + 1 : i + 2] in "*{" and pattern[i + 1 : i + 2]:
            return "nested repetition"
        if ch == "{" and (match := _REPEAT.match(pattern, i)):
            counts = [int(n) for n in match.groups() if n]
            if any(count > MAX_REPEAT for count in counts):
                return f"repeat count above {MAX_REPEAT}"
        i += 1
    return ""


def _as_python(pattern: str) -> str:
    """RE2-only spellings rewritten to Python equivalents (for a syntax check only)."""
    pattern = re.sub(r"\\Q(.*?)(?:\\E|$)", lambda m: re.escape(m.group(1)), pattern)
    pattern = re.sub(r"\\[pP](\{[A-Za-z_]+\}|[A-Za-z])", ".", pattern)
    pattern = pattern.replace(r"\z", r"\Z").replace("(?<", "(?P<").replace("(?P<=", "(?<=")
    pattern = re.sub(r"\(\?([imsU]*)U([imsU]*)([:)])", r"(?\1\2\3", pattern)
    return pattern.replace("(?)", "")


def re2_error(pattern: str) -> str:
    """``""`` when ``pattern`` is valid RE2 syntax, else why not."""
    if unsupported := _scan(pattern):
        return f"{unsupported} is not RE2 syntax (KMM uses Go regexp)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(_as_python(pattern))
        except re.error as error:
            return f"does not compile: {error}"
    return ""
