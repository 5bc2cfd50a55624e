"""Escaping and naming filters: answers are data, so every language gets its own literal form.

Templates never paste an answer raw into code. They pick the filter of the file's language:
``yaml_str`` and ``json_str`` for YAML and JSON scalars, ``go_str`` for Go, ``c_str`` for C,
``sh_str`` for POSIX shell and Makefile recipes, ``md_text`` for Markdown prose, and
``comment_text`` inside any comment. Plain Python, no third-party imports.
"""

from __future__ import annotations

import json
import re
import shlex
import unicodedata

_YAML_PRINTABLE = re.compile("[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _printable(ch: str) -> bool:
    return ch.isprintable() and ch not in "\u2028\u2029"


def yaml_str(value: object) -> str:
    """A YAML double-quoted scalar; also valid JSON. Escapes what YAML may not carry raw."""
    out = []
    for ch in str(value):
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif _printable(ch) and _YAML_PRINTABLE.match(ch) and ch != "\ufeff":
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:  # JSON has no \U escape: use a surrogate pair, which YAML also reads.
            code = ord(ch) - 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    return '"' + "".join(out) + '"'


def json_str(value: object) -> str:
    """A JSON string literal (UTF-8 kept readable, controls escaped)."""
    return json.dumps(str(value), ensure_ascii=False)


def go_str(value: object) -> str:
    """A Go interpreted string literal."""
    out = []
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def c_str(value: object) -> str:
    """A C string literal. Non-printable bytes become 3-digit octal escapes, which cannot run
    into a following digit the way hexadecimal escapes do; '?' is escaped against trigraphs."""
    out = []
    for ch in str(value):
        if ch in '"\\?':
            out.append("\\" + ch)
        elif _printable(ch):
            out.append(ch)
        else:
            out.extend(f"\\{byte:03o}" for byte in ch.encode("utf-8"))
    return '"' + "".join(out) + '"'


def sh_str(value: object) -> str:
    """One POSIX shell word, single-quoted when needed."""
    return shlex.quote(str(value))


def make_sh_str(value: object) -> str:
    """A shell word as the value of a Makefile variable (``NAME := ...``), used in recipes as
    ``$(NAME)``: ``$`` is doubled and ``#`` escaped so make neither expands nor cuts it."""
    return sh_str(value).replace("$", "$$").replace("#", "\\#")


def dockerfile_str(value: object) -> str:
    """A double-quoted Dockerfile word (LABEL, ENV, ARG values): backslash, quote and ``$``
    escaped, so BuildKit, Buildah and kaniko read the literal value and expand no variable."""
    escaped = "".join("\\" + ch if ch in '\\"$' else ch for ch in str(value))
    return '"' + escaped + '"'


_MD_SPECIAL = set("\\`*_{}[]<>()#+-.!|~&")


def md_text(value: object) -> str:
    """Markdown inline text that renders as the literal value (CommonMark backslash escapes)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(value))


def comment_text(value: object) -> str:
    """Text safe inside a one-line comment of C, Go, shell, YAML or Makefile."""
    text = " ".join(str(value).split())
    return text.replace("*/", "* /").replace("/*", "/ *")


def dns_label(value: object, max_length: int = 30) -> str:
    """A DNS-1123 label derived from free text: ASCII-folded, lowercase, '-' between words."""
    ascii_text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    label = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    label = label[:max_length].rstrip("-")
    label = re.sub(r"^[^a-z]+", "", label)
    return label or "device"


def c_identifier(value: object, max_length: int = 40) -> str:
    """A lowercase C identifier derived from free text or a slug."""
    ident = dns_label(value, max_length).replace("-", "_")
    return ident


def hex_upper(value: object) -> str:
    """An upper-case hexadecimal id, as modalias strings and lspci print them."""
    return str(value).upper()


# Plain scalars that a YAML 1.2 reader (yq, Go's yaml.v3, ruamel) takes for a number, boolean or
# null although PyYAML (YAML 1.1) reads them as text: 11e8, a PCI device id, is a float in 1.2.
_YAML12_NOT_TEXT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|)$"
)


def answers_yaml(answers: object) -> str:
    """The answers file: block YAML that reads back the same under YAML 1.1 and 1.2."""
    import yaml  # Copier's own dependency; imported here so the module loads without it

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "'" if _YAML12_NOT_TEXT.match(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return str(
        yaml.dump(answers, Dumper=Dumper, default_flow_style=False, allow_unicode=True, width=1000)
    )


FILTERS = {
    "answers_yaml": answers_yaml,
    "yaml_str": yaml_str,
    "json_str": json_str,
    "go_str": go_str,
    "c_str": c_str,
    "sh_str": sh_str,
    "make_sh_str": make_sh_str,
    "dockerfile_str": dockerfile_str,
    "md_text": md_text,
    "comment_text": comment_text,
    "dns_label": dns_label,
    "c_identifier": c_identifier,
    "hex_upper": hex_upper,
}
