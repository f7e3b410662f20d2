package gateway

import (
	"errors"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// This file is the one place that knows AWS error codes. The SDKs decode the
// codes modeled for an operation into typed errors (*types.NotFoundException
// and friends) and everything else into *smithy.GenericAPIError; both
// implement smithy.APIError, so classifying by ErrorCode covers typed and
// untyped errors of both services alike.

// ErrUnsupportedChange marks a change AWS refuses to make in place (a
// protocol change, or a REST endpoint-type transition such as PRIVATE→EDGE).
// Retrying cannot help: the user must change the spec. IsTerminal holds for
// it.
var ErrUnsupportedChange = errors.New("change not supported by AWS")

var notFoundCodes = codeSet("NotFoundException")

var throttleCodes = codeSet(
	"TooManyRequestsException",
	"LimitExceededException",
	"ThrottlingException",
	"Throttling",
)

var conflictCodes = codeSet("ConflictException")

// terminalCodes are 4xx errors only the user can fix: a spec AWS rejects, or
// credentials that are wrong or lack permission.
var terminalCodes = codeSet(
	"BadRequestException",
	"ValidationException",
	"UnauthorizedException",
	"UnrecognizedClientException",
	"InvalidClientTokenId",
	"AccessDenied",
	"AccessDeniedException",
	"SignatureDoesNotMatch",
	"InvalidSignatureException",
	"IncompleteSignatureException",
	"MissingAuthenticationTokenException",
)

func codeSet(codes ...string) map[string]bool {
	set := make(map[string]bool, len(codes))
	for _, c := range codes {
		set[c] = true
	}
	return set
}

// errorCode returns the AWS error code carried by err, or "".
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// httpStatus returns the HTTP status of the response that produced err, or 0.
func httpStatus(err error) int {
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) {
		return respErr.HTTPStatusCode()
	}
	return 0
}

// IsNotFound reports whether err says the API (or its tags' resource) does
// not exist.
func IsNotFound(err error) bool {
	return err != nil && notFoundCodes[errorCode(err)]
}

// IsThrottled reports whether AWS refused the call for exceeding a rate
// quota. A 429 whose code was not decoded counts too.
func IsThrottled(err error) bool {
	if err == nil {
		return false
	}
	return throttleCodes[errorCode(err)] || httpStatus(err) == http.StatusTooManyRequests
}

// IsConflict reports whether the call collided with a concurrent change.
func IsConflict(err error) bool {
	return err != nil && conflictCodes[errorCode(err)]
}

// IsTerminal reports whether retrying err is pointless until the user changes
// the spec or the credentials.
func IsTerminal(err error) bool {
	if err == nil {
		return false
	}
	return errors.Is(err, ErrUnsupportedChange) || terminalCodes[errorCode(err)]
}

// Message returns what AWS said, without the SDK's operation, status and
// request-id wrapping, for conditions and events. Errors that did not come
// from AWS are returned as they are.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		if msg := apiErr.ErrorMessage(); msg != "" {
			return apiErr.ErrorCode() + ": " + msg
		}
		return apiErr.ErrorCode()
	}
	return err.Error()
}
