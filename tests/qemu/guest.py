"""The guest side of the QEMU driver test: the /init script the initramfs runs, and its report.

The script runs a list of checks against the generated module, each a shell function, and prints
one line per check::

    SCAFFOLD-QEMU check=<name> result=pass|fail detail=<one line>

then the whole kernel log between two marker lines, and powers the guest off. It prints these on
the second serial port (ttyS1), which only it writes to: the console (ttyS0) also carries kernel
messages, which could land in the middle of a line. The console gets a copy of each result line
for whoever reads it. Before each check
it writes ``scaffold-qemu: check <name>`` to /dev/kmsg, so a check can read the kernel log of its
own steps and of the checks before it (``log_since <name>``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

RESULT_PREFIX = "SCAFFOLD-QEMU"
LOG_BEGIN = "SCAFFOLD-QEMU-KERNEL-LOG-BEGIN"
LOG_END = "SCAFFOLD-QEMU-KERNEL-LOG-END"
DONE = f"{RESULT_PREFIX} done"
RESULT_LINE = re.compile(
    rf"{RESULT_PREFIX} check=(?P<name>\S+) result=(?P<result>pass|fail) detail=(?P<detail>.*)$"
)
# Taint flags an out-of-tree, unsigned module sets (O = 1 << 12, E = 1 << 13); any other flag
# (W after a WARN, D after an oops, ...) fails the "taint" check.
ALLOWED_TAINT = (1 << 12) | (1 << 13)
# Unbind/bind cycles under a concurrent reader: each costs about half a second under TCG.
REBIND_CYCLES = 3


@dataclass(frozen=True)
class Check:
    """One reported check: a name and the shell command (a function call) that decides it."""

    name: str
    command: str


@dataclass(frozen=True)
class GuestConfig:
    """What the guest needs to know about the module under test and the device it drives."""

    module: str  # modprobe name, also the PCI driver's name (KBUILD_MODNAME)
    ko_path: str  # the .ko inside the initramfs, under /lib/modules/<release>/ for depmod
    node_prefix: str  # /dev/<node_prefix>N
    vendor_id: str  # "0x1234", as sysfs prints it
    device_ids: tuple[str, ...]  # ("0x11e8",)
    ident: str  # identification register as the driver prints it, "0x010000ed"
    functions: int = 1  # how many matching PCI functions the machine has
    firmware: str = ""  # path under /lib/firmware when the driver loads firmware
    firmware_size: int = 0


# Shell functions every scenario uses. Each check runs in a subshell ($(...)), so `fail` ends the
# check only; whatever a check prints becomes its detail.
LIBRARY = r"""
say() {
	echo "SCAFFOLD-QEMU $*" >&4
	echo "SCAFFOLD-QEMU $*"
}
fail() { echo "$*"; exit 1; }

log_since() { dmesg | sed -n "/scaffold-qemu: check $1\$/,\$p"; }

run_check() {
	name=$1
	shift
	echo "scaffold-qemu: check $name" >/dev/kmsg
	if detail=$("$@" 2>&1); then result=pass; else result=fail; fi
	say "check=$name result=$result detail=$(printf '%s' "$detail" | tr '\n' ' ')"
}

node() { echo "/dev/${NODE_PREFIX}$1"; }
# The driver of a function ($BDF unless named), or "none".
driver_of() {
	link=/sys/bus/pci/devices/${1:-$BDF}/driver
	if [ -L "$link" ]; then basename "$(readlink "$link")"; else echo none; fi
}
# The function the node's sysfs entry hangs off, found by its dev_t rather than a class name.
node_parent() {
	numbers=$(stat -c '%t %T' "$1") || return 1
	set -- $numbers
	basename "$(readlink "/sys/dev/char/$((0x$1)):$((0x$2))/device")"
}

expect_bound() {
	[ "$(driver_of)" = "$MODULE" ] || fail "$BDF is bound to $(driver_of), not $MODULE"
	[ -c "$(node 0)" ] || fail "$(node 0) is not a character device"
	[ "$(node_parent "$(node 0)")" = "$BDF" ] || fail "$(node 0) does not belong to $BDF"
}
# No function bound, no node left.
expect_unbound() {
	for function in $FUNCTIONS; do
		driver=$(driver_of "$function")
		[ "$driver" = none ] || fail "$function is still bound to $driver"
	done
	for path in /dev/"$NODE_PREFIX"*; do
		[ ! -e "$path" ] || fail "$path still exists"
	done
}
expect_unloaded() {
	[ ! -d "/sys/module/$MODULE" ] || fail "/sys/module/$MODULE still exists"
	expect_unbound
}
expect_ident() {
	value=$(cat "$1") || fail "cannot read $1"
	[ "$value" = "$IDENT" ] || fail "$1 reads '$value', want '$IDENT'"
}
# Log lines the driver printed for the function since a check started.
device_log() { log_since "$1" | grep -F "$MODULE $BDF: "; }

find_functions() {
	for dir in /sys/bus/pci/devices/*; do
		[ "$(cat "$dir/vendor")" = "$VENDOR_ID" ] || continue
		for want in $DEVICE_IDS; do
			if [ "$(cat "$dir/device")" = "$want" ]; then echo "${dir##*/}"; fi
		done
	done
}

check_device_present() {
	count=$(echo $FUNCTIONS | wc -w)
	[ "$count" -eq "$FUNCTION_COUNT" ] ||
		fail "$count PCI functions $VENDOR_ID:{$DEVICE_IDS} ($FUNCTIONS), want $FUNCTION_COUNT"
	expect_unloaded
	for function in $FUNCTIONS; do
		sysfs=/sys/bus/pci/devices/$function
		echo "$function $(cat "$sysfs/vendor"):$(cat "$sysfs/device") class $(cat "$sysfs/class")"
	done
}

# Every function bound, each with a node of its own.
check_all_bound() {
	parents=
	for path in /dev/"$NODE_PREFIX"*; do
		[ -c "$path" ] || continue
		parents="$parents $(node_parent "$path")"
	done
	for function in $FUNCTIONS; do
		driver=$(driver_of "$function")
		[ "$driver" = "$MODULE" ] || fail "$function is bound to $driver, not $MODULE"
		[ "$(echo $parents | tr ' ' '\n' | grep -cx "$function")" -eq 1 ] ||
			fail "$function does not have exactly one node (nodes belong to:$parents)"
	done
	[ "$(echo $parents | wc -w)" -eq "$FUNCTION_COUNT" ] || fail "nodes belong to:$parents"
	echo "$FUNCTION_COUNT functions bound, one node each:$parents"
}

# max_devices=1 with more functions than that: the first binds, every other fails probe cleanly.
check_one_device_only() {
	expect_bound
	for function in $FUNCTIONS; do
		[ "$function" = "$BDF" ] && continue
		[ "$(driver_of "$function")" = none ] || fail "$function is bound beyond max_devices=1"
		log_since "$1" | grep -qF "$MODULE $function: " ||
			fail "no log line says why $function is unbound"
	done
	[ ! -e "$(node 1)" ] || fail "$(node 1) exists with max_devices=1"
	echo "only $BDF bound, as $(node 0)"
}

check_load() {
	insmod "$KO" "$@" || fail "insmod $* failed"
	[ -d "/sys/module/$MODULE" ] || fail "/sys/module/$MODULE is missing after insmod"
	echo "insmod $* loaded $MODULE"
}

check_bound() {
	expect_bound
	echo "$BDF -> $(driver_of), $(node 0) $(stat -c '%t:%T' "$(node 0)")"
}

check_probe_log() {
	line=$(device_log "$1" | grep -F "$IDENT") || fail "no log line of $BDF shows $IDENT"
	for function in $FUNCTIONS; do
		log_since "$1" | grep -F "$MODULE $function: " | grep -qF "$IDENT" ||
			fail "no log line of $function shows $IDENT"
	done
	device_log "$1" | grep -qF "$(node 0)" || fail "no log line of $BDF names $(node 0)"
	echo "$line"
}

check_read() {
	expect_ident "$(node 0)"
	echo "cat $(node 0): $(cat "$(node 0)")"
}

check_read_bytewise() {
	value=$(dd if="$(node 0)" bs=1 2>/dev/null)
	[ "$value" = "$IDENT" ] || fail "dd bs=1 reads '$value', want '$IDENT'"
	read -r value <"$(node 0)"
	[ "$value" = "$IDENT" ] || fail "the shell's read builtin reads '$value', want '$IDENT'"
	echo "dd bs=1 and read: $value"
}

check_uevent() {
	numbers=$(stat -c '%t %T' "$(node 0)")
	set -- $numbers
	uevent=/sys/dev/char/$((0x$1)):$((0x$2))/uevent
	grep -qx "DEVICE_IDENT=$IDENT" "$uevent" || fail "$uevent: $(tr '\n' ' ' <"$uevent")"
	grep -x "DEVICE_IDENT=.*" "$uevent"
}

check_param() {
	value=$(cat "/sys/module/$MODULE/parameters/$1") || fail "no parameter $1"
	[ "$value" = "$2" ] || fail "$1 is $value, want $2"
	echo "$1=$value"
}

check_rmmod_refused_while_open() {
	exec 3<"$(node 0)" || fail "cannot open $(node 0)"
	if rmmod "$MODULE" 2>/dev/null; then fail "rmmod succeeded with $(node 0) open"; fi
	exec 3<&-
	expect_bound
	echo "rmmod refused while $(node 0) was open"
}

check_unbind_with_open_file() {
	exec 3<"$(node 0)" || fail "cannot open $(node 0)"
	echo "$BDF" >"/sys/bus/pci/drivers/$MODULE/unbind" || fail "unbind failed"
	[ "$(driver_of)" = none ] || fail "$BDF is still bound to $(driver_of)"
	[ ! -e "$(node 0)" ] || fail "$(node 0) still exists"
	if out=$(cat <&3 2>&1); then fail "read after unbind returned '$out'"; fi
	echo "$out" | grep -q "No such device" || fail "read after unbind: '$out', want ENODEV"
	exec 3<&-
	echo "unbound with the node open; read then: $out"
}

check_rebind() {
	echo "$BDF" >"/sys/bus/pci/drivers/$MODULE/bind" || fail "bind failed"
	expect_bound
	expect_ident "$(node 0)"
	echo "$BDF bound again as $(node 0)"
}

# Unbind and bind again and again while a reader keeps opening and reading the node: remove must
# not pull the registers from under a read, and a node still open keeps its minor (so a rebind
# may get another). A final cycle without the reader leaves the usual state.
check_rebind_under_reads() {
	# The read builtin: no fork per read, and one-byte reads, so many of them.
	(while :; do read -r value <"$(node 0)" || read -r value <"$(node 1)"; done 2>/dev/null) &
	reader=$!
	cycles=0
	while [ $cycles -lt "$REBIND_CYCLES" ]; do
		echo "$BDF" >"/sys/bus/pci/drivers/$MODULE/unbind" || break
		echo "$BDF" >"/sys/bus/pci/drivers/$MODULE/bind" || break
		cycles=$((cycles + 1))
	done
	kill "$reader"
	wait "$reader"
	[ $cycles -eq "$REBIND_CYCLES" ] || fail "unbind or bind failed in cycle $((cycles + 1))"
	echo "$BDF" >"/sys/bus/pci/drivers/$MODULE/unbind" || fail "final unbind failed"
	echo "$BDF" >"/sys/bus/pci/drivers/$MODULE/bind" || fail "final bind failed"
	expect_bound
	expect_ident "$(node 0)"
	echo "$cycles unbind/bind cycles under a concurrent reader, then bound as $(node 0)"
}

check_unload() {
	rmmod "$MODULE" || fail "rmmod failed"
	expect_unloaded
	echo "$MODULE unloaded, $FUNCTIONS unbound, no /dev/$NODE_PREFIX* node left"
}

check_param_refused() {
	if insmod "$KO" "$1" 2>/dev/null; then
		rmmod "$MODULE"
		fail "insmod $1 succeeded"
	fi
	expect_unloaded
	line=$(log_since "$name" | grep -F "$MODULE: $1") || fail "no log line explains $1"
	echo "$line"
}

# Probe must fail cleanly on a BAR the function does not have: no binding, no node, and (as the
# next load proves) the regions and the enable count released.
check_missing_bar() {
	bar=$1
	resource=$(sed -n "$((bar + 1))p" "/sys/bus/pci/devices/$BDF/resource")
	set -- $resource
	[ $(($1 | $2 | $3)) -eq 0 ] || fail "BAR$bar exists: $resource"
	insmod "$KO" "reg_bar=$bar" || fail "insmod reg_bar=$bar failed"
	expect_unbound
	line=$(device_log "$name" | grep -F "BAR$bar") || fail "no log line names BAR$bar"
	rmmod "$MODULE" || fail "rmmod failed"
	expect_unloaded
	echo "$line"
}

# $1: the check that loaded the module.
check_firmware_log() {
	line=$(device_log "$1" | grep -F "$FIRMWARE" | grep -w "$FIRMWARE_SIZE") ||
		fail "no log line shows $FIRMWARE with its size, $FIRMWARE_SIZE bytes"
	echo "$line"
}

check_hide_firmware() {
	mv "/lib/firmware/$FIRMWARE" /tmp/firmware.bin || fail "cannot move $FIRMWARE aside"
	echo "/lib/firmware/$FIRMWARE removed"
}
check_empty_firmware() {
	: >"/lib/firmware/$FIRMWARE" || fail "cannot create an empty $FIRMWARE"
	echo "/lib/firmware/$FIRMWARE is empty"
}
check_restore_firmware() {
	mv /tmp/firmware.bin "/lib/firmware/$FIRMWARE" || fail "cannot restore $FIRMWARE"
	echo "/lib/firmware/$FIRMWARE restored, $(wc -c <"/lib/firmware/$FIRMWARE") bytes"
}

# Probe without a usable firmware file: the module loads, the function stays unbound, the log
# says why, and the module unloads.
check_firmware_refused() {
	insmod "$KO" || fail "insmod failed"
	expect_unbound
	line=$(device_log "$name" | grep -F "$FIRMWARE") || fail "no log line of $BDF names $FIRMWARE"
	rmmod "$MODULE" || fail "rmmod failed"
	expect_unloaded
	echo "$line"
}

# The way udev loads the module on a node: depmod indexes the PCI aliases of MODULE_DEVICE_TABLE,
# and modprobe of the function's modalias must find this module.
check_modalias_autoload() {
	depmod || fail "depmod failed"
	modalias=$(cat "/sys/bus/pci/devices/$BDF/modalias")
	modprobe "$modalias" || fail "modprobe $modalias failed: no alias of $MODULE matches"
	[ -d "/sys/module/$MODULE" ] || fail "modprobe $modalias did not load $MODULE"
	expect_bound
	expect_ident "$(node 0)"
	bound=$(check_all_bound) || fail "$bound"
	echo "modprobe $modalias loaded $MODULE and bound $FUNCTIONS"
}

check_taint() {
	taint=$(cat /proc/sys/kernel/tainted)
	[ $((taint & ~ALLOWED_TAINT)) -eq 0 ] || fail "kernel taint $taint has flags beyond O and E"
	echo "tainted=$taint"
}
"""

PROLOGUE = r"""#!/bin/busybox sh
# Generated by tests/qemu/guest.py for the QEMU driver test.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec 4>/dev/ttyS1
stty -F /dev/ttyS1 raw -echo
"""

EPILOGUE = f"""
say done
echo {LOG_BEGIN} >&4
dmesg >&4
echo {LOG_END} >&4
poweroff -f
"""


def _variables(config: GuestConfig) -> str:
    values = {
        "MODULE": config.module,
        "KO": config.ko_path,
        "NODE_PREFIX": config.node_prefix,
        "VENDOR_ID": config.vendor_id,
        "DEVICE_IDS": " ".join(config.device_ids),
        "IDENT": config.ident,
        "FIRMWARE": config.firmware,
        "FIRMWARE_SIZE": str(config.firmware_size),
        "ALLOWED_TAINT": str(ALLOWED_TAINT),
        "REBIND_CYCLES": str(REBIND_CYCLES),
        "FUNCTION_COUNT": str(config.functions),
    }
    return "".join(f"{key}={shlex.quote(value)}\n" for key, value in values.items())


def init_script(config: GuestConfig, checks: Sequence[Check]) -> str:
    """The /init of the initramfs: set-up, the checks in order, the kernel log, power-off."""
    steps = "".join(f"run_check {check.name} {check.command}\n" for check in checks)
    return (
        PROLOGUE
        + _variables(config)
        + LIBRARY
        + "\nFUNCTIONS=$(find_functions)\nBDF=${FUNCTIONS%%[[:space:]]*}\n"
        + steps
        + EPILOGUE
    )


def driver_checks(limit: int, missing_bar: int, bad_reg_bar: int) -> list[Check]:
    """Load, bind, use, unbind, unload and reload the driver; refuse bad parameters.

    ``limit`` is the driver's largest max_devices, ``missing_bar`` a BAR the function lacks and
    ``bad_reg_bar`` the first BAR number out of range.
    """
    refused = ["max_devices=0", f"max_devices={limit + 1}", f"reg_bar={bad_reg_bar}"]
    return [
        Check("device_present", "check_device_present"),
        Check("load", "check_load"),
        Check("bound", "check_bound"),
        Check("all_bound", "check_all_bound"),
        Check("probe_log", "check_probe_log load"),
        Check("read", "check_read"),
        Check("read_bytewise", "check_read_bytewise"),
        Check("uevent", "check_uevent"),
        Check("rmmod_refused_while_open", "check_rmmod_refused_while_open"),
        Check("unbind_with_open_file", "check_unbind_with_open_file"),
        Check("rebind", "check_rebind"),
        Check("rebind_under_reads", "check_rebind_under_reads"),
        Check("unload", "check_unload"),
        *(
            Check(f"param_refused_{param.replace('=', '_')}", f"check_param_refused {param}")
            for param in refused
        ),
        Check(f"missing_bar_{missing_bar}", f"check_missing_bar {missing_bar}"),
        Check("reload_max_devices_1", "check_load max_devices=1"),
        Check("reload_bound", "check_one_device_only reload_max_devices_1"),
        Check("reload_param", "check_param max_devices 1"),
        Check("reload_read", "check_read"),
        Check("reload_unload", "check_unload"),
        Check(f"load_max_devices_{limit}", f"check_load max_devices={limit}"),
        Check(f"load_max_devices_{limit}_bound", "check_all_bound"),
        Check(f"load_max_devices_{limit}_read", "check_read"),
        Check(f"load_max_devices_{limit}_unload", "check_unload"),
        Check("modalias_autoload", "check_modalias_autoload"),
        Check("modalias_autoload_unload", "check_unload"),
        Check("taint", "check_taint"),
    ]


def firmware_checks() -> list[Check]:
    """Probe loads the firmware file; without it, or with an empty one, probe fails cleanly."""
    return [
        Check("device_present", "check_device_present"),
        Check("load", "check_load"),
        Check("bound", "check_bound"),
        Check("probe_log", "check_probe_log load"),
        Check("firmware_log", "check_firmware_log load"),
        Check("read", "check_read"),
        Check("unload", "check_unload"),
        Check("hide_firmware", "check_hide_firmware"),
        Check("firmware_missing", "check_firmware_refused"),
        Check("empty_firmware", "check_empty_firmware"),
        Check("firmware_empty", "check_firmware_refused"),
        Check("restore_firmware", "check_restore_firmware"),
        Check("reload", "check_load"),
        Check("reload_bound", "check_bound"),
        Check("reload_firmware_log", "check_firmware_log reload"),
        Check("reload_unload", "check_unload"),
        Check("taint", "check_taint"),
    ]


@dataclass(frozen=True)
class Result:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class Report:
    """What the guest printed, taken apart."""

    results: dict[str, Result]
    duplicates: list[str]
    done: bool
    kernel_log: str  # the dump between the markers, empty if the guest never got there
    console: str  # the serial console: kernel messages, stderr, copies of the result lines


def parse(results_channel: str, console: str) -> Report:
    """Read the results port's transcript; the console is kept for failure messages."""
    lines = results_channel.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    results: dict[str, Result] = {}
    duplicates: list[str] = []
    kernel_log: list[str] = []
    in_log = done = False
    for line in lines:
        if line.strip() == LOG_BEGIN:
            in_log = True
            continue
        if line.strip() == LOG_END:
            in_log = False
            continue
        if in_log:
            kernel_log.append(line)
            continue
        if line.strip() == DONE:
            done = True
        match = RESULT_LINE.search(line)
        if match:
            name = match["name"]
            if name in results:
                duplicates.append(name)
            results[name] = Result(name, match["result"] == "pass", match["detail"].strip())
    return Report(results, duplicates, done, "\n".join(kernel_log), console.replace("\r", ""))
