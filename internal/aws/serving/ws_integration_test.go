package serving_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/emulator"
)

func webSocketServing() serving.Serving {
	return serving.Serving{
		Integrations: []serving.Integration{
			{Name: "chat-fn", Lambda: &serving.LambdaIntegration{FunctionARN: ordersFn}},
			{Name: "hello", Mock: &serving.MockIntegration{}},
		},
		Authorizers: []serving.Authorizer{
			{Name: "auth", Lambda: &serving.LambdaAuthorizer{FunctionARN: catalogFn}, IdentitySource: []string{"route.request.header.Auth"}},
		},
		Routes: []serving.Route{
			{Key: "$connect", Integration: "hello", Authorizer: "auth"},
			{Key: "$default", Integration: "chat-fn"},
			{Key: "send", Integration: "chat-fn", APIKeyRequired: true},
		},
		Stages: []serving.Stage{{Name: "prod", Variables: map[string]string{"room": "lobby"}}},
	}
}

func TestWebSocketAPIServing(t *testing.T) {
	e := startEnv(t, emulator.Options{}, nil)
	api := e.createAPI(t, gateway.ProtocolWebSocket)
	desired := webSocketServing()
	// Five lists, and the integration responses of the one MOCK
	// integration.
	const steadyReads = 6

	first := e.reconcile(t, api, desired)
	if first.DeploymentCreated == "" {
		t.Fatal("no deployment for a stage without autoDeploy")
	}
	if got, want := stageStatus(t, first, "prod").InvokeURL, api.Endpoint+"/prod"; got != want {
		t.Errorf("invoke URL %q, want %q", got, want)
	}
	if routes := e.v2Routes(t, api.ID); len(routes) != 3 || routes["send"] == "" {
		t.Errorf("routes %v", routes)
	}
	e.requireSteady(t, api, desired, steadyReads)

	desired.Routes[2].Integration = "hello"
	before := e.calls()
	result := e.reconcile(t, api, desired)
	if delta, _ := e.since(before); delta["CreateDeployment"] != 1 || aws.ToString(e.v2Stage(t, api.ID, "prod").DeploymentId) != result.DeploymentCreated {
		t.Errorf("a changed route: calls %v", delta)
	}
	e.requireSteady(t, api, desired, steadyReads)

	desired.Routes = desired.Routes[:2]
	e.reconcile(t, api, desired)
	if _, ok := e.v2Routes(t, api.ID)["send"]; ok {
		t.Error("the deleted route is still there")
	}
	e.requireSteady(t, api, desired, steadyReads)
}

// TestDeploymentsSpendTheSharedQuota runs passes that each need a
// deployment, for two APIs of one account, against an emulator enforcing
// AWS's quotas (sped up): the shared limiter spaces the CreateDeployments,
// so AWS throttles none, and this package never sleeps itself.
func TestDeploymentsSpendTheSharedQuota(t *testing.T) {
	const scale = 50 // CreateDeployment: 1 per 100 ms
	limiters := session.NewLimiters()
	limiters.TimeScale = scale
	e := startEnv(t, emulator.Options{Quotas: true, QuotaTimeScale: scale}, limiters)
	apis := []gateway.API{e.createAPI(t, gateway.ProtocolHTTP), e.createAPI(t, gateway.ProtocolREST)}
	start := time.Now()
	const passes = 3
	for i := range passes {
		for _, api := range apis {
			desired := serving.Serving{
				Integrations: []serving.Integration{{Name: "fn", Lambda: &serving.LambdaIntegration{FunctionARN: ordersFn}}},
				Routes:       []serving.Route{{Key: "GET /v" + string(rune('0'+i)), Integration: "fn"}},
				Stages:       []serving.Stage{{Name: "prod"}},
			}
			if result := e.reconcile(t, api, desired); result.DeploymentCreated == "" {
				t.Fatalf("pass %d of %s made no deployment", i, api.Protocol)
			}
		}
	}
	stats := e.server.Stats()
	if n := stats.Throttled["CreateDeployment"]; n != 0 {
		t.Errorf("AWS throttled %d CreateDeployments", n)
	}
	if n := stats.Calls["CreateDeployment"]; n != int64(passes*len(apis)) {
		t.Errorf("%d CreateDeployments, want %d", n, passes*len(apis))
	}
	// Each family's CreateDeployment quota is 1 per 5 s (sped up): the
	// passes of one family cannot have taken less than its intervals.
	if least := time.Duration(passes-1) * 5 * time.Second / scale; time.Since(start) < least*9/10 {
		t.Errorf("%d passes took %v, less than the quota allows (%v)", passes, time.Since(start), least)
	}
}

// A pass within ResponseResync of a full read of a WebSocket API's
// responses trusts it and makes only the five lists; a pass that writes
// makes the next one read them again, and a response deleted outside is
// put back by the first pass that reads them.
func TestWebSocketResponsesAreReadOncePerResponseResync(t *testing.T) {
	e := startEnv(t, emulator.Options{}, nil)
	api := e.createAPI(t, gateway.ProtocolWebSocket)
	desired := webSocketServing()
	desired.Routes[2].ReturnResponse = true
	// The five lists, the MOCK integration's responses and the two-way
	// route's route responses.
	const lists, withResponses = 5, 5 + 1 + 1
	e.reconcile(t, api, desired)
	e.requireSteady(t, api, desired, withResponses)

	desired.ResponseResync = time.Hour
	e.requireSteady(t, api, desired, lists)
	e.requireSteady(t, api, desired, lists)

	desired.Stages[0].Variables = map[string]string{"room": "hall"}
	e.reconcile(t, api, desired)
	e.requireSteady(t, api, desired, withResponses)
	e.requireSteady(t, api, desired, lists)

	route := e.v2Route(t, api.ID, "send")
	responses, err := e.v2.GetRouteResponses(ctx(t), &apigatewayv2.GetRouteResponsesInput{ApiId: aws.String(api.ID), RouteId: route.RouteId})
	if err != nil || len(responses.Items) != 1 {
		t.Fatalf("route responses of the two-way route: %+v, %v", responses, err)
	}
	if _, err := e.v2.DeleteRouteResponse(ctx(t), &apigatewayv2.DeleteRouteResponseInput{ApiId: aws.String(api.ID), RouteId: route.RouteId, RouteResponseId: responses.Items[0].RouteResponseId}); err != nil {
		t.Fatal(err)
	}
	desired.ResponseResync = 0 // the window has passed
	if result := e.reconcile(t, api, desired); len(result.Changes) == 0 {
		t.Error("a pass reading the responses did not put back the deleted route response")
	}
	if after, err := e.v2.GetRouteResponses(ctx(t), &apigatewayv2.GetRouteResponsesInput{ApiId: aws.String(api.ID), RouteId: route.RouteId}); err != nil || len(after.Items) != 1 {
		t.Fatalf("route responses after the pass: %+v, %v", after, err)
	}
}
