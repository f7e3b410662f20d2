package reconciler

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

var reconcileTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "infra_operator_reconcile_total",
	Help: "Reconcile passes by resource type and result (success, requeue, stalled, error).",
}, []string{"resource_type", "result"})

func init() {
	metrics.Registry.MustRegister(reconcileTotal)
}

// reconcileResult names how a pass ended, for infra_operator_reconcile_total.
func reconcileResult(requeueAfter bool, err error) string {
	switch {
	case err == nil && requeueAfter:
		return "requeue"
	case err == nil:
		return "success"
	}
	if _, ok := outcome.AsStalled(err); ok {
		return "stalled"
	}
	return "error"
}
