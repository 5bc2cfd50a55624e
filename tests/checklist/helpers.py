"""Build small projects inline, one file per dict entry, and run one probe on them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from checklist import probes
from checklist.model import ProbeResult
from checklist.project import ANSWERS_FILE, Project

# Text that must come out of every report as data, never as markup or broken tables.
HOSTILE = 'Acme "Quantum" <b>Devices</b> | & {{ x }} #1 ✓'
EVIDENCE_URL = "https://ci.example.invalid/runs/42?tab=mg&x=1"
SCRIPT_URL = "javascript:alert(1)"

DEFAULT_ANSWERS: dict[str, Any] = {
    "vendor_name": "Acme Accelerators, Inc.",
    "product_name": "Acme EDU Accelerator",
    "project_slug": "acme-edu",
    "kernel_module_name": "acme_edu",
    "pci_vendor_id": "1234",
    "pci_device_ids": ["11e8"],
    "pci_device_class": "1200",
    "resource_name": "acme.com/edu",
    "driver_build": "both",
    "secure_boot": False,
    "with_firmware": False,
    "with_device_plugin": True,
    "with_operator": True,
    "with_monitoring": True,
    "with_certification": True,
}


def make_project(root: Path, files: dict[str, str], **answers: Any) -> Path:
    """A project folder holding ``files`` (relative path -> text) and an answers file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ANSWERS_FILE).write_text(yaml.safe_dump({**DEFAULT_ANSWERS, **answers}))
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run_probe(name: str, root: Path, **options: Any) -> ProbeResult:
    """Run probe ``name`` on ``root``, after checking the options as the catalog would."""
    probe = probes.get(name)
    assert probe.option_errors(options) == [], probe.option_errors(options)
    return probe.run(Project.open(root), options)
