"""The one error type for problems the user can fix, and the exit codes the CLI maps errors to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USER_ERROR = 1  # bad input, refused operation: the message says what to change
EXIT_CHECK_FAILED = 2  # a check command ran and found problems (checklist --fail-on, validate)
EXIT_UNEXPECTED = 3  # a bug: a traceback is printed
EXIT_INTERRUPTED = 130  # Ctrl-C


class ScaffoldError(Exception):
    """An error whose message is fit for the user: one line naming what is wrong and the rule."""

    exit_code = EXIT_USER_ERROR
