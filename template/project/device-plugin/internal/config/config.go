// Package config reads the device plugin's settings from its flags and environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Version is the plugin's version; builds set it with -ldflags "-X <module>/internal/config.Version=...".
var Version = DefaultVersion

// ResourceNameEnv is the environment variable that overrides the advertised resource name (KMM's
// Module sets it for the DaemonSet it creates).
const ResourceNameEnv = "RESOURCE_NAME"

// Config is everything the plugin needs to run. --print-config prints it as JSON.
type Config struct {
	ResourceName   string        `json:"resourceName"`
	VendorID       string        `json:"pciVendorID"`
	DeviceIDs      []string      `json:"pciDeviceIDs"`
	Driver         string        `json:"driver"`
	NodePrefix     string        `json:"deviceNodePrefix"`
	SysfsRoot      string        `json:"sysfsRoot"`
	DevRoot        string        `json:"devRoot"`
	PluginDir      string        `json:"pluginDir"`
	Socket         string        `json:"socket"`
	MetricsAddress string        `json:"metricsAddress"`
	MetricsPrefix  string        `json:"metricsPrefix"`
	EnvPrefix      string        `json:"envPrefix"`
	HealthInterval time.Duration `json:"healthIntervalNanoseconds"`
	Version        string        `json:"version"`
}

// Action is what the command line asks for besides running the plugin.
type Action int

const (
	// Run the plugin.
	Run Action = iota
	// PrintConfig prints the configuration as JSON and exits.
	PrintConfig
	// PrintVersion prints the version and exits.
	PrintVersion
	// ListDevices scans the devices once, prints them as JSON and exits (no kubelet needed).
	ListDevices
)

// DefaultPluginDir is where the kubelet looks for device plugin sockets.
const DefaultPluginDir = "/var/lib/kubelet/device-plugins"

// An extended resource name: a DNS subdomain outside kubernetes.io, a slash, a qualified name.
var resourceNamePattern = regexp.MustCompile(
	`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)

// Parse reads the flags in args and the environment through getenv. It returns flag.ErrHelp
// after printing the usage for -h/--help; other errors have already been printed to output.
func Parse(args []string, getenv func(string) string, output io.Writer) (Config, Action, error) {
	resourceName := DefaultResourceName
	if fromEnv := getenv(ResourceNameEnv); fromEnv != "" {
		resourceName = fromEnv
	}
	cfg := Config{
		VendorID:      VendorID,
		DeviceIDs:     append([]string(nil), DeviceIDs...),
		Driver:        Driver,
		NodePrefix:    NodePrefix,
		MetricsPrefix: MetricsPrefix,
		EnvPrefix:     EnvPrefix,
		Version:       Version,
	}
	flags := flag.NewFlagSet("device-plugin", flag.ContinueOnError)
	flags.SetOutput(output)
	flags.Usage = func() {
		fmt.Fprintf(output, "Kubelet device plugin for the %s from %s: advertises its PCI functions\n", Product, Vendor)
		fmt.Fprintf(output, "bound to the %s driver as the extended resource %s.\n\nFlags:\n", Driver, resourceName)
		flags.PrintDefaults()
	}
	flags.StringVar(&cfg.ResourceName, "resource-name", resourceName,
		"extended resource to advertise (default from $"+ResourceNameEnv+" when set)")
	flags.StringVar(&cfg.SysfsRoot, "sysfs-root", "/sys", "where sysfs is mounted")
	flags.StringVar(&cfg.DevRoot, "dev-root", "/dev", "where the node's device nodes are visible to the plugin")
	flags.StringVar(&cfg.PluginDir, "plugin-dir", DefaultPluginDir, "the kubelet's device plugin directory")
	flags.StringVar(&cfg.Socket, "socket", "", "socket file name in --plugin-dir (default from the resource name)")
	flags.StringVar(&cfg.MetricsAddress, "metrics-address", ":"+strconv.Itoa(DefaultMetricsPort),
		"address /metrics and /healthz are served on; empty to serve no metrics")
	flags.DurationVar(&cfg.HealthInterval, "health-interval", 5*time.Second, "how often device health is checked")
	printConfig := flags.Bool("print-config", false, "print the configuration as JSON and exit")
	printVersion := flags.Bool("version", false, "print the version and exit")
	listDevices := flags.Bool("list-devices", false, "print the devices found and their health as JSON, and exit")
	if err := flags.Parse(args); err != nil {
		return cfg, Run, err
	}
	if flags.NArg() > 0 {
		err := fmt.Errorf("unexpected arguments: %s", strings.Join(flags.Args(), " "))
		fmt.Fprintln(output, err)
		return cfg, Run, err
	}
	if cfg.Socket == "" {
		cfg.Socket = SocketName(cfg.ResourceName)
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(output, err)
		return cfg, Run, err
	}
	switch {
	case *printVersion:
		return cfg, PrintVersion, nil
	case *printConfig:
		return cfg, PrintConfig, nil
	case *listDevices:
		return cfg, ListDevices, nil
	}
	return cfg, Run, nil
}

// SocketName is the plugin's socket file name for a resource name: acme.com/x -> acme.com_x.sock.
func SocketName(resourceName string) string {
	return strings.ReplaceAll(resourceName, "/", "_") + ".sock"
}

func (c Config) validate() error {
	var problems []string
	if !resourceNamePattern.MatchString(c.ResourceName) {
		problems = append(problems, fmt.Sprintf("resource name %q is not <domain>/<name>", c.ResourceName))
	} else if domain := strings.SplitN(c.ResourceName, "/", 2)[0]; domain == "kubernetes.io" ||
		strings.HasSuffix(domain, ".kubernetes.io") {
		problems = append(problems, fmt.Sprintf("resource name %q uses a kubernetes.io domain", c.ResourceName))
	}
	if c.Socket == "" || strings.ContainsRune(c.Socket, '/') || c.Socket == "kubelet.sock" {
		problems = append(problems, fmt.Sprintf("socket %q must be a file name other than kubelet.sock", c.Socket))
	}
	if c.HealthInterval <= 0 {
		problems = append(problems, "health interval must be positive")
	}
	if c.MetricsAddress != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddress); err != nil {
			problems = append(problems, fmt.Sprintf("metrics address %q: %v", c.MetricsAddress, err))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
