package serving_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	resttypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/coder/websocket"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
	"github.com/runner-codes/infra-operator/internal/emulator"
)

// The tests below drive each spec field through Reconcile against the
// emulator and read the result back with the SDK (and, where the emulator
// serves it, through the data plane).

const listener = "arn:aws:elasticloadbalancing:eu-west-1:000000000000:listener/app/orders/0123456789abcdef/0123456789abcdef"

// invoke calls the API's stage through the emulator's execute-api host and
// returns the status and body.
func (e *testEnv) invoke(t *testing.T, apiID, path string) (int, string) {
	t.Helper()
	request, err := http.NewRequestWithContext(ctx(t), http.MethodGet, e.settings.Endpoint+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	request.Host = apiID + ".execute-api.localhost"
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	return response.StatusCode, string(body)
}

func (e *testEnv) v2Route(t *testing.T, apiID, key string) types.Route {
	t.Helper()
	out, err := e.v2.GetRoutes(ctx(t), &apigatewayv2.GetRoutesInput{ApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.Items {
		if aws.ToString(r.RouteKey) == key {
			return r
		}
	}
	t.Fatalf("no route %q", key)
	return types.Route{}
}

func (e *testEnv) v2Integration(t *testing.T, apiID, name string) types.Integration {
	t.Helper()
	out, err := e.v2.GetIntegrations(ctx(t), &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range out.Items {
		if strings.HasPrefix(aws.ToString(i.Description), "infra-operator:integration="+name) {
			return i
		}
	}
	t.Fatalf("no integration %q", name)
	return types.Integration{}
}

// headerBackend answers 200 with the x-a and x-b headers it received.
func headerBackend(t *testing.T) *httptest.Server {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "x-a="+r.Header.Get("x-a")+" x-b="+r.Header.Get("x-b"))
	}))
	t.Cleanup(backend.Close)
	return backend
}

func TestHTTPAPISpecFields(t *testing.T) {
	t.Parallel()
	e := startEnv(t, emulator.Options{}, nil)
	api := e.createAPI(t, gateway.ProtocolHTTP)
	backend := headerBackend(t)
	desired := serving.Serving{
		Integrations: []serving.Integration{
			{Name: "backend", HTTP: &serving.HTTPIntegration{URL: backend.URL},
				RequestParameters: map[string]string{"overwrite:header.x-a": "a", "overwrite:header.x-b": "b"}},
			{Name: "private", VPCLink: &serving.VPCLinkIntegration{ConnectionID: "link1", ListenerARN: listener}},
		},
		Routes: []serving.Route{
			{Key: "GET /open", Integration: "backend"},
			{Key: "GET /signed", Integration: "private", IAMAuthorization: true},
		},
		Stages: []serving.Stage{{
			Name: "prod", Variables: map[string]string{"a": "1", "b": "2"},
			Defaults: serving.RouteSettings{DetailedMetrics: true, Throttling: &serving.Throttling{}},
		}},
	}
	e.reconcile(t, api, desired)
	e.requireSteady(t, api, desired, 5)

	t.Run("iamAuthorization is AWS_IAM", func(t *testing.T) {
		if got := e.v2Route(t, api.ID, "GET /signed").AuthorizationType; got != types.AuthorizationTypeAwsIam {
			t.Errorf("GET /signed authorizationType = %s", got)
		}
		desired.Routes[1].IAMAuthorization = false
		e.reconcile(t, api, desired)
		if got := e.v2Route(t, api.ID, "GET /signed").AuthorizationType; got != types.AuthorizationTypeNone {
			t.Errorf("after iamAuthorization off: %s", got)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("stage defaults and a throttling that is lifted", func(t *testing.T) {
		st := e.v2Stage(t, api.ID, "prod")
		if d := st.DefaultRouteSettings; d == nil || !aws.ToBool(d.DetailedMetricsEnabled) || aws.ToInt32(d.ThrottlingBurstLimit) != 0 {
			t.Fatalf("defaultRouteSettings = %+v", d)
		}
		if status, body := e.invoke(t, api.ID, "/prod/open"); status != http.StatusTooManyRequests {
			t.Errorf("a stage throttled to 0 answered %d %s", status, body)
		}
		desired.Stages[0].Defaults = serving.RouteSettings{}
		e.reconcile(t, api, desired)
		d := e.v2Stage(t, api.ID, "prod").DefaultRouteSettings
		if aws.ToBool(d.DetailedMetricsEnabled) || aws.ToFloat64(d.ThrottlingRateLimit) != 10000 || aws.ToInt32(d.ThrottlingBurstLimit) != 5000 {
			t.Errorf("defaults after removal = %+v, want metrics off and the account's limits", d)
		}
		if status, body := e.invoke(t, api.ID, "/prod/open"); status != http.StatusOK || body != "x-a=a x-b=b" {
			t.Errorf("after lifting the throttling: %d %q", status, body)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("a removed stage variable is gone", func(t *testing.T) {
		desired.Stages[0].Variables = map[string]string{"b": "2"}
		e.reconcile(t, api, desired)
		if got := e.v2Stage(t, api.ID, "prod").StageVariables; len(got) != 1 || got["b"] != "2" {
			t.Errorf("stage variables = %v", got)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("a removed request parameter is gone", func(t *testing.T) {
		desired.Integrations[0].RequestParameters = map[string]string{"overwrite:header.x-b": "b"}
		e.reconcile(t, api, desired)
		if got := e.v2Integration(t, api.ID, "backend").RequestParameters; len(got) != 1 || got["overwrite:header.x-b"] != "b" {
			t.Errorf("request parameters = %v", got)
		}
		if status, body := e.invoke(t, api.ID, "/prod/open"); status != http.StatusOK || body != "x-a= x-b=b" {
			t.Errorf("the backend received %d %q, want x-a no longer mapped", status, body)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("leaving a VPC link drops its connection", func(t *testing.T) {
		desired.Integrations[1] = serving.Integration{Name: "private", HTTP: &serving.HTTPIntegration{URL: backend.URL}}
		e.reconcile(t, api, desired)
		i := e.v2Integration(t, api.ID, "private")
		if i.ConnectionType != types.ConnectionTypeInternet || i.ConnectionId != nil {
			t.Errorf("connectionType %s, connectionId %q", i.ConnectionType, aws.ToString(i.ConnectionId))
		}
		e.requireSteady(t, api, desired, 5)
	})
}

// dialWebSocket connects to the stage of a WebSocket API through the
// emulator's execute-api host.
func (e *testEnv) dialWebSocket(t *testing.T, apiID, stage string) *websocket.Conn {
	t.Helper()
	url := strings.Replace(e.settings.Endpoint, "http://", "ws://", 1) + "/" + stage
	conn, response, err := websocket.Dial(ctx(t), url, &websocket.DialOptions{Host: apiID + ".execute-api.localhost"})
	if response != nil && response.Body != nil {
		response.Body.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	return conn
}

// ask sends a message and returns the answer, or "" when none came within
// wait.
func ask(t *testing.T, conn *websocket.Conn, message string, wait time.Duration) string {
	t.Helper()
	if err := conn.Write(ctx(t), websocket.MessageText, []byte(message)); err != nil {
		t.Fatal(err)
	}
	read, cancel := context.WithTimeout(ctx(t), wait)
	defer cancel()
	_, answer, err := conn.Read(read)
	if err != nil {
		return ""
	}
	return string(answer)
}

func TestWebSocketAPISpecFields(t *testing.T) {
	t.Parallel()
	e := startEnv(t, emulator.Options{}, nil)
	api := e.createAPI(t, gateway.ProtocolWebSocket)
	desired := serving.Serving{
		Integrations: []serving.Integration{
			{Name: "hello", Mock: &serving.MockIntegration{Body: `{"greeting":"hi"}`}},
			{Name: "open", Mock: &serving.MockIntegration{}},
		},
		Routes: []serving.Route{
			{Key: "$connect", Integration: "open", IAMAuthorization: true,
				RequestParameters: map[string]bool{"route.request.header.Auth": true, "route.request.querystring.room": false}},
			{Key: "hello", Integration: "hello", ReturnResponse: true},
		},
		Stages: []serving.Stage{{Name: "prod", Defaults: serving.RouteSettings{LoggingLevel: "INFO", DataTrace: true, DetailedMetrics: true}}},
	}
	// Five lists, the integration responses of the two MOCK integrations
	// and the route responses of the one two-way route.
	const steadyReads = 5 + 2 + 1
	e.reconcile(t, api, desired)
	e.requireSteady(t, api, desired, steadyReads)

	t.Run("$connect declares parameters and IAM authorization", func(t *testing.T) {
		connect := e.v2Route(t, api.ID, "$connect")
		if connect.AuthorizationType != types.AuthorizationTypeAwsIam || len(connect.RequestParameters) != 2 ||
			!aws.ToBool(connect.RequestParameters["route.request.header.Auth"].Required) || aws.ToBool(connect.RequestParameters["route.request.querystring.room"].Required) {
			t.Errorf("$connect = authorization %s, parameters %+v", connect.AuthorizationType, connect.RequestParameters)
		}
		desired.Routes[0].IAMAuthorization = false
		desired.Routes[0].RequestParameters = map[string]bool{"route.request.querystring.room": true}
		e.reconcile(t, api, desired)
		connect = e.v2Route(t, api.ID, "$connect")
		if connect.AuthorizationType != types.AuthorizationTypeNone || len(connect.RequestParameters) != 1 || !aws.ToBool(connect.RequestParameters["route.request.querystring.room"].Required) {
			t.Errorf("after the change: authorization %s, parameters %+v", connect.AuthorizationType, connect.RequestParameters)
		}
		e.requireSteady(t, api, desired, steadyReads)
	})

	t.Run("stage defaults carry execution logging", func(t *testing.T) {
		d := e.v2Stage(t, api.ID, "prod").DefaultRouteSettings
		if d.LoggingLevel != types.LoggingLevelInfo || !aws.ToBool(d.DataTraceEnabled) || !aws.ToBool(d.DetailedMetricsEnabled) {
			t.Errorf("defaultRouteSettings = %+v", d)
		}
		desired.Stages[0].Defaults = serving.RouteSettings{}
		e.reconcile(t, api, desired)
		d = e.v2Stage(t, api.ID, "prod").DefaultRouteSettings
		if d.LoggingLevel != types.LoggingLevelOff || aws.ToBool(d.DataTraceEnabled) || aws.ToBool(d.DetailedMetricsEnabled) {
			t.Errorf("defaultRouteSettings after removal = %+v", d)
		}
		e.requireSteady(t, api, desired, steadyReads)
	})

	t.Run("a two-way route answers with the mock's body", func(t *testing.T) {
		route := e.v2Route(t, api.ID, "hello")
		if aws.ToString(route.RouteResponseSelectionExpression) != "$default" {
			t.Errorf("routeResponseSelectionExpression = %q", aws.ToString(route.RouteResponseSelectionExpression))
		}
		conn := e.dialWebSocket(t, api.ID, "prod")
		if got := ask(t, conn, `{"action":"hello"}`, 5*time.Second); got != `{"greeting":"hi"}` {
			t.Errorf("hello answered %q", got)
		}
		desired.Integrations[0].Mock.Body = `{"greeting":"hello"}`
		e.reconcile(t, api, desired)
		if got := ask(t, conn, `{"action":"hello"}`, 5*time.Second); got != `{"greeting":"hello"}` {
			t.Errorf("after the body changed, hello answered %q", got)
		}
		e.requireSteady(t, api, desired, steadyReads)
	})

	t.Run("a one-way route answers nothing", func(t *testing.T) {
		desired.Routes[1].ReturnResponse = false
		e.reconcile(t, api, desired)
		route := e.v2Route(t, api.ID, "hello")
		responses, err := e.v2.GetRouteResponses(ctx(t), &apigatewayv2.GetRouteResponsesInput{ApiId: aws.String(api.ID), RouteId: route.RouteId})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(route.RouteResponseSelectionExpression) != "" || len(responses.Items) != 0 {
			t.Errorf("one-way route: expression %q, responses %+v", aws.ToString(route.RouteResponseSelectionExpression), responses.Items)
		}
		conn := e.dialWebSocket(t, api.ID, "prod")
		if got := ask(t, conn, `{"action":"hello"}`, 300*time.Millisecond); got != "" {
			t.Errorf("a one-way route answered %q", got)
		}
		e.requireSteady(t, api, desired, steadyReads-1)
	})
}

func (e *testEnv) restMethod(t *testing.T, apiID, path, verb string) resttypes.Method {
	t.Helper()
	m, ok := e.restTree(t, apiID)[path][verb]
	if !ok {
		t.Fatalf("no method %s %s", verb, path)
	}
	return m
}

func (e *testEnv) restValidators(t *testing.T, apiID string) []resttypes.RequestValidator {
	t.Helper()
	out, err := e.rest.GetRequestValidators(ctx(t), &apigateway.GetRequestValidatorsInput{RestApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Items
}

func TestRESTAPISpecFields(t *testing.T) {
	t.Parallel()
	e := startEnv(t, emulator.Options{}, nil)
	api := e.createAPI(t, gateway.ProtocolREST)
	desired := serving.Serving{
		Integrations: []serving.Integration{
			{Name: "created", Mock: &serving.MockIntegration{StatusCode: 201, Body: `{"created":true}`}},
		},
		Routes: []serving.Route{
			{Key: "GET /search", Integration: "created", IAMAuthorization: true,
				RequestParameters: map[string]bool{"method.request.querystring.q": true, "method.request.header.x-tenant": false}},
			{Key: "POST /items", Integration: "created"},
		},
		Stages: []serving.Stage{{
			Name: "prod", Tracing: true,
			Defaults: serving.RouteSettings{DetailedMetrics: true, LoggingLevel: "INFO", DataTrace: true},
		}},
	}
	e.reconcile(t, api, desired)
	e.requireSteady(t, api, desired, 5)

	t.Run("required parameters attach the params-only validator", func(t *testing.T) {
		search := e.restMethod(t, api.ID, "/search", "GET")
		validators := e.restValidators(t, api.ID)
		if len(validators) != 1 || aws.ToString(validators[0].Name) != "params-only" || !validators[0].ValidateRequestParameters || validators[0].ValidateRequestBody {
			t.Fatalf("validators = %+v", validators)
		}
		if aws.ToString(search.RequestValidatorId) != aws.ToString(validators[0].Id) ||
			!search.RequestParameters["method.request.querystring.q"] || search.RequestParameters["method.request.header.x-tenant"] {
			t.Errorf("GET /search validator %q, parameters %v", aws.ToString(search.RequestValidatorId), search.RequestParameters)
		}
		if items := e.restMethod(t, api.ID, "/items", "POST"); items.RequestValidatorId != nil {
			t.Errorf("POST /items, which requires nothing, has validator %q", aws.ToString(items.RequestValidatorId))
		}
		desired.Routes[0].RequestParameters = map[string]bool{"method.request.header.x-tenant": false}
		e.reconcile(t, api, desired)
		search = e.restMethod(t, api.ID, "/search", "GET")
		if search.RequestValidatorId != nil || len(search.RequestParameters) != 1 || len(e.restValidators(t, api.ID)) != 0 {
			t.Errorf("nothing required: validator %q, parameters %v, validators %d", aws.ToString(search.RequestValidatorId), search.RequestParameters, len(e.restValidators(t, api.ID)))
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("iamAuthorization is AWS_IAM", func(t *testing.T) {
		if got := aws.ToString(e.restMethod(t, api.ID, "/search", "GET").AuthorizationType); got != "AWS_IAM" {
			t.Errorf("GET /search authorizationType = %s", got)
		}
		if got := aws.ToString(e.restMethod(t, api.ID, "/items", "POST").AuthorizationType); got != "NONE" {
			t.Errorf("POST /items authorizationType = %s", got)
		}
	})

	t.Run("a mock answers its status with its body", func(t *testing.T) {
		checkMock := func(status, body string) {
			t.Helper()
			m := e.restMethod(t, api.ID, "/items", "POST")
			i := m.MethodIntegration
			if i == nil || i.RequestTemplates["application/json"] != `{"statusCode": `+status+`}` {
				t.Fatalf("integration = %+v", i)
			}
			response, ok := i.IntegrationResponses[status]
			if !ok || len(i.IntegrationResponses) != 1 || response.ResponseTemplates["application/json"] != body {
				t.Errorf("integration responses = %+v", i.IntegrationResponses)
			}
			if _, ok := m.MethodResponses[status]; !ok || len(m.MethodResponses) != 1 {
				t.Errorf("method responses = %+v", m.MethodResponses)
			}
		}
		checkMock("201", `{"created":true}`)
		desired.Integrations[0].Mock = &serving.MockIntegration{StatusCode: 202, Body: `{"accepted":true}`}
		e.reconcile(t, api, desired)
		checkMock("202", `{"accepted":true}`)
		desired.Integrations[0].Mock.Body = `{"queued":true}`
		e.reconcile(t, api, desired)
		checkMock("202", `{"queued":true}`)
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("stage defaults are the */* method settings; tracing", func(t *testing.T) {
		st := e.restStage(t, api.ID, "prod")
		all := st.MethodSettings["*/*"]
		if !st.TracingEnabled || !all.MetricsEnabled || aws.ToString(all.LoggingLevel) != "INFO" || !all.DataTraceEnabled {
			t.Errorf("tracing %v, */* = %+v", st.TracingEnabled, all)
		}
		desired.Stages[0].Tracing = false
		desired.Stages[0].Defaults = serving.RouteSettings{}
		e.reconcile(t, api, desired)
		st = e.restStage(t, api.ID, "prod")
		if _, ok := st.MethodSettings["*/*"]; st.TracingEnabled || ok {
			t.Errorf("after removal: tracing %v, settings %+v", st.TracingEnabled, st.MethodSettings)
		}
		e.requireSteady(t, api, desired, 5)
	})
}
