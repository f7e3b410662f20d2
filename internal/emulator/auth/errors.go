package auth

import (
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// failureKind names one of AWS's front-door authentication errors.
type failureKind int

const (
	missing failureKind = iota
	incomplete
	unknownKey
	badSignature
	expired
	invalidRegion
)

// failure is a refused request, rendered by each protocol in its own words.
type failure struct {
	kind failureKind
	// detail is the expiry message, or the region of invalidRegion.
	detail string
}

func (f *failure) render(protocol core.Protocol) *core.Error {
	if protocol == core.Query {
		return f.stsError()
	}
	return f.apiGatewayError()
}

const signatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

func forbidden(code, message string) *core.Error {
	return core.NewError(http.StatusForbidden, code, "%s", message)
}

// apiGatewayError renders the failure as API Gateway's front door does. The
// region message is the one API Gateway answers when the credential scope
// names another region than the endpoint's (reported against
// execute-api and the JSON services; see docs/emulator.md).
func (f *failure) apiGatewayError() *core.Error {
	switch f.kind {
	case missing:
		return forbidden("MissingAuthenticationTokenException", "Missing Authentication Token")
	case incomplete:
		return forbidden("IncompleteSignatureException", "Authorization header requires existence of a valid X-Amz-Date header.")
	case unknownKey:
		return forbidden("UnrecognizedClientException", "The security token included in the request is invalid.")
	case expired:
		return forbidden("InvalidSignatureException", f.detail)
	case invalidRegion:
		return forbidden("InvalidSignatureException", "Credential should be scoped to a valid region.")
	default:
		return forbidden("InvalidSignatureException", signatureMismatch)
	}
}

// stsError renders the failure as STS does. STS names the region it
// refuses, and its message ends with a space.
func (f *failure) stsError() *core.Error {
	switch f.kind {
	case missing:
		return forbidden("MissingAuthenticationToken", "Request is missing Authentication Token")
	case incomplete:
		return core.NewError(http.StatusBadRequest, "IncompleteSignature", "Authorization header requires existence of a valid X-Amz-Date header.")
	case unknownKey:
		return forbidden("InvalidClientTokenId", "The security token included in the request is invalid.")
	case expired:
		return forbidden("SignatureDoesNotMatch", f.detail)
	case invalidRegion:
		return core.NewError(http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to a valid region, not '%s'. ", f.detail)
	default:
		return forbidden("SignatureDoesNotMatch", signatureMismatch)
	}
}
