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
