"""`scaffold versions`: the template versions this install carries."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from scaffold.output import Output
from scaffold.versions import TEMPLATE_URL

if TYPE_CHECKING:
    from scaffold.versions.store import Store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "versions", help="list the template versions this scaffold carries (oldest first)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the versions")
    parser.set_defaults(command=run)


def installed_store() -> Store:
    from scaffold.versions.store import installed_store as find

    return find()


def run(args: argparse.Namespace, out: Output) -> int:
    store = installed_store()
    manifest = store.manifest
    if args.json:
        document = {
            "versions": list(manifest.versions),
            "latest": manifest.latest,
            "details": list(manifest.details),
            "origin": manifest.origin,
            "notes": list(manifest.notes),
            "template_url": TEMPLATE_URL,
            "bundle": str(store.bundle),
        }
        out.result(json.dumps(document, indent=2))
        return 0
    for detail in manifest.details:
        version = detail["version"]
        tags = [detail["kind"]] if detail["kind"] != "released" else []
        if detail.get("date"):
            tags.insert(0, detail["date"])
        if version == manifest.latest:
            tags.append("latest")
        suffix = f"  ({', '.join(tags)})" if tags and not out.quiet else ""
        out.result(f"{version}{suffix}")
    out.line(f"from the {manifest.origin}")
    for note in manifest.notes:
        out.line(f"note: {note}")
    return 0
