package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// fetchTimeout bounds every request the benchmark makes to its own
// processes (the emulator's admin API, the operator's /metrics).
const fetchTimeout = 10 * time.Second

func fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", url, resp.Status, body)
	}
	return body, nil
}

// callStats mirrors the emulator's GET /_emulator/stats: control-plane calls
// by operation since it started.
type callStats struct {
	Calls     map[string]int64 `json:"calls"`
	Throttled map[string]int64 `json:"throttled"`
	Faults    map[string]int64 `json:"faults"`
}

func fetchCallStats(ctx context.Context, emulatorURL string) (callStats, error) {
	body, err := fetch(ctx, emulatorURL+"/_emulator/stats")
	if err != nil {
		return callStats{}, err
	}
	var stats callStats
	err = json.Unmarshal(body, &stats)
	return stats, err
}

// since returns the calls made between earlier and s. The counters only
// grow, so the difference is exactly what happened in between.
func (s callStats) since(earlier callStats) callStats {
	return callStats{
		Calls:     subtractCounts(s.Calls, earlier.Calls),
		Throttled: subtractCounts(s.Throttled, earlier.Throttled),
		Faults:    subtractCounts(s.Faults, earlier.Faults),
	}
}

func subtractCounts(later, earlier map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for op, n := range later {
		if d := n - earlier[op]; d != 0 {
			out[op] = d
		}
	}
	return out
}

// stsOperations are the emulator's STS calls (the provider authenticating).
// STS has quotas of its own: they do not count against API Gateway's.
var stsOperations = map[string]bool{"GetCallerIdentity": true, "AssumeRole": true}

// apiGatewayTotal sums the calls that count against API Gateway's quotas.
func apiGatewayTotal(counts map[string]int64) int64 {
	var total int64
	for op, n := range counts {
		if !stsOperations[op] {
			total += n
		}
	}
	return total
}
