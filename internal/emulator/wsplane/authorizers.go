package wsplane

import "context"

// Authorizers decides a $connect under its Lambda REQUEST authorizer. The
// plane resolves the identity sources and builds the event; the decision
// (the Lambda call, the policy's evaluation against MethodARN, the result
// cache) is the implementation's.
type Authorizers interface {
	Authorize(ctx context.Context, api API, authorizer Authorizer, request AuthorizerRequest) AuthorizerDecision
}

// AuthorizerRequest is what the plane resolved from the handshake.
type AuthorizerRequest struct {
	// Identity holds the values of the authorizer's identity sources, in
	// order; "" where the handshake has none.
	Identity []string
	// Event is the REQUEST authorizer event the function receives.
	Event []byte
	// MethodARN is the $connect route's ARN, which the returned policy must
	// allow.
	MethodARN string
	Stage     string
}

// AuthorizerDecision is the authorizer's answer.
type AuthorizerDecision struct {
	// Status is 0 when the connection may open; otherwise the status the
	// handshake is refused with (401, 403, 500) and Message its message.
	Status  int
	Message string
	// PrincipalID and Context become requestContext.authorizer.
	PrincipalID string
	Context     map[string]any
}
