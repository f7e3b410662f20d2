package authorizers

import (
	"encoding/json"
	"time"
)

// sweepThreshold is the number of cached results above which expired ones
// are dropped as new ones are stored, so the cache does not grow with
// every token ever seen.
const sweepThreshold = 1024

// resultKey names one cached Lambda authorizer answer: AWS keys the cache
// by the identity source values, per authorizer and per stage.
type resultKey struct {
	apiID, stage, authorizerID string
	// identity is the identity source values, JSON-encoded so that no two
	// lists share a key.
	identity string
}

// cachedResult is a Lambda authorizer's answer kept for its TTL. The
// answer is kept rather than the decision: a cached policy is evaluated
// again for each method ARN, as AWS does.
type cachedResult struct {
	result  lambdaResult
	expires time.Time
}

// resultCacheKey is where the answer for this request is cached, and
// whether it is: caching needs a TTL and, for REQUEST authorizers, identity
// sources to key on (AWS requires them for caching; without them every
// request calls the function).
func resultCacheKey(spec Spec, req Request) (resultKey, bool) {
	if spec.ResultTTL <= 0 || (spec.Kind == KindRequest && len(spec.IdentitySource) == 0) {
		return resultKey{}, false
	}
	identity, _ := json.Marshal(req.Identity)
	return resultKey{apiID: spec.APIID, stage: req.Stage, authorizerID: spec.ID, identity: string(identity)}, true
}

func (a *Authorizers) cachedResult(key resultKey) (lambdaResult, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	cached, ok := a.results[key]
	if !ok || !a.cfg.Now().Before(cached.expires) {
		return lambdaResult{}, false
	}
	return cached.result, true
}

func (a *Authorizers) storeResult(key resultKey, result lambdaResult, ttl time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.cfg.Now()
	if len(a.results) >= sweepThreshold {
		for other, cached := range a.results {
			if !now.Before(cached.expires) {
				delete(a.results, other)
			}
		}
	}
	a.results[key] = cachedResult{result: result, expires: now.Add(ttl)}
}

// FlushStage drops the cached results of an API's authorizers for one
// stage, as FlushStageAuthorizersCache (REST) and ResetAuthorizersCache
// (HTTP) do; stage "" drops every stage's.
func (a *Authorizers) FlushStage(apiID, stage string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for key := range a.results {
		if key.apiID == apiID && (stage == "" || key.stage == stage) {
			delete(a.results, key)
		}
	}
}
