package httpplane

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

const testFunctionARN = "arn:aws:lambda:us-east-1:123456789012:function:handler"

// fakeFunctions stands in for Lambda: it records each invocation and
// answers with answer.
type fakeFunctions struct {
	mu     sync.Mutex
	calls  []fakeInvocation
	answer func(ctx context.Context, payload []byte) (execute.Invocation, error)
}

type fakeInvocation struct {
	functionARN, sourceARN string
	payload                []byte
}

func (f *fakeFunctions) InvokeAsAPIGateway(ctx context.Context, functionARN, sourceARN string, payload []byte) (execute.Invocation, error) {
	f.mu.Lock()
	f.calls = append(f.calls, fakeInvocation{functionARN, sourceARN, payload})
	f.mu.Unlock()
	return f.answer(ctx, payload)
}

func (f *fakeFunctions) lastCall(t *testing.T) fakeInvocation {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("the function was not invoked")
	}
	return f.calls[len(f.calls)-1]
}

func answering(payload string) *fakeFunctions {
	return &fakeFunctions{answer: func(context.Context, []byte) (execute.Invocation, error) {
		return execute.Invocation{Payload: []byte(payload)}, nil
	}}
}

func lambdaIntegration(payloadFormat string) *Integration {
	return &Integration{
		Type: "AWS_PROXY", PayloadFormatVersion: payloadFormat,
		URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + testFunctionARN + "/invocations",
	}
}

// lambdaAPI serves POST /users/{id} on stage prod and $default on stage
// $default, both through the function, in payloadFormat.
func lambdaAPI(payloadFormat string) fakeSource {
	return fakeSource{"api": {ID: "api", AccountID: "123456789012", Region: "us-east-1", ProtocolType: "HTTP", Stages: []Stage{
		{Name: "prod", Variables: map[string]string{"color": "blue"}, Routes: []Route{
			{RouteKey: "POST /users/{id}", Integration: lambdaIntegration(payloadFormat)},
		}},
		{Name: "$default", Routes: []Route{{RouteKey: "$default", Integration: lambdaIntegration(payloadFormat)}}},
	}}}
}

// newLambdaTestRequest is POST /prod/users/42 with repeated headers and
// query parameters, cookies and a JSON body.
func newLambdaTestRequest() *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://placeholder/prod/users/42?a=1&a=2&b=x", strings.NewReader(`{"n":1}`))
	r.Host = "api.execute-api.localhost:4566"
	r.Header.Set("Content-Type", "application/json")
	r.Header.Add("X-Multi", "first")
	r.Header.Add("X-Multi", "second")
	r.Header.Set("User-Agent", "test-agent")
	r.Header.Set("Cookie", "c1=v1; c2=v2")
	return r
}

func TestLambdaEventV2(t *testing.T) {
	functions := answering(`{"statusCode":201,"body":"created"}`)
	plane := New(Config{Source: lambdaAPI("2.0"), Functions: functions})
	before := time.Now()
	response := serveRequest(t, plane, newLambdaTestRequest(), &execute.Request{APIID: "api", Path: "/prod/users/42"})
	if response.StatusCode != http.StatusCreated || response.Body != "created" {
		t.Fatalf("got %d %q, want the function's 201 created", response.StatusCode, response.Body)
	}
	call := functions.lastCall(t)
	if call.functionARN != testFunctionARN {
		t.Errorf("function = %s, want %s", call.functionARN, testFunctionARN)
	}
	if want := "arn:aws:execute-api:us-east-1:123456789012:api/prod/POST/users/{id}"; call.sourceARN != want {
		t.Errorf("source ARN = %s, want %s", call.sourceARN, want)
	}
	// The handler's own view of the event, through aws-lambda-go's types.
	var event events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(call.payload, &event); err != nil {
		t.Fatal(err)
	}
	want := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST /users/{id}", RawPath: "/prod/users/42", RawQueryString: "a=1&a=2&b=x",
		Cookies: []string{"c1=v1", "c2=v2"},
		Headers: map[string]string{
			"content-type": "application/json", "x-multi": "first,second", "user-agent": "test-agent",
		},
		QueryStringParameters: map[string]string{"a": "1,2", "b": "x"},
		PathParameters:        map[string]string{"id": "42"},
		StageVariables:        map[string]string{"color": "blue"},
		Body:                  `{"n":1}`,
	}
	context := event.RequestContext
	event.RequestContext = events.APIGatewayV2HTTPRequestContext{}
	if !reflect.DeepEqual(event, want) {
		t.Errorf("event =\n%+v\nwant\n%+v", event, want)
	}
	wantHTTP := events.APIGatewayV2HTTPRequestContextHTTPDescription{
		Method: "POST", Path: "/prod/users/42", Protocol: "HTTP/1.1", SourceIP: "192.0.2.1", UserAgent: "test-agent",
	}
	if context.HTTP != wantHTTP {
		t.Errorf("requestContext.http = %+v, want %+v", context.HTTP, wantHTTP)
	}
	if context.AccountID != "123456789012" || context.APIID != "api" || context.Stage != "prod" || context.RouteKey != "POST /users/{id}" ||
		context.DomainName != "api.execute-api.localhost" || context.DomainPrefix != "api" || context.Authorizer != nil {
		t.Errorf("requestContext = %+v", context)
	}
	if context.RequestID != response.Header.Get("apigw-requestid") {
		t.Errorf("requestId = %q, want the apigw-requestid header %q", context.RequestID, response.Header.Get("apigw-requestid"))
	}
	if received := time.UnixMilli(context.TimeEpoch); received.Before(before.Truncate(time.Millisecond)) || received.After(time.Now()) {
		t.Errorf("timeEpoch = %d, not the time of the request", context.TimeEpoch)
	}
	if parsed, err := time.Parse(requestTimeLayout, context.Time); err != nil || parsed.Unix() != context.TimeEpoch/1000 {
		t.Errorf("time = %q (%v), want timeEpoch as dd/Mon/yyyy:hh:mm:ss +0000", context.Time, err)
	}
	assertJSONMember(t, call.payload, "isBase64Encoded", "false")
}

func TestLambdaEventV1(t *testing.T) {
	functions := answering(`{"statusCode":200,"body":"ok"}`)
	plane := New(Config{Source: lambdaAPI("1.0"), Functions: functions})
	r := newLambdaTestRequest()
	r.URL.Path, r.URL.RawPath = "/anything/else", ""
	response := serveRequest(t, plane, r, &execute.Request{APIID: "api", Path: "/anything/else"})
	if response.StatusCode != http.StatusOK || response.Body != "ok" {
		t.Fatalf("got %d %q, want the function's 200 ok", response.StatusCode, response.Body)
	}
	call := functions.lastCall(t)
	if want := "arn:aws:execute-api:us-east-1:123456789012:api/$default/$default"; call.sourceARN != want {
		t.Errorf("source ARN = %s, want %s", call.sourceARN, want)
	}
	var event events.APIGatewayProxyRequest
	if err := json.Unmarshal(call.payload, &event); err != nil {
		t.Fatal(err)
	}
	if event.Resource != "$default" || event.Path != "/anything/else" || event.HTTPMethod != "POST" || event.Body != `{"n":1}` {
		t.Errorf("resource, path, method, body = %q %q %q %q", event.Resource, event.Path, event.HTTPMethod, event.Body)
	}
	if event.Headers["x-multi"] != "second" || !reflect.DeepEqual(event.MultiValueHeaders["x-multi"], []string{"first", "second"}) {
		t.Errorf("headers = %v, multiValueHeaders = %v; want the last value and all values", event.Headers, event.MultiValueHeaders)
	}
	if event.QueryStringParameters["a"] != "2" || !reflect.DeepEqual(event.MultiValueQueryStringParameters["a"], []string{"1", "2"}) {
		t.Errorf("query = %v, multi-value query = %v", event.QueryStringParameters, event.MultiValueQueryStringParameters)
	}
	context := event.RequestContext
	if context.Stage != "$default" || context.ResourcePath != "$default" || context.Identity.SourceIP != "192.0.2.1" ||
		context.Identity.UserAgent != "test-agent" || context.RequestID != response.Header.Get("apigw-requestid") || context.AccountID != "123456789012" {
		t.Errorf("requestContext = %+v", context)
	}
	for member, want := range map[string]string{
		"version": `"1.0"`, "pathParameters": "null", "stageVariables": "null", "isBase64Encoded": "false",
	} {
		assertJSONMember(t, call.payload, member, want)
	}
	var raw struct {
		RequestContext struct {
			Authorizer json.RawMessage `json:"authorizer"`
			ResourceID json.RawMessage `json:"resourceId"`
		} `json:"requestContext"`
	}
	_ = json.Unmarshal(call.payload, &raw)
	if string(raw.RequestContext.Authorizer) != `{"claims":null,"scopes":null}` || string(raw.RequestContext.ResourceID) != "null" {
		t.Errorf("requestContext.authorizer = %s, resourceId = %s; want AWS's nulls", raw.RequestContext.Authorizer, raw.RequestContext.ResourceID)
	}
}

func assertJSONMember(t *testing.T, document []byte, member, want string) {
	t.Helper()
	var members map[string]json.RawMessage
	if err := json.Unmarshal(document, &members); err != nil {
		t.Fatal(err)
	}
	if got := string(members[member]); got != want {
		t.Errorf("%s = %s, want %s", member, got, want)
	}
}

func TestLambdaEventCarriesBinaryBodiesInBase64(t *testing.T) {
	functions := answering(`{"statusCode":200}`)
	plane := New(Config{Source: lambdaAPI("2.0"), Functions: functions})
	binary := []byte{0xff, 0x00, 0x10}
	response := servePlane(t, plane, "PUT", "api", "/upload", strings.NewReader(string(binary)), map[string]string{"Content-Type": "application/octet-stream"})
	if response.StatusCode != http.StatusOK {
		t.Fatalf("status = %d %s", response.StatusCode, response.Body)
	}
	var event events.APIGatewayV2HTTPRequest
	_ = json.Unmarshal(functions.lastCall(t).payload, &event)
	if !event.IsBase64Encoded || event.Body != base64.StdEncoding.EncodeToString(binary) {
		t.Errorf("body = %q, isBase64Encoded = %v; want the bytes in base64", event.Body, event.IsBase64Encoded)
	}
}

func TestLambdaResponses(t *testing.T) {
	tests := []struct {
		name, payloadFormat, answer string
		wantStatus                  int
		wantHeader                  http.Header
		wantBody                    string
	}{
		{"2.0 proxy response", "2.0",
			`{"statusCode":202,"headers":{"X-One":"1","X-Num":7},"cookies":["a=1; Path=/","b=2"],"body":"aGVsbG8=","isBase64Encoded":true}`,
			202, http.Header{"X-One": {"1"}, "X-Num": {"7"}, "Set-Cookie": {"a=1; Path=/", "b=2"}}, "hello"},
		{"2.0 inferred from an object", "2.0", `{"message":"hi"}`,
			200, http.Header{"Content-Type": {"application/json"}}, `{"message":"hi"}`},
		{"2.0 inferred from a string", "2.0", `"Hello from Lambda!"`,
			200, http.Header{"Content-Type": {"application/json"}}, "Hello from Lambda!"},
		{"1.0 headers and multi-value headers merged", "1.0",
			`{"statusCode":200,"headers":{"X-A":"1"},"multiValueHeaders":{"X-A":["1","2"],"X-B":["3"]},"body":"ok"}`,
			200, http.Header{"X-A": {"1", "2"}, "X-B": {"3"}}, "ok"},
		{"1.0 without statusCode", "1.0", `{"message":"hi"}`, 500, nil, `{"message":"Internal Server Error"}`},
		{"2.0 with an impossible status", "2.0", `{"statusCode":1000}`, 500, nil, `{"message":"Internal Server Error"}`},
		{"2.0 with a body that is not base64", "2.0", `{"statusCode":200,"body":"!!","isBase64Encoded":true}`, 500, nil, `{"message":"Internal Server Error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plane := New(Config{Source: lambdaAPI(tt.payloadFormat), Functions: answering(tt.answer)})
			response := servePlane(t, plane, "GET", "api", "/x", nil, nil)
			if response.StatusCode != tt.wantStatus || response.Body != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", response.StatusCode, response.Body, tt.wantStatus, tt.wantBody)
			}
			for name, values := range tt.wantHeader {
				if got := response.Header.Values(name); !reflect.DeepEqual(got, values) {
					t.Errorf("header %s = %q, want %q", name, got, values)
				}
			}
		})
	}
}

func TestLambdaFailures(t *testing.T) {
	failing := func(invocation execute.Invocation, err error) *fakeFunctions {
		return &fakeFunctions{answer: func(context.Context, []byte) (execute.Invocation, error) { return invocation, err }}
	}
	// slow answers only when the integration timeout ends the invocation.
	slow := &fakeFunctions{answer: func(ctx context.Context, _ []byte) (execute.Invocation, error) {
		<-ctx.Done()
		return execute.Invocation{}, ctx.Err()
	}}
	tests := []struct {
		name       string
		functions  execute.Functions
		wantStatus int
		wantBody   string
	}{
		{"not permitted", failing(execute.Invocation{}, execute.ErrNotPermitted), 500, `{"message":"Internal Server Error"}`},
		{"no such function", failing(execute.Invocation{}, execute.ErrNoSuchFunction), 500, `{"message":"Internal Server Error"}`},
		{"function error", failing(execute.Invocation{FunctionError: "Unhandled", Payload: []byte(`{"errorMessage":"boom"}`)}, nil), 500, `{"message":"Internal Server Error"}`},
		{"other failure", failing(execute.Invocation{}, errors.New("connection refused")), 500, `{"message":"Internal Server Error"}`},
		{"past the integration timeout", slow, 503, `{"message":"Service Unavailable"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			source := lambdaAPI("2.0")
			source["api"].Stages[1].Routes[0].Integration.TimeoutMillis = 50
			plane := New(Config{Source: source, Functions: tt.functions})
			assertGatewayError(t, servePlane(t, plane, "GET", "api", "/x", nil, nil), tt.wantStatus, tt.wantBody)
		})
	}
}
