// Command testlambda is the Lambda function the emulator's data-plane tests
// register: an ordinary aws-lambda-go handler (lambda.Start), run by the
// emulator through the Runtime API exactly as AWS runs a provided.al2023
// bootstrap. sdktest.BuildTestLambda builds it.
//
// It answers two kinds of events.
//
// Lambda authorizer events:
//   - REST-style (payload 1.0): "type":"TOKEN" with authorizationToken, or
//     "type":"REQUEST" with methodArn, the identity being the header
//     authorization (any case). Identity "allow" gets an IAM policy allowing
//     execute-api:Invoke on the event's methodArn, principalId "test-user",
//     context {"user":"test-user"}; "deny" gets the same policy with an
//     explicit Deny; anything else is the error "Unauthorized", API Gateway's
//     convention for a 401.
//   - HTTP API simple responses (payload 2.0): "version":"2.0",
//     "type":"REQUEST" with routeArn, the identity being the header
//     authorization or else the first identitySource value; the answer is
//     {"isAuthorized": identity == "allow", "context": {"user":"test-user"}}.
//
// Every other event (REST proxy 1.0, HTTP 2.0, WebSocket) gets a proxy
// response: status 200, or the value of the header or query parameter
// x-test-status; headers content-type application/json and x-handler
// testlambda; the body is the event it received, as a JSON string, so a test
// can assert on what API Gateway sent. When the event's body (a WebSocket
// message, say) is JSON with "action":"echo", the body is that message
// instead.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() { lambda.Start(handle) }

// event holds the members of every event shape the handler looks at.
type event struct {
	Version               string            `json:"version"`
	Type                  string            `json:"type"`
	AuthorizationToken    string            `json:"authorizationToken"`
	MethodArn             string            `json:"methodArn"`
	RouteArn              string            `json:"routeArn"`
	IdentitySource        json.RawMessage   `json:"identitySource"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	Body                  *string           `json:"body"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

const (
	principalID = "test-user"
	allow       = "allow"
	deny        = "deny"
)

var authorizerContext = map[string]any{"user": principalID}

func handle(_ context.Context, raw json.RawMessage) (any, error) {
	var e event
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, err
	}
	switch {
	case e.Type == "TOKEN":
		return iamPolicyAnswer(e.AuthorizationToken, e.MethodArn)
	case e.Type == "REQUEST" && e.Version == "2.0" && e.RouteArn != "":
		return simpleAnswer(e), nil
	case e.Type == "REQUEST" && e.MethodArn != "":
		return iamPolicyAnswer(header(e.Headers, "authorization"), e.MethodArn)
	}
	return proxyAnswer(e, raw), nil
}

// iamPolicyAnswer is a REST-style authorizer's answer for an identity.
func iamPolicyAnswer(identity, methodARN string) (any, error) {
	var effect string
	switch identity {
	case allow:
		effect = "Allow"
	case deny:
		effect = "Deny"
	default:
		return nil, errors.New("Unauthorized") // API Gateway matches this exact message.
	}
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: principalID,
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version:   "2012-10-17",
			Statement: []events.IAMPolicyStatement{{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: []string{methodARN}}},
		},
		Context: authorizerContext,
	}, nil
}

// simpleAnswer is an HTTP API authorizer's simple response.
func simpleAnswer(e event) any {
	identity := header(e.Headers, "authorization")
	if identity == "" {
		var sources []string
		if json.Unmarshal(e.IdentitySource, &sources) == nil && len(sources) > 0 {
			identity = sources[0]
		}
	}
	return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: identity == allow, Context: authorizerContext}
}

// proxyAnswer echoes the event (or an echo message) in a proxy response.
func proxyAnswer(e event, raw json.RawMessage) any {
	status := 200
	for _, asked := range []string{header(e.Headers, "x-test-status"), e.QueryStringParameters["x-test-status"]} {
		if code, err := strconv.Atoi(asked); err == nil {
			status = code
			break
		}
	}
	body := string(raw)
	if message, ok := echoMessage(e); ok {
		body = message
	}
	return map[string]any{
		"statusCode":      status,
		"headers":         map[string]string{"content-type": "application/json", "x-handler": "testlambda"},
		"body":            body,
		"isBase64Encoded": false,
	}
}

// echoMessage is the event's body when it is JSON asking for an echo.
func echoMessage(e event) (string, bool) {
	if e.Body == nil {
		return "", false
	}
	body := *e.Body
	if e.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return "", false
		}
		body = string(decoded)
	}
	var message struct {
		Action string `json:"action"`
	}
	if json.Unmarshal([]byte(body), &message) != nil || message.Action != "echo" {
		return "", false
	}
	return body, true
}

// header reads a header whatever its case: REST events keep the client's
// spelling, HTTP API events lower-case it.
func header(headers map[string]string, name string) string {
	for key, value := range headers {
		if strings.EqualFold(key, name) {
			return value
		}
	}
	return ""
}
