package restplane

import (
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

const (
	authorizationNone    = "NONE"
	authorizationIAM     = "AWS_IAM"
	authorizationCustom  = "CUSTOM"
	authorizationCognito = "COGNITO_USER_POOLS"
)

// authorize applies the method's authorization type. AWS_IAM needs a
// SigV4-signed request: an unsigned one is refused as AWS refuses it (403
// Missing Authentication Token); a signed one is let through unverified
// (the plane does not check the caller's IAM permissions).
func (p *plane) authorize(x *exchange) bool {
	switch x.route.method.AuthorizationType {
	case authorizationNone, "":
		return true
	case authorizationIAM:
		if x.r.Header.Get("Authorization") == "" && x.r.URL.Query().Get("X-Amz-Signature") == "" {
			x.fail(missingAuthenticationToken, "")
			return false
		}
		return true
	}
	execute.WriteError(x.w, http.StatusNotImplemented, "The emulator's REST data plane does not run "+x.route.method.AuthorizationType+" authorizers yet")
	return false
}
