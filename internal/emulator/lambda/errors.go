package lambda

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Lambda's errors carry {"Type": "User"|"Service", "Message"|"message": …}
// with the code in x-amzn-ErrorType. Which spelling of the message member an
// error uses is botocore's (and so the SDKs') model of it: the typed errors
// of aws-sdk-go-v2 only read the member their model names.

func lambdaError(status int, code string, capitalMessage bool, format string, args ...any) *core.Error {
	e := core.NewError(status, code, format, args...)
	e.Extra = map[string]string{"Type": "User"}
	if status >= 500 {
		e.Extra["Type"] = "Service"
	}
	if capitalMessage {
		e.MessageKey = "Message"
	}
	return e
}

func resourceNotFound(format string, args ...any) *core.Error {
	return lambdaError(http.StatusNotFound, "ResourceNotFoundException", true, format, args...)
}

func functionNotFound(arn string) *core.Error { return resourceNotFound("Function not found: %s", arn) }

func policyNotFound() *core.Error {
	return resourceNotFound("The resource you requested does not exist.")
}

func invalidParameter(format string, args ...any) *core.Error {
	return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", false, format, args...)
}

func resourceConflict(format string, args ...any) *core.Error {
	return lambdaError(http.StatusConflict, "ResourceConflictException", false, format, args...)
}

func preconditionFailed(retrieveWith string) *core.Error {
	return lambdaError(http.StatusPreconditionFailed, "PreconditionFailedException", false,
		"The Revision Id provided does not match the latest Revision Id. Call the %s API to retrieve the latest Revision Id", retrieveWith)
}

func policyTooLong(size int) *core.Error {
	return lambdaError(http.StatusBadRequest, "PolicyLengthExceededException", false,
		"The final policy size (%d) is bigger than the limit (%d).", size, maxPolicyBytes)
}

func accessDenied(caller, action, resource string) *core.Error {
	e := core.NewError(http.StatusForbidden, "AccessDeniedException",
		"User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action",
		caller, action, resource, action)
	e.MessageKey = "Message"
	return e
}

func requestTooLarge(limit int) *core.Error {
	return lambdaError(http.StatusRequestEntityTooLarge, "RequestTooLargeException", false,
		"Request must be smaller than %d bytes for the InvokeFunction operation", limit)
}

func notInvocable(name string) *core.Error {
	return lambdaError(http.StatusNotImplemented, "ServiceException", true,
		"The emulator cannot run function %s: it has neither a handler nor an endpoint. Register it with one "+
			"(--lambda-function %s=exec:PATH or %s=URL, or POST /_emulator/lambda/functions with \"handler\" or \"endpoint\").", name, name, name)
}

// runFailed is a function the emulator could not run at all: an endpoint
// that does not answer, an environment that cannot be set up.
func runFailed(name string, err error) *core.Error {
	return lambdaError(http.StatusBadGateway, "ServiceException", true, "The emulator could not run function %s: %v", name, err)
}

func unparsableBody(err error) *core.Error {
	return lambdaError(http.StatusBadRequest, "InvalidRequestContentException", false,
		"Could not parse request body into json: %v", err)
}

// validation collects the constraint failures of a request, which AWS
// reports together as one ValidationException.
type validation []string

func (v *validation) fail(value any, member, constraint string) {
	shown := "null"
	if s, ok := value.(*string); ok && s != nil {
		shown = "'" + *s + "'"
	} else if s, ok := value.(string); ok {
		shown = "'" + s + "'"
	}
	*v = append(*v, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", shown, member, constraint))
}

func (v validation) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return core.Validation("1 validation error detected: %s", v[0])
	default:
		return core.Validation("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
	}
}
