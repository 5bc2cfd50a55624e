"""Answers from --data and --data-file are typed like Copier types them, and checked all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.answers import load_data_file, parse_data_args, prepare
from scaffold.errors import ScaffoldError
from scaffold.template import questions
from tests.conftest import TEMPLATE, answer_set


def test_data_args_split_on_the_first_equals() -> None:
    assert parse_data_args(["a=b=c", "empty="]) == {"a": "b=c", "empty": ""}


@pytest.mark.parametrize("bad", ["novalue", "=x"])
def test_data_args_without_a_key_are_refused(bad: str) -> None:
    with pytest.raises(ScaffoldError, match=r"^--data: .* is not KEY=VALUE$"):
        parse_data_args([bad])


def test_data_file_must_be_a_mapping(tmp_path: Path) -> None:
    data = tmp_path / "answers.yml"
    data.write_text("- a\n- b\n")
    with pytest.raises(ScaffoldError, match="is not a YAML mapping"):
        load_data_file(data)
    data.write_text("a: [unclosed\n")
    with pytest.raises(ScaffoldError, match=r"line \d+ is not valid YAML"):
        load_data_file(data)


def test_text_answers_get_their_question_type() -> None:
    typed = prepare(
        TEMPLATE,
        questions(TEMPLATE),
        {"with_operator": "no", "pci_device_ids": '["11e8", "11e9"]', "secure_boot": "yes"},
        require_all=False,
    )
    assert typed == {
        "with_operator": False,
        "pci_device_ids": ["11e8", "11e9"],
        "secure_boot": True,
    }


def test_every_problem_is_reported_at_once_one_line_each() -> None:
    given = {**answer_set("default"), "pci_vendor_id": "12G4", "colour": "red"}
    del given["vendor_name"]
    with pytest.raises(ScaffoldError) as error:
        prepare(TEMPLATE, questions(TEMPLATE), given, require_all=True)
    lines = str(error.value).splitlines()
    assert lines[0] == "pci_vendor_id: '12G4' is not 4 hexadecimal digits"
    assert lines[1].startswith("colour: no such question")
    assert lines[2].startswith("missing answers: vendor_name (")
