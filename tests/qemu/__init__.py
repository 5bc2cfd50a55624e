"""Helpers that boot a generated kernel module in QEMU: initramfs, guest script, kernel lookup."""
