"""`scaffold validate`'s RE2 check agrees with Go's regexp package, which KMM uses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scaffold.validate.re2 import re2_error
from tests.conftest import require_tool

GO_COMPILE = """package main

import (
\t"encoding/json"
\t"os"
\t"regexp"
)

func main() {
\tvar patterns []string
\tif err := json.NewDecoder(os.Stdin).Decode(&patterns); err != nil {
\t\tpanic(err)
\t}
\tout := map[string]string{}
\tfor _, p := range patterns {
\t\tout[p] = ""
\t\tif _, err := regexp.Compile(p); err != nil {
\t\t\tout[p] = err.Error()
\t\t}
\t}
\tjson.NewEncoder(os.Stdout).Encode(out)
}
"""

PATTERNS = [
    # RE2 and Python both accept
    r"^.+\.el9_4\.x86_64$",
    r"^[0-9]+\.[0-9]+\.[0-9]+-[0-9][0-9A-Za-z._]*\.el[89](_[0-9]+)?\.(x86_64|aarch64)$",
    r"(?i)EL9",
    r"(?P<major>\d+)\.(?P<minor>\d+)",
    r"a{2,5}",
    r"[[:digit:]]+",
    r"\d+\z",
    r"\pL+",
    r"\Qa.b\E",
    r"a+?b*?",
    # RE2 rejects, Python accepts
    r"^5\.14(?=\.0)",
    r"(?!x)y",
    r"(?<=a)b",
    r"(?<!a)b",
    r"(a)\1",
    r"a++",
    r"(?>a)",
    r"a\Z",
    r"x{1001}",
    r"a**",
    r"(?P=n)",
    # Both reject
    r"(a",
    r"a[",
    r"*a",
]


@pytest.mark.slow
def test_re2_check_agrees_with_go(tmp_path: Path) -> None:
    go = require_tool("go")
    program = tmp_path / "compile.go"
    program.write_text(GO_COMPILE)
    result = subprocess.run(
        [go, "run", str(program)],
        input=json.dumps(PATTERNS),
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    go_errors: dict[str, str] = json.loads(result.stdout)
    rejected_by_go = {p for p, error in go_errors.items() if error}
    assert 10 <= len(rejected_by_go) < len(PATTERNS), "the list covers both outcomes"
    disagreements = {
        pattern: (go_errors[pattern], re2_error(pattern))
        for pattern in PATTERNS
        if bool(go_errors[pattern]) != bool(re2_error(pattern))
    }
    assert disagreements == {}
