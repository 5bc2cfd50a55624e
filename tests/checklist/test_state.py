"""The state file: parsed into marks, edited in place keeping comments and order, never lost."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from checklist.errors import ChecklistError
from checklist.model import Mark, Status
from checklist.state import STATE_FILE, read_marks, remove_mark, set_mark

HAND_WRITTEN = """\
# Our checklist state: reviewed in every pull request.
version: 1
items:
  # Settled in the kick-off meeting.
  validated.support-contact:
    status: done
    evidence: mailto:support@acme.com   # the shared inbox
    by: Jane
    at: '2026-11-01T10:00:00+00:00'
  kmm.subscription:
    status: n/a
    reason: the cluster team installs KMM
    by: Jane
    at: '2026-11-02T10:00:00+00:00'
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / STATE_FILE).write_text(text, encoding="utf-8")
    return tmp_path / STATE_FILE


def test_read_marks(tmp_path: Path) -> None:
    _write(tmp_path, HAND_WRITTEN)
    marks = read_marks(tmp_path)
    assert list(marks) == ["validated.support-contact", "kmm.subscription"]
    done = marks["validated.support-contact"]
    assert (done.status, done.evidence, done.by, done.line) == (
        Status.DONE,
        "mailto:support@acme.com",
        "Jane",
        5,
    )
    assert marks["kmm.subscription"].status is Status.NOT_APPLICABLE
    assert marks["kmm.subscription"].reason == "the cluster team installs KMM"


def test_absent_or_empty_file_has_no_marks(tmp_path: Path) -> None:
    assert read_marks(tmp_path) == {}
    _write(tmp_path, "")
    assert read_marks(tmp_path) == {}


def test_set_mark_keeps_comments_and_order(tmp_path: Path) -> None:
    path = _write(tmp_path, HAND_WRITTEN)
    set_mark(
        tmp_path,
        Mark(
            "validated.github-user",
            Status.DONE,
            evidence="https://github.com/jane",
            by="Bo",
            at="t",
        ),
    )
    text = path.read_text()
    for comment in (
        "# Our checklist state",
        "# Settled in the kick-off meeting.",
        "# the shared inbox",
    ):
        assert comment in text
    order = [
        text.index(k)
        for k in ("validated.support-contact:", "kmm.subscription:", "validated.github-user:")
    ]
    assert order == sorted(order)
    assert read_marks(tmp_path)["validated.github-user"].evidence == "https://github.com/jane"


def test_set_mark_replaces_an_entry_in_place(tmp_path: Path) -> None:
    path = _write(tmp_path, HAND_WRITTEN)
    set_mark(
        tmp_path,
        Mark("validated.support-contact", Status.NOT_APPLICABLE, reason="later", by="Bo", at="t"),
    )
    text = path.read_text()
    assert "# Settled in the kick-off meeting." in text
    assert text.index("validated.support-contact:") < text.index("kmm.subscription:")
    mark = read_marks(tmp_path)["validated.support-contact"]
    assert (mark.status, mark.reason, mark.evidence) == (Status.NOT_APPLICABLE, "later", "")


def test_round_trip_without_change_is_byte_identical(tmp_path: Path) -> None:
    path = _write(tmp_path, HAND_WRITTEN)
    set_mark(tmp_path, Mark("x.y", Status.DONE, evidence="e", by="b", at="a"))
    assert remove_mark(tmp_path, "x.y")
    assert path.read_text() == HAND_WRITTEN


def test_new_file_has_a_header_and_the_entry(tmp_path: Path) -> None:
    set_mark(
        tmp_path, Mark("validated.must-gather", Status.DONE, evidence="docs/mg.tgz", by="b", at="a")
    )
    text = (tmp_path / STATE_FILE).read_text()
    assert text.startswith("# Manual entries of the enablement checklist")
    assert read_marks(tmp_path)["validated.must-gather"].evidence == "docs/mg.tgz"


def test_remove_mark_without_entry_leaves_the_file_alone(tmp_path: Path) -> None:
    path = _write(tmp_path, HAND_WRITTEN)
    before = path.stat().st_mtime_ns
    assert remove_mark(tmp_path, "no.such") is False
    assert path.stat().st_mtime_ns == before
    assert remove_mark(tmp_path / "nowhere", "x") is False


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("version: 1\nitems:\n  a.b:\n    status: done\n   evidence: [\n", 5, ""),
        (
            "version: 1\nitems:\n  a.b: {status: finished, evidence: x}\n",
            3,
            "status must be done or n/a",
        ),
        ("version: 1\nitems:\n  a.b:\n    status: done\n", 3, "needs evidence"),
        ("version: 1\nitems:\n  a.b:\n    status: n/a\n", 3, "needs a reason"),
        ("version: 2\nitems: {}\n", 1, "version 2 is not supported"),
        ("version: 1\nstuff: 1\n", 2, "unknown key 'stuff'"),
        (
            "version: 1\nitems:\n  a.b: {status: done, evidence: x, colour: red}\n",
            3,
            "unknown key 'colour'",
        ),
        (
            "version: 1\nitems:\n  a.b: {status: done, evidence: x}\n"
            "  a.b: {status: done, evidence: y}\n",
            4,
            "",
        ),
        ("- just\n- a list\n", 1, "must be a mapping"),
    ],
)
def test_malformed_file_names_the_line_and_is_never_overwritten(
    tmp_path: Path, text: str, line: int, needle: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ChecklistError, match=rf"{STATE_FILE} line {line}\b.*{needle}"):
        read_marks(tmp_path)
    with pytest.raises(ChecklistError, match=rf"line {line}\b"):
        set_mark(tmp_path, Mark("c.d", Status.DONE, evidence="e", by="b", at="a"))
    with pytest.raises(ChecklistError):
        remove_mark(tmp_path, "a.b")
    assert path.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]  # no temporary file left behind


def test_missing_ruamel_is_a_user_error_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, HAND_WRITTEN)
    monkeypatch.setitem(sys.modules, "ruamel.yaml", None)  # makes the import fail
    with pytest.raises(ChecklistError, match=r"needs ruamel\.yaml: pip install"):
        read_marks(tmp_path)


def test_unwritable_folder_is_a_user_error(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    with pytest.raises(ChecklistError, match="cannot write"):
        set_mark(missing, Mark("a.b", Status.DONE, evidence="e", by="b", at="a"))
