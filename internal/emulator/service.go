// Package emulator is a local, wire-compatible emulator of the AWS API Gateway
// management APIs (apigateway v1 for REST APIs, apigatewayv2 for HTTP and
// WebSocket APIs), of the STS calls an operator makes, and of the HTTP API data
// plane. It imports nothing of the operator: it is held to the real AWS SDKs and
// the AWS CLI, so that tests against it say something about AWS.
package emulator

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// call is one control-plane request, after the server has resolved who is
// calling (account, from the access key) and where (region, from the SigV4
// credential scope). Each (account, region) pair is an isolated world.
type call struct {
	Account   string
	Region    string
	RequestID string
	Operation string
	Now       time.Time

	// limit spends one token of the named per-operation quota bucket of this
	// account and region (for example "CreateRestApi" or "CreateRestApi/EDGE"),
	// returning AWS's 429 when it is empty. The overall 10 req/s quota is taken
	// by the server before any handler runs; handlers call limit only for the
	// operations AWS quotas on their own. A no-op when quotas are off.
	limit func(bucket string) error
}

// awsError is an error answered on the wire as AWS does: the status code, an
// x-amzn-ErrorType header carrying Code, and a JSON body {"message": ...}.
type awsError struct {
	Status  int
	Code    string
	Message string
	// Extra members of the error body, such as v2's resourceType or limitType.
	Extra map[string]string
}

func (e *awsError) Error() string { return e.Code + ": " + e.Message }

func newAWSError(status int, code, format string, args ...any) *awsError {
	return &awsError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *awsError {
	return newAWSError(http.StatusBadRequest, "BadRequestException", format, args...)
}

func notFound(format string, args ...any) *awsError {
	return newAWSError(http.StatusNotFound, "NotFoundException", format, args...)
}

func conflict(format string, args ...any) *awsError {
	return newAWSError(http.StatusConflict, "ConflictException", format, args...)
}

func tooManyRequests() *awsError {
	return newAWSError(http.StatusTooManyRequests, "TooManyRequestsException", "Too Many Requests")
}

// pathParams holds the unescaped values of a route's {labels}.
type pathParams map[string]string

// handlerFunc serves one operation. It returns the success status and the
// body to encode as JSON (nil for no body), or an error: an *awsError is sent
// as it is, anything else becomes a 500 InternalServerErrorException.
type handlerFunc func(c *call, r *http.Request, body []byte, params pathParams) (status int, response any, err error)

// route maps a method and a path pattern such as "/restapis/{restapi_id}" to
// an operation. Patterns match the escaped request path segment by segment,
// each segment unescaped, so ARN labels with %2F stay one segment.
type route struct {
	Method    string
	Pattern   string
	Operation string
	// Mutates marks operations that change state: the server persists the
	// state file after each one that succeeds.
	Mutates bool
	Handle  handlerFunc
}

// service is one emulated AWS service: its routes and its persistent state.
// The server serialises all calls to a service, so implementations need no
// locking of their own.
type service interface {
	routes() []route
	// snapshot returns the service's whole state for the state file.
	snapshot() (json.RawMessage, error)
	// restore replaces the service's state with one snapshot returned.
	restore(json.RawMessage) error
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns n random lowercase alphanumerics, the shape of API Gateway
// ids (10 for APIs, 6 or 7 for child resources).
func newID(n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	for i, b := range buf {
		buf[i] = idAlphabet[int(b)%len(idAlphabet)]
	}
	return string(buf)
}
