package main

import (
	"fmt"
	"math"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// servingShape is what every object of a serving mode declares: R routes,
// I HTTP_PROXY integrations the routes share in rotation, and one stage.
type servingShape struct {
	Protocol     v1alpha1.ProtocolType
	Routes       int
	Integrations int
}

// servingStage is the one stage of every serving object. It is not
// $default, so that REST and the v2 protocols are invoked alike
// (/bench/...).
const servingStage = "bench"

// webSocketSelection routes a WebSocket message by its "action" member.
const webSocketSelection = "$request.body.action"

// routeKey is the i-th route's key: `GET /r{i}` for HTTP and REST; for
// WEBSOCKET `$default` first, then custom keys r1, r2... chosen by the
// message's action.
func (s servingShape) routeKey(i int) string {
	if s.Protocol == v1alpha1.ProtocolWebSocket {
		if i == 0 {
			return "$default"
		}
		return fmt.Sprintf("r%d", i)
	}
	return fmt.Sprintf("GET /r%d", i)
}

// integrationOf names the integration route i sends to.
func (s servingShape) integrationOf(route int) string {
	return fmt.Sprintf("backend-%d", route%s.Integrations)
}

// spec is the serving part of one object: every integration forwards to
// backendURL/{integration name}, which answers with that name, so that an
// invoke shows which integration served it.
func (s servingShape) spec(backendURL string) (integrations []v1alpha1.Integration, routes []v1alpha1.Route, stages []v1alpha1.Stage) {
	for i := range s.Integrations {
		name := fmt.Sprintf("backend-%d", i)
		integrations = append(integrations, v1alpha1.Integration{
			Name: name,
			HTTP: &v1alpha1.HTTPIntegration{URL: backendURL + "/" + name, Method: v1alpha1.HTTPMethodAny},
		})
	}
	for i := range s.Routes {
		route := v1alpha1.Route{Key: s.routeKey(i), Integration: s.integrationOf(i)}
		if s.Protocol == v1alpha1.ProtocolWebSocket {
			// Two-way, so that the backend's answer comes back to the
			// client and the check can see which integration served.
			route.ReturnResponse = ptr.To(true)
		}
		routes = append(routes, route)
	}
	stage := v1alpha1.Stage{Name: servingStage}
	if s.Protocol != v1alpha1.ProtocolREST {
		// Without autoDeploy the operator deploys, with CreateDeployment:
		// its quota is what this benchmark is about. REST stages are
		// always deployed by the operator.
		stage.AutoDeploy = ptr.To(false)
	}
	return integrations, routes, []v1alpha1.Stage{stage}
}

// gateway is the i-th object of a serving mode.
func (s servingShape) gateway(mode, namespace, providerNamespace, backendURL string, i int) *v1alpha1.APIGateway {
	name := fmt.Sprintf("api-%04d", i)
	obj := &v1alpha1.APIGateway{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: map[string]string{modeLabel: mode}},
		Spec: v1alpha1.APIGatewaySpec{
			ProviderRef:  v1alpha1.ProviderReference{Name: providerName, Namespace: providerNamespace},
			Name:         mode + "-" + name,
			ProtocolType: s.Protocol,
			Tags:         map[string]string{"bench": mode},
		},
	}
	switch s.Protocol {
	case v1alpha1.ProtocolREST:
		obj.Spec.EndpointType = v1alpha1.EndpointRegional
	case v1alpha1.ProtocolWebSocket:
		obj.Spec.RouteSelectionExpression = webSocketSelection
	}
	obj.Spec.Integrations, obj.Spec.Routes, obj.Spec.Stages = s.spec(backendURL)
	return obj
}

// isServing reports whether an object serves its spec as the operator
// reports it: Ready, Deployed True for this generation, and every declared
// stage with a deployment.
func isServing(obj *v1alpha1.APIGateway) bool {
	if !obj.Status.Ready || obj.Status.APIID == "" {
		return false
	}
	deployed := false
	for _, cond := range obj.Status.Conditions {
		if cond.Type == v1alpha1.ConditionDeployed {
			deployed = cond.Status == metav1.ConditionTrue && cond.ObservedGeneration == obj.Generation
		}
	}
	if !deployed || len(obj.Status.Stages) != len(obj.Spec.Stages) {
		return false
	}
	for _, st := range obj.Status.Stages {
		if st.DeploymentID == "" {
			return false
		}
	}
	return true
}

// necessaryCallsPerAPI is the least number of management calls that makes
// one object's API serve, tags travelling in the create call and nothing
// read back (every create answers the id the next call needs):
//
//   - HTTP: CreateApi, I CreateIntegration, R CreateRoute, CreateDeployment,
//     CreateStage;
//   - WEBSOCKET: the same plus one CreateRouteResponse per two-way route
//     (every route here);
//   - REST: CreateRestApi (it answers the root resource's id), then per
//     route one CreateResource (each /r{i} is its own path), PutMethod and
//     PutIntegration, then CreateDeployment and CreateStage. REST has no
//     integration objects: I only varies the URLs.
func (s servingShape) necessaryCallsPerAPI() int {
	const createAPI, deployAndStage = 1, 2
	switch s.Protocol {
	case v1alpha1.ProtocolREST:
		return createAPI + 3*s.Routes + deployAndStage
	case v1alpha1.ProtocolWebSocket:
		return createAPI + s.Integrations + 2*s.Routes + deployAndStage
	default:
		return createAPI + s.Integrations + s.Routes + deployAndStage
	}
}

// necessaryCreateCalls adds, to n APIs' calls, the one list walk of the
// family the operator makes before its first create, to find APIs a
// previous run left behind (one page: the account is empty then).
func (s servingShape) necessaryCreateCalls(n int) int {
	return n*s.necessaryCallsPerAPI() + minimumListWalksAtStart
}

// quotaService is the service whose quotas the protocol's calls count
// against.
func (s servingShape) quotaService() string {
	if s.Protocol == v1alpha1.ProtocolREST {
		return awsquotas.ServiceAPIGateway
	}
	return awsquotas.ServiceAPIGatewayV2
}

// servingBounds are the quota bounds, in AWS seconds, on making n serving
// APIs of the shape; the quota-bound minimum is the largest.
type servingBounds struct {
	Deployments, CreateRestAPI, Total float64
}

func (b servingBounds) minimum() float64 {
	return math.Max(b.Deployments, math.Max(b.CreateRestAPI, b.Total))
}

// servingQuotaBounds computes each bound from AWS's quota table:
//
//   - CreateDeployment, one every 5 s with a burst of 1: n deployments take
//     (n − 1) × 5 s;
//   - CreateRestApi (REST), one every 3 s with a burst of 1: (n − 1) × 3 s;
//   - the account's 10 calls per second after a burst of 40: C necessary
//     calls take max(0, C − 40) / 10 s.
func servingQuotaBounds(s servingShape, n int) servingBounds {
	spacing := func(service, operation string) float64 {
		rule, ok := awsquotas.Lookup(awsquotas.Operation{Service: service, Name: operation})
		if !ok || n < 1 {
			return 0
		}
		return float64(n-rule.Burst) / rule.PerSecond
	}
	account := awsquotas.Account()
	b := servingBounds{
		Deployments: math.Max(0, spacing(s.quotaService(), "CreateDeployment")),
		Total:       math.Max(0, float64(s.necessaryCreateCalls(n)-account.Burst)/account.PerSecond),
	}
	if s.Protocol == v1alpha1.ProtocolREST {
		b.CreateRestAPI = math.Max(0, spacing(awsquotas.ServiceAPIGateway, "CreateRestApi"))
	}
	return b
}
