// Package metrics holds the device plugin's Prometheus metrics. Alerts and dashboards are written
// against these names: rename one only together with them.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Values of the health label of the devices gauge (the kubelet's own health words).
const (
	Healthy   = "Healthy"
	Unhealthy = "Unhealthy"
)

// Names returns the names of the device plugin's own metrics for a prefix.
func Names(prefix string) (devices, allocations string) {
	return prefix + "_devices", prefix + "_allocations_total"
}

// Metrics is the device plugin's registry and metrics.
type Metrics struct {
	Registry    *prometheus.Registry
	devices     *prometheus.GaugeVec
	allocations prometheus.Counter
}

// New registers the metrics under prefix, with the Go runtime and process collectors.
func New(prefix string) *Metrics {
	devicesName, allocationsName := Names(prefix)
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		devices: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: devicesName,
			Help: "PCI functions of the device the plugin advertises, by health.",
		}, []string{"health"}),
		allocations: prometheus.NewCounter(prometheus.CounterOpts{
			Name: allocationsName,
			Help: "Devices handed to containers by Allocate.",
		}),
	}
	m.Registry.MustRegister(
		m.devices,
		m.allocations,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// Both series exist from the start, so alerts see 0 rather than no data.
	m.SetDevices(0, 0)
	return m
}

// SetDevices records how many advertised devices are healthy and unhealthy.
func (m *Metrics) SetDevices(healthy, unhealthy int) {
	m.devices.WithLabelValues(Healthy).Set(float64(healthy))
	m.devices.WithLabelValues(Unhealthy).Set(float64(unhealthy))
}

// AddAllocations counts devices handed to containers.
func (m *Metrics) AddAllocations(devices int) {
	m.allocations.Add(float64(devices))
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}
