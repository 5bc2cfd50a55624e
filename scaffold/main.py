"""The `scaffold` command line: parse, dispatch to one command module, map errors to exit codes.

Command modules are imported lazily so that `scaffold --help` does not pay for Copier's import.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from scaffold import __version__
from scaffold.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED, ScaffoldError
from scaffold.output import Output

# name -> module under scaffold.commands; each exposes add_parser(subparsers) and run(args, out).
COMMANDS = ("new", "questions", "validate", "checklist", "update", "versions")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scaffold",
        description="Generate and keep current an OpenShift enablement project for a PCIe device.",
        epilog="Exit codes: 0 ok, 1 user error, 2 check failed, 3 bug, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command_name", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"scaffold.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Output(quiet=getattr(args, "quiet", False))
    try:
        code: int = args.command(args, out)
        return code
    except ScaffoldError as error:
        for line in str(error).splitlines():
            print(f"scaffold: error: {line}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("scaffold: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error. Point stdout at /dev/null so the
        # interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception:
        traceback.print_exc()
        print(
            "scaffold: unexpected error (a bug): please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    raise SystemExit(main())
