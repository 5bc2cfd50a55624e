"""The probe registry: every probe by name, listed explicitly (no registration by side effect).

A probe is a plain function ``(project, options) -> ProbeResult`` with documented options; see
``base.Probe``. To add one, write it in the module of its subject and add it to that module's
``PROBES`` tuple.
"""

from __future__ import annotations

from checklist.probes import answers, certification, code, containers, files, manifests
from checklist.probes.base import Probe

REGISTRY: dict[str, Probe] = {
    probe.name: probe
    for module in (answers, files, manifests, containers, code, certification)
    for probe in module.PROBES
}


def get(name: str) -> Probe:
    """The probe called ``name``; KeyError names the known ones."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown probe {name!r} (known: {', '.join(sorted(REGISTRY))})") from None
