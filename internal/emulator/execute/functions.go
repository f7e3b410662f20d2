package execute

import (
	"context"
	"errors"
	"regexp"
)

// Functions invokes Lambda functions on API Gateway's behalf, for Lambda
// proxy integrations and Lambda authorizers.
type Functions interface {
	// InvokeAsAPIGateway runs the function functionARN names (it may be
	// qualified by an alias or a version) with payload, as the principal
	// apigateway.amazonaws.com calling from sourceARN (the execute-api ARN
	// of the request, or the authorizer's). It answers ErrNoSuchFunction
	// when the function is not registered and ErrNotPermitted when its
	// resource policy does not allow the call; API Gateway answers both
	// with 500 to the client.
	InvokeAsAPIGateway(ctx context.Context, functionARN, sourceARN string, payload []byte) (Invocation, error)
}

// Invocation is a function's answer.
type Invocation struct {
	Payload []byte
	// FunctionError is "Unhandled" when the function failed (Payload is then
	// its error document), "" when it answered.
	FunctionError string
}

var (
	// ErrNoSuchFunction says no registered function has that ARN.
	ErrNoSuchFunction = errors.New("no such Lambda function")
	// ErrNotPermitted says the function's resource policy does not let
	// apigateway.amazonaws.com invoke it from the source ARN.
	ErrNotPermitted = errors.New("the function's resource policy does not allow API Gateway to invoke it")
)

// lambdaIntegrationURI is the URI form API Gateway gives a Lambda
// integration or authorizer:
// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionARN}/invocations.
var lambdaIntegrationURI = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path/[0-9-]+/functions/(arn:aws[a-zA-Z-]*:lambda:[^/]+)/invocations$`)

var functionARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9-_]+(:[a-zA-Z0-9-_$]+)?$`)

// FunctionARN returns the function an integration or authorizer URI
// invokes: the ARN inside API Gateway's invocation URI, or the URI itself
// when it is a function ARN (HTTP APIs accept both).
func FunctionARN(uri string) (string, bool) {
	if m := lambdaIntegrationURI.FindStringSubmatch(uri); m != nil {
		uri = m[1]
	}
	if !functionARNPattern.MatchString(uri) {
		return "", false
	}
	return uri, true
}
