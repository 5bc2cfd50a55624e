"""Every command is wired into main(): `scaffold --version` and `scaffold questions` run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scaffold import __version__
from scaffold.main import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"scaffold {__version__}"


def test_questions_json_lists_required_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "--format", "json"]) == 0
    listed = {q["name"]: q for q in json.loads(capsys.readouterr().out)}
    assert listed["pci_vendor_id"]["required"] is True
    assert listed["pci_vendor_id"]["rule"] == "4 hexadecimal digits"
    assert listed["driver_build"]["choices"] == ["prebuilt", "in-cluster", "both"]


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    """`scaffold questions | head -1`: the closed pipe ends the command quietly, exit 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write
    run = subprocess.run(
        [sys.executable, "-m", "scaffold", "questions"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    os.close(write_end)
    assert run.returncode == 0
    assert "Traceback" not in run.stderr


def test_help_imports_no_heavy_library() -> None:
    """Start-up stays light: `scaffold --help` needs argparse, not Copier, YAML or git helpers."""
    probe = (
        "import sys\n"
        "from scaffold.main import build_parser\n"
        "build_parser()\n"
        "print(','.join(m for m in ('copier', 'yaml', 'jinja2', 'jsonschema', 'ruamel')"
        " if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == ""
