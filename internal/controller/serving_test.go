package controller_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apigatewayv2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/lambdaperm"
)

// The functions the suite's emulator knows, in the test account.
const (
	testFunction           = "orders"
	testAuthorizerFunction = "authorize"
)

func functionARN(name string) string {
	return "arn:aws:lambda:" + testRegion + ":" + testAccount + ":function:" + name
}

// newFunctionBackend is both suite functions: to an HTTP API's 2.0
// authorizer event it answers a simple response (authorized when the
// Authorization header is "allow"), to anything else a proxy answer naming
// the route it served.
func newFunctionBackend() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var event struct {
			Type     string            `json:"type"`
			RouteKey string            `json:"routeKey"`
			Headers  map[string]string `json:"headers"`
		}
		_ = json.NewDecoder(r.Body).Decode(&event)
		if event.Type == "REQUEST" {
			_ = json.NewEncoder(w).Encode(map[string]any{"isAuthorized": event.Headers["authorization"] == "allow"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": 200, "body": "served " + event.RouteKey})
	}))
}

// invoke calls the emulator's data plane for an API, as curl would with
// the API's host name, and returns the status and body.
func invoke(t *testing.T, apiID, method, path string, header map[string]string) (int, string) {
	t.Helper()
	return invokeHost(t, apiID+".execute-api.localhost", method, path, header)
}

// invokeHost calls the emulator's data plane with a Host header, as curl
// -H 'Host: ...' would (a custom domain name, an execute-api host).
func invokeHost(t *testing.T, host, method, path string, header map[string]string) (int, string) {
	t.Helper()
	request, err := http.NewRequest(method, emulatorURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	request.Host = host
	for k, v := range header {
		request.Header.Set(k, v)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response.StatusCode, string(body)
}

// waitServes waits until the API answers method path with the status and
// a body containing want.
func waitServes(t *testing.T, apiID, method, path string, header map[string]string, status int, want string) {
	t.Helper()
	eventually(t, 30*time.Second, func() error {
		if got, body := invoke(t, apiID, method, path, header); got != status || !strings.Contains(body, want) {
			return errorf("%s %s answered %d %s, want %d with %q", method, path, got, body, status, want)
		}
		return nil
	})
}

// sdkClients are raw SDK clients of the test account, to read and change
// AWS behind the operator's back.
type sdkClients struct {
	v2     *apigatewayv2.Client
	rest   *apigateway.Client
	lambda *lambda.Client
}

func rawClients(t *testing.T) sdkClients {
	t.Helper()
	cfg, err := awsSide.Config(context.Background(), "test/"+testRegion, testSettings(testRegion))
	if err != nil {
		t.Fatal(err)
	}
	return sdkClients{v2: apigatewayv2.NewFromConfig(cfg), rest: apigateway.NewFromConfig(cfg), lambda: lambda.NewFromConfig(cfg)}
}

// servingHTTPGateway is an HTTP API with a Lambda route, an HTTP route and
// a Lambda authorizer, served on $default.
func servingHTTPGateway(namespace, name, backendURL string) *v1alpha1.APIGateway {
	obj := newGateway(namespace, name, v1alpha1.ProtocolHTTP)
	obj.Spec.Integrations = []v1alpha1.Integration{
		{Name: "orders-fn", Lambda: &v1alpha1.LambdaIntegration{FunctionARN: functionARN(testFunction) + ":live"}},
		{Name: "catalog", HTTP: &v1alpha1.HTTPIntegration{URL: backendURL + "/{proxy}"}},
	}
	obj.Spec.Authorizers = []v1alpha1.Authorizer{{
		Name:           "custom",
		Lambda:         &v1alpha1.LambdaAuthorizer{FunctionARN: functionARN(testAuthorizerFunction), PayloadFormatVersion: v1alpha1.PayloadFormat2, SimpleResponses: ptr.To(true)},
		IdentitySource: []string{"$request.header.Authorization"},
	}}
	obj.Spec.Routes = []v1alpha1.Route{
		{Key: "GET /orders/{id}", Integration: "orders-fn", Authorizer: "custom"},
		{Key: "POST /orders", Integration: "orders-fn"},
		{Key: "ANY /catalog/{proxy+}", Integration: "catalog"},
	}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "$default"}}
	return obj
}

func waitDeployed(t *testing.T, key client.ObjectKey) *v1alpha1.APIGateway {
	t.Helper()
	var obj *v1alpha1.APIGateway
	eventually(t, 60*time.Second, func() error {
		obj = getGateway(t, key)
		if err := conditionIs(obj.Status.Conditions, obj.Generation, v1alpha1.ConditionDeployed, metav1.ConditionTrue, v1alpha1.ReasonDeploymentCreated); err != nil {
			return err
		}
		if !obj.Status.Ready || obj.Status.ObservedGeneration != obj.Generation {
			return errorf("not Ready at generation %d yet: %+v", obj.Generation, obj.Status.Conditions)
		}
		return nil
	})
	return obj
}

func v2RouteKeys(t *testing.T, c sdkClients, apiID string) []string {
	t.Helper()
	out, err := c.v2.GetRoutes(context.Background(), &apigatewayv2.GetRoutesInput{ApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	return sortedValues(out.Items, func(r apigatewayv2types.Route) *string { return r.RouteKey })
}

// policyStatements returns the statement ids and source ARNs of a function's
// policy that the object wrote (tests share the suite's functions).
func policyStatements(t *testing.T, c sdkClients, obj client.Object, function string, qualifier *string) map[string]string {
	t.Helper()
	out, err := c.lambda.GetPolicy(context.Background(), &lambda.GetPolicyInput{FunctionName: aws.String(function), Qualifier: qualifier})
	if err != nil {
		return map[string]string{}
	}
	var doc struct {
		Statement []struct {
			Sid       string
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.Policy)), &doc); err != nil {
		t.Fatal(err)
	}
	statements := map[string]string{}
	prefix := lambdaperm.StatementPrefix(string(obj.GetUID()))
	for _, s := range doc.Statement {
		if strings.HasPrefix(s.Sid, prefix) {
			statements[s.Sid] = s.Condition["ArnLike"]["AWS:SourceArn"]
		}
	}
	return statements
}

func TestHTTPAPIServesWhatItDeclares(t *testing.T) {
	t.Parallel()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "catalog "+r.URL.Path) }))
	t.Cleanup(backend.Close)
	obj := servingHTTPGateway("default", "serving-http", backend.URL)
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	deployed := waitDeployed(t, key)
	apiID := deployed.Status.APIID
	aws := rawClients(t)

	if got, want := v2RouteKeys(t, aws, apiID), []string{"ANY /catalog/{proxy+}", "GET /orders/{id}", "POST /orders"}; !slices.Equal(got, want) {
		t.Errorf("routes in AWS = %v, want %v", got, want)
	}
	if len(deployed.Status.Stages) != 1 || deployed.Status.Stages[0].Name != "$default" || deployed.Status.Stages[0].InvokeURL == "" ||
		deployed.Status.Stages[0].DeployedGeneration != deployed.Generation {
		t.Errorf("status.stages = %+v", deployed.Status.Stages)
	}
	if deployed.Status.RouteCount != 3 || deployed.Status.StageCount != 1 {
		t.Errorf("route and stage counts = %d, %d", deployed.Status.RouteCount, deployed.Status.StageCount)
	}
	if err := conditionIs(deployed.Status.Conditions, deployed.Generation, v1alpha1.ConditionPermissionsReady, metav1.ConditionTrue, v1alpha1.ReasonPermissionsGranted); err != nil {
		t.Error(err)
	}
	// One statement on orders:live covering both of its routes, one on the
	// authorizer's function for this API's authorizers.
	ordersPolicy := policyStatements(t, aws, deployed, functionARN(testFunction), ptr.To("live"))
	if len(ordersPolicy) != 1 {
		t.Fatalf("orders:live policy = %v, want one statement", ordersPolicy)
	}
	for sid, source := range ordersPolicy {
		if !strings.HasSuffix(sid, "integration-orders-fn") || source != "arn:aws:execute-api:"+testRegion+":"+testAccount+":"+apiID+"/*/*/orders*" {
			t.Errorf("orders statement %s from %s", sid, source)
		}
	}
	authorizerPolicy := policyStatements(t, aws, deployed, functionARN(testAuthorizerFunction), nil)
	if len(authorizerPolicy) != 1 {
		t.Fatalf("authorizer policy = %v, want one statement", authorizerPolicy)
	}
	for _, source := range authorizerPolicy {
		if source != "arn:aws:execute-api:"+testRegion+":"+testAccount+":"+apiID+"/authorizers/*" {
			t.Errorf("authorizer statement from %s", source)
		}
	}

	// The API serves: the Lambda route, the authorized one (and refuses
	// without the authorizer's consent), the HTTP route.
	waitServes(t, apiID, "POST", "/orders", nil, 200, "served POST /orders")
	waitServes(t, apiID, "GET", "/orders/7", map[string]string{"Authorization": "allow"}, 200, "served GET /orders/{id}")
	waitServes(t, apiID, "GET", "/orders/7", map[string]string{"Authorization": "deny"}, 403, "Forbidden")
	waitServes(t, apiID, "GET", "/catalog/shoes", nil, 200, "catalog /shoes")

	// A route removed from the spec is removed from AWS, and so is the
	// authorizer's statement once no authorizer is declared.
	updateSpec(t, key, func(o *v1alpha1.APIGateway) {
		o.Spec.Routes = o.Spec.Routes[1:]
		o.Spec.Authorizers = nil
	})
	waitDeployed(t, key)
	if got, want := v2RouteKeys(t, aws, apiID), []string{"ANY /catalog/{proxy+}", "POST /orders"}; !slices.Equal(got, want) {
		t.Errorf("routes after the removal = %v, want %v", got, want)
	}
	waitServes(t, apiID, "GET", "/orders/7", map[string]string{"Authorization": "allow"}, 404, "Not Found")
	eventually(t, 20*time.Second, func() error {
		if left := policyStatements(t, aws, deployed, functionARN(testAuthorizerFunction), nil); len(left) != 0 {
			return errorf("authorizer statements left: %v", left)
		}
		return nil
	})

	// Deleting the object removes its statements with the API.
	deleteAndWait(t, obj)
	if left := policyStatements(t, aws, deployed, functionARN(testFunction), ptr.To("live")); len(left) != 0 {
		t.Errorf("statements left after the delete: %v", left)
	}
}

func TestServingDriftIsHealed(t *testing.T) {
	t.Parallel()
	obj := servingHTTPGateway("default", "serving-drift", "http://127.0.0.1:9")
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	deployed := waitDeployed(t, key)
	apiID := deployed.Status.APIID
	c := rawClients(t)
	ctx := context.Background()

	// Someone deletes a route and the invoke permission by hand.
	routes, err := c.v2.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range routes.Items {
		if aws.ToString(r.RouteKey) == "POST /orders" {
			if _, err := c.v2.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: aws.String(apiID), RouteId: r.RouteId}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for sid := range policyStatements(t, c, deployed, functionARN(testFunction), ptr.To("live")) {
		if _, err := c.lambda.RemovePermission(ctx, &lambda.RemovePermissionInput{
			FunctionName: aws.String(functionARN(testFunction)), Qualifier: aws.String("live"), StatementId: aws.String(sid),
		}); err != nil {
			t.Fatal(err)
		}
	}

	eventually(t, 30*time.Second, func() error {
		if keys := v2RouteKeys(t, c, apiID); !slices.Contains(keys, "POST /orders") {
			return errorf("route not restored: %v", keys)
		}
		if p := policyStatements(t, c, deployed, functionARN(testFunction), ptr.To("live")); len(p) != 1 {
			return errorf("permission not restored: %v", p)
		}
		return nil
	})
	mustContain(t, waitEvent(t, deployed, v1alpha1.ReasonDriftDetected), "POST /orders")
	waitServes(t, apiID, "POST", "/orders", nil, 200, "served POST /orders")
}

func TestRESTStageGetsOneDeploymentPerChange(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", "serving-rest", v1alpha1.ProtocolREST)
	obj.Spec.Integrations = []v1alpha1.Integration{
		{Name: "pets-fn", Lambda: &v1alpha1.LambdaIntegration{FunctionARN: functionARN(testFunction)}},
		{Name: "mock", Mock: &v1alpha1.MockIntegration{}},
	}
	obj.Spec.Routes = []v1alpha1.Route{
		{Key: "GET /pets/{id}", Integration: "pets-fn"},
		{Key: "POST /pets", Integration: "pets-fn"},
		{Key: "GET /health", Integration: "mock"},
	}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "prod"}, {Name: "staging"}}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	first := waitDeployed(t, key)
	if len(first.Status.Stages) != 2 || first.Status.Stages[0].DeploymentID == "" || first.Status.Stages[0].DeploymentID != first.Status.Stages[1].DeploymentID {
		t.Fatalf("both stages should serve one deployment: %+v", first.Status.Stages)
	}
	mustContain(t, waitEvent(t, first, v1alpha1.ReasonDeploymentCreated), "prod, staging")

	updateSpec(t, key, func(o *v1alpha1.APIGateway) {
		o.Spec.Routes = append(o.Spec.Routes, v1alpha1.Route{Key: "DELETE /pets/{id}", Integration: "pets-fn"}, v1alpha1.Route{Key: "PUT /pets/{id}", Integration: "pets-fn"})
	})
	second := waitDeployed(t, key)
	if second.Status.Stages[0].DeploymentID == first.Status.Stages[0].DeploymentID || second.Status.Stages[0].DeploymentID != second.Status.Stages[1].DeploymentID {
		t.Fatalf("a change of two routes should move both stages to one new deployment: %+v then %+v", first.Status.Stages, second.Status.Stages)
	}
	deployments, err := rawClients(t).rest.GetDeployments(context.Background(), &apigateway.GetDeploymentsInput{RestApiId: aws.String(second.Status.APIID)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(deployments.Items); n != 2 {
		t.Errorf("%d deployments after two generations, want 2 (one per change)", n)
	}
}
