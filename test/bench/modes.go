package main

import "fmt"

// mode is one way of running the operator, measured on its own emulated AWS
// account so that modes never share quota buckets.
type mode struct {
	Name    string
	Account accountCredentials
	// RunArgs switch the operator into this mode; empty means its defaults.
	RunArgs []string
	// Note says what was run instead, when the binary lacks the switches.
	Note string
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
