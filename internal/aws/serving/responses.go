package serving

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// responseCache keeps what the last full read found of a WebSocket API's
// responses between passes. AWS lists them child by child
// (GetIntegrationResponses per MOCK integration, GetRouteResponses per
// two-way route), so reading them every pass costs one call per such child
// — 10 of a 10-route API's 15 calls — against an account quota of 10 calls
// a second. A pass within the desired ResponseResync of the last full read
// of the same children trusts it; a pass that writes anything to the API
// forgets it, so the pass after a change always reads AWS.
type responseCache struct {
	mu    sync.Mutex
	byAPI map[string]cachedResponses
}

type cachedResponses struct {
	readAt time.Time
	// children names the children the responses were read for: a child
	// added, removed or given another selection expression reads again.
	children     string
	integrations map[string][]types.IntegrationResponse
	routes       map[string][]types.RouteResponse
}

// respondingChildren is the key of the children whose responses are read.
func respondingChildren(integrations []types.Integration, routes []types.Route) string {
	var keys []string
	for _, i := range integrations {
		if i.IntegrationType == types.IntegrationTypeMock {
			keys = append(keys, "integration "+aws.ToString(i.IntegrationId))
		}
	}
	for _, r := range routes {
		if expression := aws.ToString(r.RouteResponseSelectionExpression); expression != "" {
			keys = append(keys, "route "+aws.ToString(r.RouteId)+" "+expression)
		}
	}
	slices.Sort(keys)
	return strings.Join(keys, "\n")
}

// recent returns the responses last read for the API's children, when
// that read is younger than within.
func (c *responseCache) recent(apiID, children string, within time.Duration) (cachedResponses, bool) {
	if within <= 0 {
		return cachedResponses{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cached, ok := c.byAPI[apiID]
	if !ok || cached.children != children || time.Since(cached.readAt) >= within {
		return cachedResponses{}, false
	}
	return cached, true
}

func (c *responseCache) store(apiID string, cached cachedResponses) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAPI == nil {
		c.byAPI = map[string]cachedResponses{}
	}
	c.byAPI[apiID] = cached
}

func (c *responseCache) forget(apiID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byAPI, apiID)
}
