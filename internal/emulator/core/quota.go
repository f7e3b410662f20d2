package core

import (
	"math"
	"time"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// accountBucket names the account-wide bucket, shared by every metered
// service of an account and region.
const accountBucket = "account"

// quotaBook holds a token bucket per (account, region, bucket), shaped by
// the rules of awsquotas.
type quotaBook struct {
	enabled   bool
	timeScale float64
	buckets   map[string]*tokenBucket
}

func newQuotaBook(enabled bool, timeScale float64) *quotaBook {
	return &quotaBook{enabled: enabled, timeScale: timeScale, buckets: map[string]*tokenBucket{}}
}

// takeAccount spends one token of the account-wide quota.
func (q *quotaBook) takeAccount(account, region string, now time.Time) error {
	return q.take(account+"/"+region+"/"+accountBucket, awsquotas.Account(), now)
}

// takeOperation spends one token of an operation's own quota. Operations
// without a rule never throttle here.
func (q *quotaBook) takeOperation(account, region string, op awsquotas.Operation, now time.Time) error {
	rule, known := awsquotas.Lookup(op)
	if !known {
		return nil
	}
	return q.take(account+"/"+region+"/"+op.String(), rule, now)
}

// take spends one token of the named bucket, or returns AWS's 429 when it
// is empty. Disabled quotas never throttle.
func (q *quotaBook) take(key string, rule awsquotas.Rule, now time.Time) error {
	if !q.enabled {
		return nil
	}
	burst := float64(rule.Burst)
	b := q.buckets[key]
	if b == nil {
		b = &tokenBucket{tokens: burst, last: now}
		q.buckets[key] = b
	}
	if !b.take(rule.PerSecond*q.timeScale, burst, now) {
		return TooManyRequests()
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
