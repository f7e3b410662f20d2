package controller

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

var providerReady = prometheus.NewGaugeVec(prometheus.GaugeOpts{
	Name: "infra_operator_provider_ready",
	Help: "1 when the provider's credentials authenticated with STS, else 0.",
}, []string{"provider_name", "region"})

func init() {
	metrics.Registry.MustRegister(providerReady)
}
