package restplane

import (
	"sync"
	"time"
)

const (
	apiKeySourceAuthorizer = "AUTHORIZER"
	apiKeyHeader           = "x-api-key"
	stageWideSetting       = "*/*"
)

// methodKey is how method settings and usage plans name a method:
// "/pets/{id}/GET".
func (x *exchange) methodKey() string {
	return x.route.resource.Path + "/" + x.route.method.HTTPMethod
}

// throttleStage applies the stage's throttling: the method's own setting,
// else the stage-wide "*/*" one; none when the stage sets neither (the
// account's limit, which the emulator does not apply, is all that is left).
func (p *plane) throttleStage(x *exchange) bool {
	key := x.methodKey()
	throttle, ok := x.stage.Throttles[key]
	if !ok {
		key = stageWideSetting
		throttle, ok = x.stage.Throttles[key]
	}
	if ok && !p.allow("stage/"+x.api.ID+"/"+x.stage.Name+"/"+key, throttle) {
		x.fail(throttled, "")
		return false
	}
	return true
}

func (p *plane) allow(key string, t Throttle) bool {
	return p.limiter.Allow(key, t.RateLimit, int(t.BurstLimit))
}

// meterAPIKey checks a method's API key and meters it against its usage
// plan: the key (from x-api-key, or from the authorizer's
// usageIdentifierKey when the API's apiKeySource is AUTHORIZER) must be
// enabled and in a plan that includes this API's stage (403 Forbidden);
// the plan's throttle, or its per-method throttle for this method, answers
// 429 Too Many Requests past its rate; its quota 429 Limit Exceeded.
func (p *plane) meterAPIKey(x *exchange) bool {
	if !x.route.method.APIKeyRequired {
		return true
	}
	value := x.r.Header.Get(apiKeyHeader)
	if x.api.APIKeySource == apiKeySourceAuthorizer {
		value = x.usageIdentifierKey
	}
	if value == "" {
		x.fail(invalidAPIKey, "")
		return false
	}
	usage := p.Source.KeyUsage(x.api.Account, x.api.Region, x.api.ID, x.stage.Name, value)
	if !usage.Found {
		x.fail(invalidAPIKey, "")
		return false
	}
	x.apiKey, x.apiKeyID = value, usage.KeyID
	bucket := "plan/" + usage.PlanID + "/" + usage.KeyID
	throttle := usage.Throttle
	if methodThrottle, ok := usage.MethodThrottles[x.methodKey()]; ok {
		bucket, throttle = bucket+x.methodKey(), &methodThrottle
	}
	if throttle != nil && !p.allow(bucket, *throttle) {
		x.fail(throttled, "")
		return false
	}
	if usage.Quota != nil && !p.quotas.take(usage.PlanID+"/"+usage.KeyID, *usage.Quota, p.Now()) {
		x.fail(quotaExceeded, "")
		return false
	}
	return true
}

// quotaBook counts the requests of each key of each plan in the current
// quota period. It lives with the plane, in memory: GetUsage does not read
// it.
type quotaBook struct {
	mu   sync.Mutex
	used map[string]quotaCount
}

type quotaCount struct {
	periodStart time.Time
	requests    int64
}

func newQuotaBook() *quotaBook { return &quotaBook{used: map[string]quotaCount{}} }

// take counts one request against the quota and reports whether it was
// within it. A new period starts the count again.
func (b *quotaBook) take(key string, quota Quota, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	start := quotaPeriodStart(quota, now)
	count := b.used[key]
	if !count.periodStart.Equal(start) {
		count = quotaCount{periodStart: start}
	}
	if count.requests >= quota.Limit {
		b.used[key] = count
		return false
	}
	count.requests++
	b.used[key] = count
	return true
}

// quotaPeriodStart is when the quota period holding now began, in UTC: the
// day; the week from Sunday plus offset days; the month from its first day
// plus offset days (AWS documents the offset so for WEEK and MONTH; DAY has
// none).
func quotaPeriodStart(quota Quota, now time.Time) time.Time {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	offset := int(quota.Offset)
	switch quota.Period {
	case "WEEK":
		start := day.AddDate(0, 0, -int(day.Weekday())+offset)
		if start.After(now) {
			start = start.AddDate(0, 0, -7)
		}
		return start
	case "MONTH":
		start := time.Date(now.Year(), now.Month(), 1+offset, 0, 0, 0, 0, time.UTC)
		if start.After(now) {
			start = time.Date(now.Year(), now.Month()-1, 1+offset, 0, 0, 0, 0, time.UTC)
		}
		return start
	}
	return day
}
