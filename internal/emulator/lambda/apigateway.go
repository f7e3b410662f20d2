package lambda

import (
	"context"
	"fmt"
	"sync"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// apiGatewayPrincipal is the service principal API Gateway invokes as.
const apiGatewayPrincipal = "apigateway.amazonaws.com"

// APIGateway is Lambda as API Gateway's data planes call it: it implements
// execute.Functions. It takes the emulator's state lock to read the
// function and its policy, and runs the function after releasing it, so a
// plane calls it from its handler holding no lock.
type APIGateway struct {
	svc  *Service
	lock sync.Locker
}

var _ execute.Functions = APIGateway{}

// ForAPIGateway returns the execute.Functions of this Lambda; lock is the
// state lock the dispatcher serialises calls with.
func (svc *Service) ForAPIGateway(lock sync.Locker) APIGateway {
	return APIGateway{svc: svc, lock: lock}
}

// InvokeAsAPIGateway runs the function functionARN names (unqualified,
// $LATEST, or an alias) as apigateway.amazonaws.com from sourceARN. A
// function not registered in the ARN's account and region, or not with
// that alias, is execute.ErrNoSuchFunction; one whose resource policy does
// not allow the call is execute.ErrNotPermitted.
func (g APIGateway) InvokeAsAPIGateway(ctx context.Context, functionARN, sourceARN string, payload []byte) (execute.Invocation, error) {
	runFunction, err := g.authorize(functionARN, sourceARN)
	if err != nil {
		return execute.Invocation{}, err
	}
	return runFunction(ctx, payload)
}

// authorize finds the function and checks its policy under the state lock.
func (g APIGateway) authorize(functionARN, sourceARN string) (run, error) {
	g.lock.Lock()
	defer g.lock.Unlock()
	m := functionARNPattern.FindStringSubmatch(functionARN)
	if m == nil {
		return nil, fmt.Errorf("%w: %q is not a function ARN", execute.ErrNoSuchFunction, functionARN)
	}
	region, account, name, qualifier := m[1], m[2], m[3], m[4]
	reg, ok := g.svc.registration(account, region, name)
	if !ok || (qualifier != "" && qualifier != latest && !reg.hasAlias(qualifier)) {
		return nil, fmt.Errorf("%w: %s", execute.ErrNoSuchFunction, functionARN)
	}
	if !g.svc.Allows(account, region, functionARN, apiGatewayPrincipal, sourceARN) {
		return nil, fmt.Errorf("%w: %s from %s", execute.ErrNotPermitted, functionARN, sourceARN)
	}
	t := &target{Registration: reg, Account: account, Region: region, Qualifier: qualifier, Qualified: qualifier != ""}
	if qualifier == "" {
		t.Qualifier = latest
	}
	return g.svc.runner(t)
}
