package httpplane

// AWS's default account-level throttling for HTTP APIs in most Regions:
// 10,000 requests per second with a burst of 5,000. A stage's
// defaultRouteSettings and routeSettings lower it.
const (
	accountRateLimit  = 10000
	accountBurstLimit = 5000
)

// withinThrottling takes a token from the route's bucket and reports whether
// there was one. The limits are the route's settings, member by member
// falling back to the stage's default route settings, then to the account's.
// Each route of each stage has its own bucket.
func (d *plane) withinThrottling(api API, stage Stage, routeKey string) bool {
	rateLimit, burstLimit := effectiveThrottling(stage, routeKey)
	if rateLimit >= accountRateLimit && burstLimit >= accountBurstLimit {
		// The account's limits are not emulated: the emulator serves one
		// caller, and a bucket per route would be state for nothing.
		return true
	}
	return d.limiter.Allow(api.ID+"/"+stage.Name+"/"+routeKey, rateLimit, int(burstLimit))
}

func effectiveThrottling(stage Stage, routeKey string) (float64, int64) {
	rateLimit, burstLimit := float64(accountRateLimit), int64(accountBurstLimit)
	for _, level := range []Throttling{stage.DefaultThrottling, stage.RouteThrottling[routeKey]} {
		if level.RateLimit != nil {
			rateLimit = *level.RateLimit
		}
		if level.BurstLimit != nil {
			burstLimit = *level.BurstLimit
		}
	}
	return rateLimit, burstLimit
}
