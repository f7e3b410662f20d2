// Package gateway is the operator's one model of "an API" in AWS API Gateway.
// It hides the split between API Gateway v1 (REST APIs, service apigateway)
// and v2 (HTTP and WebSocket APIs, service apigatewayv2): callers build a
// desired API, observe the current one, diff the two and apply the changes,
// without knowing which SDK serves which protocol.
package gateway

import (
	"context"
	"time"
)

// Protocol is the kind of API. REST is served by API Gateway v1, HTTP and
// WEBSOCKET by v2.
type Protocol string

// The protocols, spelt as an APIGateway's spec.protocolType spells them.
const (
	ProtocolREST      Protocol = "REST"
	ProtocolHTTP      Protocol = "HTTP"
	ProtocolWebSocket Protocol = "WEBSOCKET"
)

// Protocols lists every protocol, in the order list walks visit them.
var Protocols = []Protocol{ProtocolHTTP, ProtocolWebSocket, ProtocolREST}

// Endpoint types. v2 APIs are always REGIONAL.
const (
	EndpointRegional = "REGIONAL"
	EndpointEdge     = "EDGE"
	EndpointPrivate  = "PRIVATE"
)

// CORS is an HTTP API's CORS configuration.
type CORS struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	ExposeHeaders    []string
	MaxAge           *int32
	AllowCredentials bool
}

// API is one API Gateway API, desired or observed. Fields after Tags are
// observed only: AWS sets them.
type API struct {
	ID                        string
	Name                      string
	Description               string
	Protocol                  Protocol
	EndpointType              string
	DisableExecuteAPIEndpoint bool
	CORS                      *CORS
	RouteSelectionExpression  string
	APIKeySelectionExpression string
	VPCEndpointIDs            []string
	Tags                      map[string]string

	ARN      string
	Endpoint string
	Created  time.Time
}

// Change is one difference between an observed and a desired API, worded for
// logs and events ("description: \"a\" => \"b\"").
type Change struct {
	Field string
	From  string
	To    string
}

func (c Change) String() string { return c.Field + ": " + c.From + " => " + c.To }

// Client reads and writes APIs of every protocol in one account and region.
// Errors are classified with the helpers of this package (IsNotFound,
// IsThrottled, IsTerminal...).
type Client interface {
	// Create makes a new API with desired's attributes and tags, and returns
	// it as AWS answered.
	Create(ctx context.Context, desired API) (API, error)
	// Get returns the API with its tags, or an error for which IsNotFound
	// holds.
	Get(ctx context.Context, protocol Protocol, id string) (API, error)
	// List walks every page of the protocol's family (REST; or HTTP and
	// WEBSOCKET together, which share GetApis) and returns the APIs of that
	// protocol with their tags.
	List(ctx context.Context, protocol Protocol) ([]API, error)
	// Update brings observed to desired in place: attributes through one
	// UpdateApi/UpdateRestApi call when they differ, CORS removal through
	// DeleteCorsConfiguration, tags through TagResource/UntagResource (keys
	// starting with "aws:" are never touched). It makes no call when
	// Diff(observed, desired) is empty, and returns the API as it now is.
	Update(ctx context.Context, observed, desired API) (API, error)
	// Delete deletes the API. Deleting an API that is already gone is not
	// an error.
	Delete(ctx context.Context, protocol Protocol, id string) error
	// Tag sets the given tags on the API, leaving its other tags.
	Tag(ctx context.Context, api API, tags map[string]string) error
	// Untag removes the given tag keys from the API.
	Untag(ctx context.Context, api API, keys []string) error
}
