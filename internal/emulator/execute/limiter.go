package execute

import (
	"sync"

	"golang.org/x/time/rate"
)

// Limiter holds token buckets by key, such as "api/stage/route", for the
// throttling API Gateway applies per account, stage, route and usage plan.
// A bucket is made on first use with the rate and burst of that call, and
// remade when they change (a stage update takes effect at once).
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	rateLimit float64
	burst     int
	limiter   *rate.Limiter
}

// NewLimiter returns a Limiter with no buckets.
func NewLimiter() *Limiter { return &Limiter{buckets: map[string]*bucket{}} }

// Allow takes a token from the bucket of key, which refills at rateLimit per
// second up to burst, and reports whether there was one. A negative or zero
// rate with a zero burst refuses everything, as AWS does for a limit of 0.
func (l *Limiter) Allow(key string, rateLimit float64, burst int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil || b.rateLimit != rateLimit || b.burst != burst {
		b = &bucket{rateLimit: rateLimit, burst: burst, limiter: rate.NewLimiter(rate.Limit(rateLimit), burst)}
		l.buckets[key] = b
	}
	return b.limiter.Allow()
}
