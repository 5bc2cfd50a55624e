// Package fakesys builds fake sysfs and /dev trees in a test's temporary directory, laid out as
// the kernel lays them out for a PCI function bound to the driver.
package fakesys

import (
	"os"
	"path/filepath"
	"testing"
)

// Tree is a fake sysfs root and /dev root.
type Tree struct {
	t      testing.TB
	Sysfs  string
	Dev    string
	Driver string
}

// New makes empty sysfs and /dev roots for the given driver (kernel module) name.
func New(t testing.TB, driver string) *Tree {
	t.Helper()
	root := t.TempDir()
	tree := &Tree{t: t, Sysfs: filepath.Join(root, "sys"), Dev: filepath.Join(root, "dev"), Driver: driver}
	tree.mkdir(filepath.Join(tree.Sysfs, "bus", "pci", "devices"))
	tree.mkdir(filepath.Join(tree.Sysfs, "bus", "pci", "drivers", driver))
	tree.mkdir(tree.Dev)
	return tree
}

// Function describes one fake PCI function.
type Function struct {
	Address  string // 0000:00:04.0
	Vendor   string // as sysfs prints it: 0x1234
	Device   string // 0x11e8
	Driver   string // bound driver; empty for none
	Node     string // device node the driver created; empty for none
	NUMANode string // numa_node file content; empty for no file
}

// Add creates the function's sysfs directory and, when it has one, its /dev node.
func (tr *Tree) Add(f Function) {
	tr.t.Helper()
	dir := tr.FunctionDir(f.Address)
	tr.mkdir(dir)
	tr.write(filepath.Join(dir, "vendor"), f.Vendor+"\n")
	tr.write(filepath.Join(dir, "device"), f.Device+"\n")
	if f.NUMANode != "" {
		tr.write(filepath.Join(dir, "numa_node"), f.NUMANode+"\n")
	}
	if f.Driver != "" {
		target := filepath.Join("..", "..", "..", "bus", "pci", "drivers", f.Driver)
		if err := os.Symlink(target, filepath.Join(dir, "driver")); err != nil {
			tr.t.Fatal(err)
		}
	}
	if f.Node != "" {
		tr.mkdir(filepath.Join(dir, tr.Driver, f.Node))
		tr.write(filepath.Join(tr.Dev, f.Node), "")
	}
}

// FunctionDir is the sysfs directory of the function at address.
func (tr *Tree) FunctionDir(address string) string {
	return filepath.Join(tr.Sysfs, "bus", "pci", "devices", address)
}

// RemoveNode deletes a device node from /dev, as if it vanished on the node.
func (tr *Tree) RemoveNode(node string) {
	tr.t.Helper()
	if err := os.Remove(filepath.Join(tr.Dev, node)); err != nil {
		tr.t.Fatal(err)
	}
}

// RestoreNode creates a device node in /dev again.
func (tr *Tree) RestoreNode(node string) {
	tr.t.Helper()
	tr.write(filepath.Join(tr.Dev, node), "")
}

// RemoveFunction deletes a function from sysfs, as a hot unplug does.
func (tr *Tree) RemoveFunction(address string) {
	tr.t.Helper()
	if err := os.RemoveAll(tr.FunctionDir(address)); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *Tree) mkdir(path string) {
	tr.t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *Tree) write(path, content string) {
	tr.t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tr.t.Fatal(err)
	}
}
