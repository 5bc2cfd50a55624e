"""Each escaping filter is proven by the real parser of its language: the literal it writes must
read back as exactly the original text (YAML, JSON, Go, C, POSIX shell, make, Markdown)."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import require_tool
from tests.template_ext import extension

filters = extension("filters")

NASTY = [
    "Acme Accelerators, Inc.",
    'Acme "Quantum" Devices: Ünïcode & {{ x }} #1',
    "O'Brien's $HOME `pwd` \\ */ /* 100% {% raw %} ✓",
    "tab\there, newline\nthere, bell\a, del\x7f, nel\x85, bom\ufeff, ls\u2028",
    "emoji 🚀 beyond the BMP \U0001d518",
    "??= trigraph ??/ and a trailing backslash \\",
    "- leading dash, * star, _under_, [link](x), <b>tag</b>, &amp; `code` | pipe ~tilde~ #",
    "",
]


@pytest.mark.parametrize("text", NASTY)
def test_yaml_str_reads_back_in_yaml_and_json(text: str) -> None:
    literal = filters.yaml_str(text)
    assert yaml.safe_load(f"key: {literal}\n") == {"key": text}
    assert json.loads(literal) == text


@pytest.mark.parametrize("text", NASTY)
def test_json_str_reads_back(text: str) -> None:
    assert json.loads(filters.json_str(text)) == text


def test_go_str_compiles_and_prints_the_original(tmp_path: Path) -> None:
    go = require_tool("go")
    body = "\n".join(f"\tfmt.Println(strconv.Quote({filters.go_str(t)}))" for t in NASTY)
    (tmp_path / "main.go").write_text(
        f'package main\n\nimport (\n\t"fmt"\n\t"strconv"\n)\n\nfunc main() {{\n{body}\n}}\n'
    )
    (tmp_path / "go.mod").write_text("module example.com/escape\n\ngo 1.21\n")
    run = subprocess.run(
        [go, "run", "."], cwd=tmp_path, capture_output=True, text=True, check=True, timeout=300
    )
    # strconv.Quote output is itself a Go literal; json can read it for these inputs once Go's
    # \a and \x escapes are mapped to JSON's \u form.
    printed = [_go_quoted_to_text(line) for line in run.stdout.splitlines()]
    assert printed == NASTY


def _go_quoted_to_text(quoted: str) -> str:
    fixed = re.sub(r"\\x([0-9a-f]{2})", r"\\u00\1", quoted).replace("\\a", "\\u0007")
    fixed = re.sub(
        r"\\U([0-9a-f]{8})",
        lambda m: json.dumps(chr(int(m.group(1), 16)))[1:-1],
        fixed,
    )
    return str(json.loads(fixed))


def test_c_str_compiles_and_prints_the_original(tmp_path: Path) -> None:
    cc = require_tool("gcc")
    lines = "\n".join(f"\tfputs({filters.c_str(t)}, stdout); fputc('\\0', stdout);" for t in NASTY)
    source = tmp_path / "escape.c"
    source.write_text(f"#include <stdio.h>\n\nint main(void)\n{{\n{lines}\n\treturn 0;\n}}\n")
    binary = tmp_path / "escape"
    subprocess.run(
        [cc, "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-Wtrigraphs", str(source), "-o", binary],
        check=True,
        capture_output=True,
    )
    output = subprocess.run([binary], check=True, capture_output=True).stdout
    assert output.decode("utf-8").split("\0")[:-1] == NASTY


@pytest.mark.parametrize("text", NASTY)
def test_sh_str_is_one_shell_word(text: str) -> None:
    sh = require_tool("sh")
    run = subprocess.run(
        [sh, "-c", f"printf '%s' {filters.sh_str(text)}"], capture_output=True, check=True
    )
    assert run.stdout.decode("utf-8") == text


@pytest.mark.parametrize("text", [t for t in NASTY if "\n" not in t])
def test_make_sh_str_survives_make(tmp_path: Path, text: str) -> None:
    make = require_tool("make")
    (tmp_path / "Makefile").write_text(
        f"NAME := {filters.make_sh_str(text)}\nshow:\n\t@printf '%s' $(NAME)\n"
    )
    run = subprocess.run([make, "-s", "-C", str(tmp_path), "show"], capture_output=True, check=True)
    assert run.stdout.decode("utf-8") == text


@pytest.mark.parametrize("text", [t for t in NASTY if t and "\n" not in t])
def test_md_text_renders_as_the_literal_text(text: str) -> None:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(filters.md_text(text))
    plain = html.unescape(re.sub(r"</?p>\n?", "", rendered)).rstrip("\n")
    assert plain == text


@pytest.mark.parametrize("text", NASTY)
def test_comment_text_cannot_close_or_break_a_comment(text: str) -> None:
    comment = filters.comment_text(text)
    assert "\n" not in comment and "\r" not in comment and "*/" not in comment


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Acme EDU Accelerator", "acme-edu-accelerator"),
        ("Ünïcode  Card -- 2", "unicode-card-2"),
        ("42 Widgets", "widgets"),
        ("!!!", "device"),
    ],
)
def test_dns_label_derives_valid_labels(text: str, label: str) -> None:
    rules = extension("rules")
    assert filters.dns_label(text) == label
    assert rules.check("project_slug", filters.dns_label(text)) == ""
    assert rules.check("kernel_module_name", filters.c_identifier(text)) == ""


def test_answers_yaml_reads_back_the_same_in_yaml_1_1_and_1_2() -> None:
    from ruamel.yaml import YAML

    answers = {
        "pci_device_ids": ["11e8", "0001", "1F3c", "1e10"],
        "openshift_versions": "4.16-4.20",
        "texts": [*NASTY[:3], "true", "null", "1.5", "0x1F", ".inf", ""],
        "with_operator": True,
    }
    text = filters.answers_yaml(answers)
    assert yaml.safe_load(text) == answers  # PyYAML, YAML 1.1: what Copier reads
    assert YAML(typ="safe", pure=True).load(text) == answers  # YAML 1.2: yq, Go, ruamel
