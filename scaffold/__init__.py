"""partner-scaffold: a complete OpenShift enablement project for a PCIe device, in one command."""

__version__ = "0.1.0"
