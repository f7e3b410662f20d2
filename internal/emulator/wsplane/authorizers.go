package wsplane

import (
	"context"

	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// Authorizers decides a $connect under its Lambda REQUEST authorizer
// (*authorizers.Authorizers): the plane resolves the identity sources and
// builds the event; the Lambda call, the policy's evaluation against the
// $connect route's ARN and the result cache are the package's.
type Authorizers interface {
	Authorize(ctx context.Context, spec authorizers.Spec, request authorizers.Request) authorizers.Decision
}

// decide asks the route's Lambda REQUEST authorizer about a $connect.
func (p *plane) decide(ctx context.Context, api API, route Route, x *exchange) authorizers.Decision {
	if route.Authorizer == nil || p.cfg.Authorizers == nil {
		return authorizers.Decision{Status: 500, Message: execute.MessageInternalServerError}
	}
	identity := make([]string, len(route.Authorizer.IdentitySource))
	for i, source := range route.Authorizer.IdentitySource {
		identity[i] = x.parameterValue(source)
	}
	methodARN := api.routeARN(x.stage.Name, routeConnect)
	return p.cfg.Authorizers.Authorize(ctx, authorizerSpec(api, *route.Authorizer), authorizers.Request{
		Identity: identity, Event: x.authorizerEvent(methodARN), MethodARN: methodARN, Stage: x.stage.Name,
	})
}

func authorizerSpec(api API, authorizer Authorizer) authorizers.Spec {
	functionARN, _ := execute.FunctionARN(authorizer.URI)
	return authorizers.Spec{
		ID: authorizer.ID, APIID: api.ID, API: authorizers.APIWebSocket, Kind: authorizers.Kind(authorizer.Type),
		FunctionARN:    functionARN,
		SourceARN:      "arn:aws:execute-api:" + api.Region + ":" + api.Account + ":" + api.ID + "/authorizers/" + authorizer.ID,
		IdentitySource: authorizer.IdentitySource,
		ResultTTL:      authorizer.ResultTTL,
	}
}
