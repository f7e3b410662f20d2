package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// mode is one way of running the operator, measured on its own emulated AWS
// account so that modes never share quota buckets.
type mode struct {
	Name    string
	Account accountCredentials
	// RunArgs switch the operator into this mode; empty means its defaults.
	RunArgs []string
	// Note says what was run instead, when the binary lacks the switches.
	Note string
	// Serving, when set, makes this a serving mode: its objects declare
	// routes, integrations and a stage of one protocol, and count as done
	// once they serve.
	Serving *servingShape
}

// The switches of `infra-operator run` that the baseline needs.
const (
	observationFlag   = "observation"
	sharedLimiterFlag = "shared-rate-limiter"
	// operatorScaleFlag lets the operator's own per-account limiter run as
	// fast as the emulator's scaled quotas.
	operatorScaleFlag = "quota-time-scale"
)

func benchmarkModes(runFlags map[string]bool) []mode {
	batched := mode{Name: "batched", Account: accountCredentials{"AKIABENCHBATCHED", "bench-batched-secret", "111111111111"}}
	baseline := mode{Name: "baseline", Account: accountCredentials{"AKIABENCHBASELINE", "bench-baseline-secret", "222222222222"}}
	if runFlags[observationFlag] && runFlags[sharedLimiterFlag] {
		batched.RunArgs = []string{"--" + observationFlag + "=batched", "--" + sharedLimiterFlag + "=true"}
		baseline.RunArgs = []string{"--" + observationFlag + "=per-object", "--" + sharedLimiterFlag + "=false"}
	} else {
		baseline.Note = "baseline flags not available: baseline ran with the operator's defaults"
	}
	return []mode{batched, baseline}
}

// operatorNotes warns about what the binary cannot do, so figures are read
// with their limits in mind.
func operatorNotes(runFlags map[string]bool, scale float64) []string {
	var notes []string
	if !runFlags[observationFlag] || !runFlags[sharedLimiterFlag] {
		notes = append(notes, fmt.Sprintf("baseline flags not available (infra-operator run has no --%s / --%s): baseline runs with the defaults", observationFlag, sharedLimiterFlag))
	}
	if scale != 1 && !runFlags[operatorScaleFlag] {
		notes = append(notes, fmt.Sprintf("infra-operator run has no --%s: the provider's requestsPerSecond is set to 10×%g, but the operator's per-operation buckets (CreateRestApi 1/3 s) stay at wall-clock speed, %g× slower than the emulator allows; REST creation time is inflated accordingly", operatorScaleFlag, scale, scale))
	}
	return notes
}

// servingModes are one mode per protocol, each object of the shape's routes
// and integrations, each on an account of its own. The operator runs with
// its defaults.
func servingModes(routes, integrations int) []mode {
	shape := func(p v1alpha1.ProtocolType) *servingShape {
		return &servingShape{Protocol: p, Routes: routes, Integrations: integrations}
	}
	return []mode{
		{Name: "http", Account: accountCredentials{"AKIABENCHSERVEHTTP", "bench-http-secret", "333333333333"}, Serving: shape(v1alpha1.ProtocolHTTP)},
		{Name: "websocket", Account: accountCredentials{"AKIABENCHSERVEWS", "bench-websocket-secret", "444444444444"}, Serving: shape(v1alpha1.ProtocolWebSocket)},
		{Name: "rest", Account: accountCredentials{"AKIABENCHSERVEREST", "bench-rest-secret", "555555555555"}, Serving: shape(v1alpha1.ProtocolREST)},
	}
}

// selectModes keeps the modes named in a comma-separated list, in the
// order of all; an unknown name is an error, so that a typo does not run
// nothing.
func selectModes(all []mode, names string) ([]mode, error) {
	wanted := map[string]bool{}
	for _, name := range strings.Split(names, ",") {
		if name = strings.TrimSpace(name); name != "" {
			wanted[name] = true
		}
	}
	var selected []mode
	for _, m := range all {
		if wanted[m.Name] {
			selected = append(selected, m)
			delete(wanted, m.Name)
		}
	}
	if len(wanted) > 0 {
		known := make([]string, len(all))
		for i, m := range all {
			known[i] = m.Name
		}
		var unknown []string
		for name := range wanted {
			unknown = append(unknown, name)
		}
		slices.Sort(unknown)
		return nil, fmt.Errorf("unknown modes %s; the modes are %s", strings.Join(unknown, ","), strings.Join(known, ","))
	}
	if len(selected) == 0 {
		return nil, fmt.Errorf("no mode selected")
	}
	return selected, nil
}
