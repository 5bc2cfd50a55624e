"""The one error the checklist raises for problems a user can fix (bad state file, unknown id)."""

from __future__ import annotations


class ChecklistError(Exception):
    """A message fit for the user, naming the file (and line, when known) and what is wrong."""
