// Package awserrors is the one place that knows AWS error codes, for every
// service the operator calls, and the one place that words an AWS failure
// for a condition or an event.
package awserrors

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
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

// Lambda names its not-found and conflict errors apart from API Gateway:
// ResourceNotFoundException (no function, no policy, no statement) and
// ResourceConflictException (a statement id taken) or
// PreconditionFailedException (a stale policy revision).
var notFoundCodes = codeSet("NotFoundException", "ResourceNotFoundException")

var throttleCodes = codeSet(
	"TooManyRequestsException",
	"LimitExceededException",
	"ThrottlingException",
	"Throttling",
)

var conflictCodes = codeSet("ConflictException", "ResourceConflictException", "PreconditionFailedException")

// terminalCodes are 4xx errors only the user can fix: a spec AWS rejects, or
// credentials that are wrong or lack permission. STS answers ValidationError
// for a malformed role ARN or session name.
var terminalCodes = codeSet(
	"BadRequestException",
	"ValidationException",
	"ValidationError",
	"InvalidParameterValueException",
	"UnauthorizedException",
	"UnrecognizedClientException",
	"InvalidClientTokenId",
	"AccessDenied",
	"AccessDeniedException",
	"SignatureDoesNotMatch",
	"InvalidSignatureException",
	"IncompleteSignatureException",
	"MissingAuthenticationTokenException",
	"ExpiredToken",
	"ExpiredTokenException",
)

// accessDeniedCodes are refusals by IAM: the credentials work, but a policy
// (the role's trust policy, the caller's permissions) says no. The fix is
// made in AWS, so they are worth retrying now and then.
var accessDeniedCodes = codeSet("AccessDenied", "AccessDeniedException")

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

// IsAccessDenied reports whether IAM refused the call.
func IsAccessDenied(err error) bool {
	return err != nil && accessDeniedCodes[errorCode(err)]
}

// Message returns what AWS said, without the SDK's operation, status and
// request-id wrapping, for conditions and events. It is stable: the same
// failure gives the same words on every attempt, so retries make no new
// events. Errors that did not come from AWS are worded from their parts,
// never with a request id.
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
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) {
		return opErr.ServiceID + " " + opErr.OperationName + ": " + causeMessage(opErr.Err)
	}
	return err.Error()
}

// causeMessage words the cause of an operation error without the parts that
// change between attempts (request ids, attempt counts' wrapping).
func causeMessage(err error) string {
	var attempts *retry.MaxAttemptsError
	if errors.As(err, &attempts) {
		return fmt.Sprintf("failed after %d attempts: %s", attempts.Attempt, causeMessage(attempts.Err))
	}
	if status := httpStatus(err); status != 0 {
		return fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	}
	var respErr *awshttp.ResponseError
	if errors.As(err, &respErr) && respErr.Err != nil {
		return respErr.Err.Error()
	}
	msg := err.Error()
	// Transport errors name the URL; the address is stable, the rest too.
	return strings.TrimSpace(msg)
}

// OutcomeUnknown reports whether a failed call may still have taken effect:
// only a 4xx answer (a refusal, a throttle) says for sure that it did not.
// A create that failed so must be followed by a search, never a retry.
func OutcomeUnknown(err error) bool {
	status := httpStatus(err)
	return status < http.StatusBadRequest || status >= http.StatusInternalServerError
}

// validationCodes are requests malformed in a way only a spec change fixes
// (STS: a role ARN or external ID AWS will not take).
var validationCodes = codeSet("ValidationError", "ValidationException")

// IsValidation reports whether AWS refused the request as malformed.
func IsValidation(err error) bool {
	return err != nil && validationCodes[errorCode(err)]
}
