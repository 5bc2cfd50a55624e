"""A small Dockerfile reader: stages, their base images (ARG defaults resolved) and instructions.

Enough for the facts probes ask about (final stage base, builder stages, labels, COPY targets,
USER); not a full BuildKit parser.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, COPY, LABEL...
    arguments: str
    line: int


@dataclass
class Stage:
    image: str  # as written, e.g. ${DTK_IMAGE}
    resolved_image: str  # ARG defaults substituted; unknown variables stay as written
    name: str
    line: int
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    @property
    def labels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for instruction in self.all("LABEL"):
            found.update(parse_labels(instruction.arguments))
        return found

    @property
    def user(self) -> str | None:
        users = self.all("USER")
        return users[-1].arguments.strip() if users else None

    def copy_sources_and_targets(self) -> list[tuple[list[str], str, str | None]]:
        """(sources, destination, --from stage) of every COPY and ADD."""
        copies = []
        for instruction in self.instructions:
            if instruction.keyword not in {"COPY", "ADD"}:
                continue
            words = _split(instruction.arguments)
            flags = [w for w in words if w.startswith("--")]
            rest = [w for w in words if not w.startswith("--")]
            origin = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
            if len(rest) >= 2:
                copies.append((rest[:-1], rest[-1], origin))
        return copies


def _split(text: str) -> list[str]:
    if text.lstrip().startswith("["):  # exec form: JSON array
        return re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:
        return text.split()


def parse_labels(arguments: str) -> dict[str, str]:
    words = _split(arguments)
    if words and "=" not in words[0]:  # legacy form: LABEL key value with spaces
        return {words[0]: " ".join(words[1:])}
    return dict(w.split("=", 1) for w in words if "=" in w)


def instructions(text: str) -> list[Instruction]:
    """Logical instructions: continuation lines joined, comments and blank lines dropped."""
    result: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # comments may sit inside a continued RUN
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1])
            continue
        pending.append(stripped)
        line = " ".join(p.strip() for p in pending if p.strip())
        pending = []
        keyword, _, arguments = line.partition(" ")
        result.append(Instruction(keyword.upper(), arguments.strip(), start))
    return result


def _resolve(text: str, variables: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return variables.get(name, match.group(0))

    return _VARIABLE.sub(value, text)


def stages(text: str) -> list[Stage]:
    """The build stages of a Dockerfile in order; the last one is the image that ships."""
    global_args: dict[str, str] = {}
    result: list[Stage] = []
    for instruction in instructions(text):
        if instruction.keyword == "ARG" and not result:
            name, sep, default = instruction.arguments.partition("=")
            if sep:
                global_args[name.strip()] = default.strip().strip("\"'")
            continue
        if instruction.keyword == "FROM":
            words = [w for w in instruction.arguments.split() if not w.startswith("--")]
            image = words[0] if words else ""
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else str(len(result))
            result.append(Stage(image, _resolve(image, global_args), name, instruction.line))
            continue
        if result:
            result[-1].instructions.append(instruction)
    return result
