package wsplane

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"
)

// The event types and message direction of requestContext.
const (
	eventConnect    = "CONNECT"
	eventMessage    = "MESSAGE"
	eventDisconnect = "DISCONNECT"
	directionIn     = "IN"

	routeConnect    = "$connect"
	routeDisconnect = "$disconnect"
	routeDefault    = "$default"
)

// exchange is one route invocation on a connection: its $connect, one
// message, or its $disconnect.
type exchange struct {
	conn      *connection
	stage     Stage
	routeKey  string
	eventType string
	// requestID is also the extendedRequestId, as in AWS's events.
	requestID string
	// messageID is set for messages only.
	messageID string
	at        time.Time
	body      []byte
	binary    bool
	// ended is the close status $disconnect reports.
	ended *closeStatus
}

// requestContext is the requestContext of the events API Gateway sends a
// WebSocket API's Lambda functions (proxy integrations and authorizers).
type requestContext struct {
	RouteKey             string          `json:"routeKey"`
	MessageID            string          `json:"messageId,omitempty"`
	DisconnectStatusCode *int            `json:"disconnectStatusCode,omitempty"`
	DisconnectReason     *string         `json:"disconnectReason,omitempty"`
	EventType            string          `json:"eventType"`
	ExtendedRequestID    string          `json:"extendedRequestId"`
	RequestTime          string          `json:"requestTime"`
	MessageDirection     string          `json:"messageDirection"`
	Stage                string          `json:"stage"`
	ConnectedAt          int64           `json:"connectedAt"`
	RequestTimeEpoch     int64           `json:"requestTimeEpoch"`
	Identity             requestIdentity `json:"identity"`
	RequestID            string          `json:"requestId"`
	DomainName           string          `json:"domainName"`
	ConnectionID         string          `json:"connectionId"`
	APIID                string          `json:"apiId"`
	Authorizer           map[string]any  `json:"authorizer,omitempty"`
}

type requestIdentity struct {
	UserAgent string `json:"userAgent,omitempty"`
	SourceIP  string `json:"sourceIp"`
}

// proxyEvent is the AWS_PROXY event of a WebSocket route. Headers and the
// query string are the handshake's, sent on $connect (and a few headers on
// $disconnect, as AWS does); messages carry the body.
type proxyEvent struct {
	Headers                         map[string]string   `json:"headers,omitempty"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders,omitempty"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters,omitempty"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters,omitempty"`
	StageVariables                  map[string]string   `json:"stageVariables,omitempty"`
	RequestContext                  requestContext      `json:"requestContext"`
	Body                            *string             `json:"body,omitempty"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

// authorizerEvent is the event of a WebSocket REQUEST authorizer: the
// $connect event with the type and the ARN a returned policy must allow.
type authorizerEvent struct {
	Type      string `json:"type"`
	MethodARN string `json:"methodArn"`
	proxyEvent
}

// requestTimeLayout is requestContext.requestTime, as in
// "20/Jan/2024:11:55:08 +0000".
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

func (x *exchange) requestContext() requestContext {
	c := x.conn
	rc := requestContext{
		RouteKey:          x.routeKey,
		MessageID:         x.messageID,
		EventType:         x.eventType,
		ExtendedRequestID: x.requestID,
		RequestTime:       x.at.UTC().Format(requestTimeLayout),
		MessageDirection:  directionIn,
		Stage:             x.stage.Name,
		ConnectedAt:       c.connectedAt.UnixMilli(),
		RequestTimeEpoch:  x.at.UnixMilli(),
		Identity:          requestIdentity{UserAgent: c.userAgent, SourceIP: c.sourceIP},
		RequestID:         x.requestID,
		DomainName:        c.domainName,
		ConnectionID:      c.id,
		APIID:             c.apiID,
		Authorizer:        c.authorizer,
	}
	if x.ended != nil {
		code, reason := int(x.ended.code), x.ended.reason
		rc.DisconnectStatusCode, rc.DisconnectReason = &code, &reason
	}
	return rc
}

// proxyEvent builds the AWS_PROXY event of the exchange.
func (x *exchange) proxyEvent() proxyEvent {
	event := proxyEvent{RequestContext: x.requestContext(), StageVariables: nonEmpty(x.stage.Variables)}
	switch x.eventType {
	case eventConnect:
		event.Headers, event.MultiValueHeaders = valueMaps(x.conn.headers)
		event.QueryStringParameters, event.MultiValueQueryStringParameters = valueMaps(x.conn.query)
	case eventDisconnect:
		event.Headers, event.MultiValueHeaders = valueMaps(x.disconnectHeaders())
	default:
		body, isBase64 := x.bodyText()
		event.Body, event.IsBase64Encoded = &body, isBase64
	}
	return event
}

// disconnectHeaders are the few headers AWS's $disconnect events carry.
func (x *exchange) disconnectHeaders() http.Header {
	return http.Header{
		"Host":            {x.conn.domainName},
		"X-Forwarded-For": {x.conn.sourceIP},
		"x-api-key":       {""},
		"x-restapi":       {""},
	}
}

// bodyText is the message as the event carries it: text as is, binary
// frames base64-encoded.
func (x *exchange) bodyText() (string, bool) {
	if x.binary {
		return base64.StdEncoding.EncodeToString(x.body), true
	}
	return string(x.body), false
}

// authorizerEvent builds the REQUEST authorizer event of a $connect.
func (x *exchange) authorizerEvent(methodARN string) []byte {
	event, _ := json.Marshal(authorizerEvent{Type: "REQUEST", MethodARN: methodARN, proxyEvent: x.proxyEvent()})
	return event
}

// valueMaps returns the single-value (last value wins, as in AWS's
// events) and multi-value maps of headers or of a query string.
func valueMaps[M ~map[string][]string](values M) (map[string]string, map[string][]string) {
	if len(values) == 0 {
		return nil, nil
	}
	single, multi := map[string]string{}, map[string][]string{}
	for name, list := range values {
		single[name] = list[len(list)-1]
		multi[name] = list
	}
	return single, multi
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
