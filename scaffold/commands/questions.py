"""`scaffold questions`: every question with its help, type, default and rule, for data files."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from scaffold.output import Output

if TYPE_CHECKING:  # scaffold.template imports YAML: only when the command runs
    from scaffold.template import Question


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "questions", help="list every question, its type, default and rule"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(command=run)


def _default_text(question: Question) -> str:
    from scaffold.template import MISSING

    if question.default is MISSING:
        return "(required)"
    return json.dumps(question.default, ensure_ascii=False)


def list_questions() -> list[Question]:
    from scaffold.template import questions, template_dir

    return questions(template_dir())


def run(args: argparse.Namespace, out: Output) -> int:
    items = list_questions()
    if args.format == "json":
        payload = [
            {
                "name": q.name,
                "type": q.type,
                "help": q.help,
                "required": q.required,
                "default": None if q.required else q.default,
                "choices": list(q.choices),
                "rule": q.rule,
            }
            for q in items
        ]
        out.result(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    for q in items:
        out.result(f"{q.name} ({q.type}) default: {_default_text(q)}")
        out.result(f"    {q.help}")
        if q.rule:
            out.result(f"    rule: {q.rule}")
    return 0
