package controller

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

var (
	reconcileTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "infra_operator_reconcile_total",
		Help: "Reconcile passes by resource type and result (success, requeue, stalled, error).",
	}, []string{"resource_type", "result"})

	providerReady = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "infra_operator_provider_ready",
		Help: "1 when the AWSProvider's credentials authenticated with STS, else 0.",
	}, []string{"provider_name", "region"})
)

func init() {
	metrics.Registry.MustRegister(reconcileTotal, providerReady)
}

// reconcileResult names how a pass ended, for infra_operator_reconcile_total.
func reconcileResult(requeueAfter bool, err error) string {
	switch {
	case err == nil && requeueAfter:
		return "requeue"
	case err == nil:
		return "success"
	}
	if _, ok := asStalled(err); ok {
		return "stalled"
	}
	return "error"
}
