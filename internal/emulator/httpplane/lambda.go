package httpplane

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// invokeLambda runs an AWS_PROXY integration's function with the event of
// its payload format and reads the answer. A function that is missing, that
// API Gateway may not invoke, that fails or that answers a malformed
// response is a 500 to the caller; one that outlives the integration
// timeout is a 503.
func (d *plane) invokeLambda(ctx context.Context, call *routedCall, integration Integration) (*mappedResponse, error) {
	functionARN, ok := execute.FunctionARN(call.withStageVariables(integration.URI))
	if !ok || d.functions == nil {
		return nil, errInternal
	}
	var event any = call.eventV1Of()
	if integration.PayloadFormatVersion == payloadFormat2 {
		event = call.eventV2Of()
	}
	payload, err := json.Marshal(event)
	if err != nil {
		return nil, errInternal
	}
	invocation, err := d.functions.InvokeAsAPIGateway(ctx, functionARN, call.sourceARN(), payload)
	if err != nil {
		return nil, failureOf(err)
	}
	if invocation.FunctionError != "" {
		return nil, errInternal
	}
	if integration.PayloadFormatVersion == payloadFormat2 {
		return responseV2(invocation.Payload)
	}
	return responseV1(invocation.Payload)
}

// sourceARN is the execute-api ARN API Gateway invokes a function from,
// which the function's resource policy is checked against:
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{route path},
// the route's path as its key writes it ("/users/{id}"), or
// {apiId}/{stage}/$default for the $default route.
func (c *routedCall) sourceARN() string {
	if c.match.isDefault {
		return c.executeAPIARN(c.stage.Name + "/" + defaultRouteKey)
	}
	return c.executeAPIARN(c.stage.Name + "/" + c.request.Method + routePath(c.match.route.RouteKey))
}

// proxyResponse is a function's answer in the Lambda proxy format.
type proxyResponse struct {
	StatusCode        *int                `json:"statusCode"`
	Headers           map[string]any      `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Cookies           []string            `json:"cookies"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

// responseV2 reads a 2.0 answer. A JSON object with a statusCode is a proxy
// response; any other JSON is the body of a 200 application/json answer
// (AWS's "inferred format"), a JSON string being the text it holds.
func responseV2(payload []byte) (*mappedResponse, error) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(payload, &fields) == nil && fields["statusCode"] != nil {
		return proxyResponseOf(payload, true)
	}
	if !json.Valid(payload) {
		return nil, errInternal
	}
	body := payload
	var text string
	if json.Unmarshal(payload, &text) == nil {
		body = []byte(text)
	}
	header := http.Header{"Content-Type": {"application/json"}}
	return &mappedResponse{status: http.StatusOK, header: header, body: body}, nil
}

// responseV1 reads a 1.0 answer, which must be a proxy response.
func responseV1(payload []byte) (*mappedResponse, error) { return proxyResponseOf(payload, false) }

// proxyResponseOf decodes a proxy response: headers, the multi-value
// headers of 1.0, the cookies of 2.0 (each a Set-Cookie header), and a body
// that may be base64-encoded.
func proxyResponseOf(payload []byte, withCookies bool) (*mappedResponse, error) {
	var decoded proxyResponse
	if err := json.Unmarshal(payload, &decoded); err != nil || decoded.StatusCode == nil ||
		*decoded.StatusCode < 100 || *decoded.StatusCode > 599 {
		return nil, errInternal
	}
	header := http.Header{}
	for name, value := range decoded.Headers {
		if text, ok := scalarString(value); ok {
			header.Set(name, text)
		}
	}
	if withCookies {
		for _, cookie := range decoded.Cookies {
			header.Add("Set-Cookie", cookie)
		}
	} else {
		mergeMultiValueHeaders(header, decoded.MultiValueHeaders)
	}
	body := []byte(decoded.Body)
	if decoded.IsBase64Encoded {
		raw, err := base64.StdEncoding.DecodeString(decoded.Body)
		if err != nil {
			return nil, errInternal
		}
		body = raw
	}
	return &mappedResponse{status: *decoded.StatusCode, header: header, body: body}, nil
}

// mergeMultiValueHeaders adds 1.0's multiValueHeaders to its headers; a
// value both name is sent once.
func mergeMultiValueHeaders(header http.Header, multiValue map[string][]string) {
	for name, values := range multiValue {
		for _, value := range values {
			if !slices.Contains(header.Values(name), value) {
				header.Add(name, value)
			}
		}
	}
}
