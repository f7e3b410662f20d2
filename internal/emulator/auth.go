package emulator

import (
	"net/http"
	"time"
)

// caller is who sent a request and where: the world it acts in.
type caller struct {
	accessKeyID string
	account     string
	region      string
	// identity is the STS identity of the access key, for GetCallerIdentity.
	identity stsIdentity
}

// authFailureKind names one of AWS's front-door authentication errors.
type authFailureKind int

const (
	authMissing authFailureKind = iota
	authIncomplete
	authUnknownKey
	authBadSignature
	authExpired
)

// authFailure is a refused request, rendered by each protocol in its own
// encoding (JSON for API Gateway, XML for STS).
type authFailure struct {
	kind   authFailureKind
	detail string
}

// apiGatewayError renders the failure as API Gateway's front door does.
func (f *authFailure) apiGatewayError() *awsError {
	switch f.kind {
	case authMissing:
		return newAWSError(http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
	case authIncomplete:
		return newAWSError(http.StatusForbidden, "IncompleteSignatureException", "Authorization header requires existence of a valid X-Amz-Date header.")
	case authUnknownKey:
		return newAWSError(http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case authExpired:
		return newAWSError(http.StatusForbidden, "InvalidSignatureException", "%s", f.detail)
	default:
		return newAWSError(http.StatusForbidden, "InvalidSignatureException", signatureMismatchMessage)
	}
}

const signatureMismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// authenticateCaller resolves the account (from the access key) and region
// (from the SigV4 credential scope) of a request. When credentials are
// configured, the signature must verify with the key's secret.
func (s *Server) authenticateCaller(r *http.Request, body []byte) (caller, *authFailure) {
	header, signed := parseSigV4Header(r)
	who := caller{account: s.opts.DefaultAccount, region: defaultRegion}
	if signed {
		who.accessKeyID, who.region = header.accessKeyID, header.region
	}
	s.mu.Lock()
	key, known := s.sts.lookupKey(who.accessKeyID)
	s.mu.Unlock()
	if known {
		who.account, who.identity = key.Identity.Account, key.Identity
	} else {
		who.identity = s.sts.defaultIdentity(who.accessKeyID, s.opts.DefaultAccount)
	}
	if len(s.opts.Credentials) == 0 {
		return who, nil
	}
	switch {
	case !signed && r.Header.Get("Authorization") == "":
		return who, &authFailure{kind: authMissing}
	case !signed:
		return who, &authFailure{kind: authIncomplete}
	case !known || (key.SessionToken != "" && key.SessionToken != r.Header.Get("X-Amz-Security-Token")):
		return who, &authFailure{kind: authUnknownKey}
	}
	return who, verifySigV4(r, body, header, key.SecretAccessKey, time.Now().UTC())
}

// authenticate is authenticateCaller for API Gateway requests.
func (s *Server) authenticate(r *http.Request, body []byte) (caller, *awsError) {
	who, failure := s.authenticateCaller(r, body)
	if failure != nil {
		return who, failure.apiGatewayError()
	}
	return who, nil
}
