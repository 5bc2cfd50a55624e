// Package devices finds the PCI functions of the device in sysfs and the character device node
// the kernel module creates for each function it binds.
//
// The kernel module names its nodes <prefix>N and makes each one a child of its PCI function, so
// sysfs shows it as <sysfs>/bus/pci/devices/<address>/<class>/<prefix>N, where <class> is the
// module's device class (named after the module). The node itself is <dev>/<prefix>N.
package devices

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Spec says which PCI functions are ours and where to look for them.
type Spec struct {
	// SysfsRoot is where sysfs is mounted (/sys on a node).
	SysfsRoot string
	// DevRoot is where the node's device nodes are visible to this process (/dev).
	DevRoot string
	// VendorID is the PCI vendor id, 4 hexadecimal digits (any case, with or without 0x).
	VendorID string
	// DeviceIDs are the PCI device ids the driver binds.
	DeviceIDs []string
	// Driver is the kernel module's name: the PCI driver and the device class it registers.
	Driver string
	// NodePrefix starts the name of every device node the driver creates.
	NodePrefix string
}

// Device is one PCI function of the device, as the last scan saw it.
type Device struct {
	// Address is the PCI address (0000:00:04.0); the plugin advertises it as the device id.
	Address string
	// DeviceID is the PCI device id, lowercase.
	DeviceID string
	// Driver is the driver bound to the function; empty when none is.
	Driver string
	// Nodes are the names of the function's device nodes under /dev (usually one).
	Nodes []string
	// NUMANode is the function's NUMA node, or -1 when the platform does not say.
	NUMANode int
	// Healthy is true when the function is bound to the driver and its device nodes exist.
	Healthy bool
	// Reason says why the function is unhealthy.
	Reason string
}

// Scan lists the functions that match the spec, sorted by address. Functions of other vendors
// or device ids are skipped; a matching function that is unbound or has lost its node is
// returned unhealthy, with the reason.
func (s Spec) Scan() ([]Device, error) {
	root := filepath.Join(s.SysfsRoot, "bus", "pci", "devices")
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("listing PCI devices: %w", err)
	}
	wanted := make(map[string]bool, len(s.DeviceIDs))
	for _, id := range s.DeviceIDs {
		wanted[normalizeID(id)] = true
	}
	var found []Device
	for _, entry := range entries {
		dir := filepath.Join(root, entry.Name())
		vendor, err := readID(filepath.Join(dir, "vendor"))
		if err != nil || vendor != normalizeID(s.VendorID) {
			continue
		}
		device, err := readID(filepath.Join(dir, "device"))
		if err != nil || !wanted[device] {
			continue
		}
		found = append(found, s.inspect(entry.Name(), dir, device))
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Address < found[j].Address })
	return found, nil
}

// inspect reads the binding, nodes and NUMA node of one matching function.
func (s Spec) inspect(address, dir, deviceID string) Device {
	d := Device{Address: address, DeviceID: deviceID, NUMANode: readNUMANode(dir)}
	if target, err := os.Readlink(filepath.Join(dir, "driver")); err == nil {
		d.Driver = filepath.Base(target)
	}
	d.Nodes = s.nodes(dir)
	switch {
	case d.Driver != s.Driver:
		d.Reason = fmt.Sprintf("not bound to the %s driver", s.Driver)
	case len(d.Nodes) == 0:
		d.Reason = "the driver created no device node"
	default:
		for _, node := range d.Nodes {
			if _, err := os.Stat(filepath.Join(s.DevRoot, node)); err != nil {
				d.Reason = fmt.Sprintf("%s is missing", filepath.Join(s.DevRoot, node))
				break
			}
		}
	}
	d.Healthy = d.Reason == ""
	return d
}

// nodes lists the function's device nodes from the driver's class directory in sysfs.
func (s Spec) nodes(dir string) []string {
	entries, err := os.ReadDir(filepath.Join(dir, s.Driver))
	if err != nil {
		return nil
	}
	var nodes []string
	for _, entry := range entries {
		name := entry.Name()
		suffix, ok := strings.CutPrefix(name, s.NodePrefix)
		if !ok || suffix == "" {
			continue
		}
		if _, err := strconv.ParseUint(suffix, 10, 32); err == nil {
			nodes = append(nodes, name)
		}
	}
	sort.Strings(nodes)
	return nodes
}

// normalizeID turns "0x11E8\n" or "11E8" into "11e8".
func normalizeID(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	return strings.TrimPrefix(id, "0x")
}

func readID(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return normalizeID(string(data)), nil
}

func readNUMANode(dir string) int {
	data, err := os.ReadFile(filepath.Join(dir, "numa_node"))
	if err != nil {
		return -1
	}
	node, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || node < 0 {
		return -1
	}
	return node
}

// Tracker remembers every function it has seen, so that one which vanishes from sysfs (hot
// unplug, a failed function) is reported unhealthy instead of silently dropped.
type Tracker struct {
	Spec Spec
	seen map[string]Device
}

// NewTracker returns a tracker that has seen nothing yet.
func NewTracker(spec Spec) *Tracker {
	return &Tracker{Spec: spec, seen: map[string]Device{}}
}

// Scan rescans sysfs and returns every function seen so far, sorted by address.
func (t *Tracker) Scan() ([]Device, error) {
	current, err := t.Spec.Scan()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	present := make(map[string]bool, len(current))
	for _, d := range current {
		present[d.Address] = true
		t.seen[d.Address] = d
	}
	for address, d := range t.seen {
		if !present[address] {
			d.Healthy, d.Reason, d.Nodes = false, "gone from sysfs", nil
			t.seen[address] = d
		}
	}
	all := make([]Device, 0, len(t.seen))
	for _, d := range t.seen {
		all = append(all, d)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Address < all[j].Address })
	return all, nil
}
