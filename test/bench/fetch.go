package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// fetchTimeout bounds every request the benchmark makes to its own
// processes (the emulator's admin API, the operator's /metrics).
const fetchTimeout = 10 * time.Second

func fetch(ctx context.Context, url string) ([]byte, error) {
	return fetchSigned(ctx, url, nil)
}

// emptyPayloadHash is the SHA-256 of an empty body, which SigV4 signs.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// fetchSigned GETs url, SigV4-signed with the account's key when one is
// given: the emulator serves its admin API only to callers it knows when it
// checks signatures.
func fetchSigned(ctx context.Context, url string, account *accountCredentials) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if account != nil {
		creds := aws.Credentials{AccessKeyID: account.AccessKeyID, SecretAccessKey: account.SecretAccessKey}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyPayloadHash, "apigateway", "us-east-1", time.Now()); err != nil {
			return nil, err
		}
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

func fetchCallStats(ctx context.Context, emulatorURL string, account accountCredentials) (callStats, error) {
	body, err := fetchSigned(ctx, emulatorURL+"/_emulator/stats", &account)
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
