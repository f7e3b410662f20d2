package core

import (
	"maps"
	"sync"
)

// Stats counts control-plane calls since start (or the last reset), by
// operation name such as "CreateApi", and invoke requests by API, stage and
// route.
type Stats struct {
	// Calls counts every call that reached an operation, throttled or not.
	Calls map[string]int64 `json:"calls"`
	// Throttled counts the calls answered with 429 TooManyRequestsException.
	Throttled map[string]int64 `json:"throttled"`
	// Faults counts the calls answered with an injected 500 or 503.
	Faults map[string]int64 `json:"faults"`
	// DataPlane counts the invoke requests.
	DataPlane DataPlaneStats `json:"dataPlane"`
}

// DataPlaneStats counts invoke requests, each at the deepest level it
// reached: a request for an unknown API is counted under that id only, one
// no route matched under its stage but no route.
type DataPlaneStats struct {
	Counts
	// APIs are by API id, whether an API of that id exists or not.
	APIs map[string]*APIStats `json:"apis"`
	// CustomDomains are by the host of requests that came through a custom
	// domain name, mapped to an API or not.
	CustomDomains map[string]*Counts `json:"customDomains"`
}

// Counts is a number of requests and how many got each status.
type Counts struct {
	Requests int64         `json:"requests"`
	Statuses map[int]int64 `json:"statuses"`
}

// APIStats counts the requests of one API, by the stage that served them.
type APIStats struct {
	Counts
	Stages map[string]*StageStats `json:"stages"`
}

// StageStats counts the requests of one stage, by route key (HTTP,
// WebSocket) or "METHOD /resource/path" (REST).
type StageStats struct {
	Counts
	Routes map[string]*Counts `json:"routes"`
}

// DataPlaneRequest is one answered invoke request, as the stats count it.
type DataPlaneRequest struct {
	// APIID is "" when the request named none (a custom domain path no
	// mapping matches).
	APIID, Stage, Route, CustomDomain string
	Status                            int
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

func (r *statsRecorder) dataPlane(req DataPlaneRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	plane := &r.stats.DataPlane
	plane.count(req.Status)
	if req.CustomDomain != "" {
		entry(plane.CustomDomains, req.CustomDomain, newCounts).count(req.Status)
	}
	if req.APIID == "" {
		return
	}
	api := entry(plane.APIs, req.APIID, func() *APIStats { return &APIStats{Counts: *newCounts(), Stages: map[string]*StageStats{}} })
	api.count(req.Status)
	if req.Stage == "" {
		return
	}
	stage := entry(api.Stages, req.Stage, func() *StageStats { return &StageStats{Counts: *newCounts(), Routes: map[string]*Counts{}} })
	stage.count(req.Status)
	if req.Route != "" {
		entry(stage.Routes, req.Route, newCounts).count(req.Status)
	}
}

func (c *Counts) count(status int) {
	c.Requests++
	c.Statuses[status]++
}

func newCounts() *Counts { return &Counts{Statuses: map[int]int64{}} }

// entry returns m[key], created with fresh on first use.
func entry[V any](m map[string]*V, key string, fresh func() *V) *V {
	v, ok := m[key]
	if !ok {
		v = fresh()
		m[key] = v
	}
	return v
}

func (r *statsRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats = Stats{
		Calls: map[string]int64{}, Throttled: map[string]int64{}, Faults: map[string]int64{},
		DataPlane: DataPlaneStats{Counts: *newCounts(), APIs: map[string]*APIStats{}, CustomDomains: map[string]*Counts{}},
	}
}

func (r *statsRecorder) snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Stats{
		Calls: maps.Clone(r.stats.Calls), Throttled: maps.Clone(r.stats.Throttled), Faults: maps.Clone(r.stats.Faults),
		DataPlane: DeepCopy(r.stats.DataPlane),
	}
}

// CountDataPlane counts an answered invoke request: the data plane, which
// the dispatcher hands requests to, reports each here once answered.
func (d *Dispatcher) CountDataPlane(req DataPlaneRequest) { d.stats.dataPlane(req) }
