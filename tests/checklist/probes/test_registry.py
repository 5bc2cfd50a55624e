"""The registry itself: every probe documented, options checked the way the catalog relies on."""

from __future__ import annotations

import pytest

from checklist import probes
from checklist.probes.base import substitute


@pytest.mark.parametrize("name", sorted(probes.REGISTRY))
def test_every_probe_is_documented(name: str) -> None:
    probe = probes.get(name)
    assert probe.name == name
    assert len(probe.doc) > 40, f"{name} needs a docstring: it is the user documentation"
    for option in probe.options:
        assert option.help, f"{name}.{option.name} needs help text"
        assert option.required or option.accepts(option.default), (
            f"{name}.{option.name}: its default does not have its declared type"
        )


def test_unknown_probe_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"known: .*file_exists"):
        probes.get("file_exist")


def test_option_errors() -> None:
    probe = probes.get("file_contains")
    errors = probe.option_errors({"paths": 3, "colour": "red"})
    assert errors == [
        "unknown option 'colour'",
        "option 'paths' must be of type globs",
        "missing option 'pattern'",
    ]


def test_substitute_keeps_types_for_whole_references() -> None:
    answers = {"pci_device_ids": ["11e8"], "kernel_module_name": "acme"}
    assert substitute("${pci_device_ids}", answers) == ["11e8"]
    assert substitute({"k": ["${kernel_module_name}.o"]}, answers) == {"k": ["acme.o"]}
    assert substitute("${missing}", answers) == ""


_SAMPLE = {"str": "x", "globs": "**", "strings": ["x"], "mapping": {}, "bool": False, "int": 1}


@pytest.mark.parametrize("name", sorted(probes.REGISTRY))
def test_probes_return_a_reason_and_never_print_or_exit(
    name: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.checklist.helpers import make_project, run_probe

    probe = probes.get(name)
    options = {o.name: _SAMPLE[o.type] for o in probe.options if o.required}
    project = make_project(tmp_path, {"a.yaml": "a: [\n", "Dockerfile": "", "x.go": "package x\n"})
    result = run_probe(name, project, **options)  # a SystemExit here would fail the test
    assert result.reason
    assert capsys.readouterr() == ("", "")
