package emulator

import (
	"math"
	"time"
)

// totalOperationsBucket is AWS's account-wide control-plane quota: 10
// requests per second with a burst of 40, per account and region.
const totalOperationsBucket = "TotalOperations"

// quotaRule is one token bucket's shape: a refill rate and a capacity.
type quotaRule struct {
	perSecond float64
	burst     float64
}

// quotaRules are the fixed control-plane quotas of the API Gateway quotas
// page ("API Gateway quotas for creating, deploying and managing an API").
var quotaRules = map[string]quotaRule{
	totalOperationsBucket: {perSecond: 10, burst: 40},
	"CreateRestApi":       {perSecond: 1.0 / 3, burst: 1},
	"CreateRestApi/EDGE":  {perSecond: 1.0 / 30, burst: 1},
	"DeleteRestApi":       {perSecond: 1.0 / 30, burst: 1},
	"CreateDeployment":    {perSecond: 1.0 / 5, burst: 1},
}

// quotaBook holds a token bucket per (account, region, bucket name).
type quotaBook struct {
	enabled   bool
	timeScale float64
	buckets   map[string]*tokenBucket
}

func newQuotaBook(enabled bool, timeScale float64) *quotaBook {
	return &quotaBook{enabled: enabled, timeScale: timeScale, buckets: map[string]*tokenBucket{}}
}

// take spends one token of the named bucket, or returns AWS's 429 when the
// bucket is empty. Unknown bucket names and disabled quotas never throttle.
func (q *quotaBook) take(account, region, bucket string, now time.Time) error {
	rule, known := quotaRules[bucket]
	if !q.enabled || !known {
		return nil
	}
	key := account + "/" + region + "/" + bucket
	b := q.buckets[key]
	if b == nil {
		b = &tokenBucket{tokens: rule.burst, last: now}
		q.buckets[key] = b
	}
	if !b.take(rule.perSecond*q.timeScale, rule.burst, now) {
		return tooManyRequests()
	}
	return nil
}

// tokenBucket is a classic token bucket refilled continuously.
type tokenBucket struct {
	tokens float64
	last   time.Time
}

func (b *tokenBucket) take(perSecond, burst float64, now time.Time) bool {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(burst, b.tokens+elapsed*perSecond)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
