package config

import (
	"errors"
	"flag"
	"io"
	"strconv"
	"strings"
	"testing"
)

func env(values map[string]string) func(string) string {
	return func(key string) string { return values[key] }
}

func TestDefaultsComeFromTheProject(t *testing.T) {
	cfg, action, err := Parse(nil, env(nil), io.Discard)
	if err != nil || action != Run {
		t.Fatalf("Parse() = %v, %v", action, err)
	}
	if cfg.ResourceName != DefaultResourceName || cfg.Driver != Driver || cfg.VendorID != VendorID {
		t.Fatalf("defaults = %+v", cfg)
	}
	if cfg.PluginDir != DefaultPluginDir || cfg.Socket != SocketName(DefaultResourceName) {
		t.Fatalf("kubelet paths = %q, %q", cfg.PluginDir, cfg.Socket)
	}
	if cfg.MetricsAddress != ":"+strconv.Itoa(DefaultMetricsPort) {
		t.Fatalf("metrics address = %q", cfg.MetricsAddress)
	}
}

func TestResourceNameFromEnvironmentThenFlag(t *testing.T) {
	getenv := env(map[string]string{ResourceNameEnv: "example.com/from-env"})
	cfg, _, err := Parse(nil, getenv, io.Discard)
	if err != nil || cfg.ResourceName != "example.com/from-env" || cfg.Socket != "example.com_from-env.sock" {
		t.Fatalf("from environment: %+v, %v", cfg, err)
	}
	cfg, _, err = Parse([]string{"--resource-name", "example.com/from-flag"}, getenv, io.Discard)
	if err != nil || cfg.ResourceName != "example.com/from-flag" {
		t.Fatalf("from flag: %+v, %v", cfg, err)
	}
}

func TestBadSettingsAreRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--resource-name", "no-domain"},
		{"--resource-name", "kubernetes.io/x"},
		{"--resource-name", "example.com/a/b"},
		{"--socket", "kubelet.sock"},
		{"--socket", "a/b.sock"},
		{"--health-interval", "0s"},
		{"--metrics-address", "9464"},
		{"extra"},
	} {
		var out strings.Builder
		if _, _, err := Parse(args, env(nil), &out); err == nil || out.Len() == 0 {
			t.Errorf("Parse(%q) = %v with output %q, want an error explained", args, err, out.String())
		}
	}
}

func TestActions(t *testing.T) {
	if _, action, err := Parse([]string{"--version"}, env(nil), io.Discard); err != nil || action != PrintVersion {
		t.Errorf("--version: %v, %v", action, err)
	}
	if _, action, err := Parse([]string{"--print-config"}, env(nil), io.Discard); err != nil || action != PrintConfig {
		t.Errorf("--print-config: %v, %v", action, err)
	}
	if _, action, err := Parse([]string{"--list-devices"}, env(nil), io.Discard); err != nil || action != ListDevices {
		t.Errorf("--list-devices: %v, %v", action, err)
	}
	var out strings.Builder
	if _, _, err := Parse([]string{"--help"}, env(nil), &out); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), Product) {
		t.Errorf("--help: %v, %q", err, out.String())
	}
}
