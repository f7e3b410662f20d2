package core

import (
	"maps"
	"sync"
)

// Stats counts control-plane calls since start (or the last reset), by
// operation name such as "CreateApi".
type Stats struct {
	// Calls counts every call that reached an operation, throttled or not.
	Calls map[string]int64 `json:"calls"`
	// Throttled counts the calls answered with 429 TooManyRequestsException.
	Throttled map[string]int64 `json:"throttled"`
	// Faults counts the calls answered with an injected 500 or 503.
	Faults map[string]int64 `json:"faults"`
}

// statsRecorder is safe for concurrent use: it is updated outside the state
// lock too.
type statsRecorder struct {
	mu    sync.Mutex
	stats Stats
}

func newStatsRecorder() *statsRecorder {
	r := &statsRecorder{}
	r.reset()
	return r
}

func (r *statsRecorder) call(op string)     { r.add(r.stats.Calls, op) }
func (r *statsRecorder) throttle(op string) { r.add(r.stats.Throttled, op) }
func (r *statsRecorder) fault(op string)    { r.add(r.stats.Faults, op) }

func (r *statsRecorder) add(counts map[string]int64, op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	counts[op]++
}

func (r *statsRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats = Stats{Calls: map[string]int64{}, Throttled: map[string]int64{}, Faults: map[string]int64{}}
}

func (r *statsRecorder) snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Stats{Calls: maps.Clone(r.stats.Calls), Throttled: maps.Clone(r.stats.Throttled), Faults: maps.Clone(r.stats.Faults)}
}
