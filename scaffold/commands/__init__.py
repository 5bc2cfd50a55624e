"""One module per CLI command, each exposing ``add_parser(subparsers)`` and ``run(args, out)``."""
