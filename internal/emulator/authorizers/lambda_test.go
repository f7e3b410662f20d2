package authorizers

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

const (
	authorizerFunction = "arn:aws:lambda:us-east-1:123456789012:function:auth"
	authorizerSource   = "arn:aws:execute-api:us-east-1:123456789012:api1/authorizers/auth1"
	getPets            = "arn:aws:execute-api:us-east-1:123456789012:api1/prod/GET/pets"
	postPets           = "arn:aws:execute-api:us-east-1:123456789012:api1/prod/POST/pets"
)

// fakeFunctions answers every invocation with answer and records the calls.
type fakeFunctions struct {
	mu     sync.Mutex
	calls  []fakeCall
	answer func(payload []byte) (execute.Invocation, error)
}

type fakeCall struct{ functionARN, sourceARN, payload string }

func (f *fakeFunctions) InvokeAsAPIGateway(_ context.Context, functionARN, sourceARN string, payload []byte) (execute.Invocation, error) {
	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{functionARN, sourceARN, string(payload)})
	f.mu.Unlock()
	return f.answer(payload)
}

func (f *fakeFunctions) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// answering is a function that returns document as its result.
func answering(document any) *fakeFunctions {
	payload, err := json.Marshal(document)
	if err != nil {
		panic(err)
	}
	return &fakeFunctions{answer: func([]byte) (execute.Invocation, error) {
		return execute.Invocation{Payload: payload}, nil
	}}
}

// failingWith is a function that fails with the error message.
func failingWith(message string) *fakeFunctions {
	payload, _ := json.Marshal(map[string]string{"errorMessage": message, "errorType": "errorString"})
	return &fakeFunctions{answer: func([]byte) (execute.Invocation, error) {
		return execute.Invocation{Payload: payload, FunctionError: "Unhandled"}, nil
	}}
}

func policyAnswer(statements ...map[string]any) map[string]any {
	return map[string]any{
		"principalId":    "user-1",
		"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": statements},
		"context":        map[string]any{"tenant": "acme", "tier": 2, "beta": true},
	}
}

func statementOf(effect string, resource any) map[string]any {
	return map[string]any{"Effect": effect, "Action": "execute-api:Invoke", "Resource": resource}
}

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func tokenSpec() Spec {
	return Spec{ID: "auth1", APIID: "api1", API: APIREST, Kind: KindToken, FunctionARN: authorizerFunction,
		SourceARN: authorizerSource, IdentitySource: []string{"method.request.header.Authorization"}}
}

func tokenRequest(token, methodARN string) Request {
	return Request{Identity: []string{token}, MethodARN: methodARN, Stage: "prod", Event: []byte(`{"type":"TOKEN"}`)}
}

func wantRefusal(t *testing.T, decision Decision, status int, body, responseType string) {
	t.Helper()
	if decision.Status != status || string(decision.Body()) != body || decision.ResponseType != responseType {
		t.Fatalf("decision = %d %s %s, want %d %s %s", decision.Status, decision.Body(), decision.ResponseType, status, body, responseType)
	}
}

func TestLambdaAllowPolicyPassesPrincipalAndContext(t *testing.T) {
	t.Parallel()
	functions := answering(policyAnswer(statementOf("Allow", getPets)))
	a := New(Config{Functions: functions})

	decision := a.Authorize(context.Background(), tokenSpec(), tokenRequest("allow-me", getPets))
	if !decision.Allowed() || decision.PrincipalID != "user-1" || decision.Context["tenant"] != "acme" || decision.Context["beta"] != true {
		t.Fatalf("decision = %+v", decision)
	}
	call := functions.calls[0]
	if call.functionARN != authorizerFunction || call.sourceARN != authorizerSource || call.payload != `{"type":"TOKEN"}` {
		t.Fatalf("call = %+v", call)
	}
}

func TestLambdaPolicyEvaluation(t *testing.T) {
	t.Parallel()
	implicit := `{"Message":"User is not authorized to access this resource"}`
	explicit := `{"Message":"User is not authorized to access this resource with an explicit deny in an identity-based policy"}`
	tests := []struct {
		name       string
		statements []map[string]any
		wantBody   string // "" = allowed
	}{
		{"exact allow", []map[string]any{statementOf("Allow", getPets)}, ""},
		{"no statement matches", []map[string]any{statementOf("Allow", postPets)}, implicit},
		{"explicit deny", []map[string]any{statementOf("Deny", getPets)}, explicit},
		{"deny wins over allow", []map[string]any{statementOf("Allow", "*"), statementOf("Deny", getPets)}, explicit},
		{"star across segments", []map[string]any{statementOf("Allow", "arn:aws:execute-api:us-east-1:123456789012:api1/*")}, ""},
		{"star for any method", []map[string]any{statementOf("Allow", "arn:aws:execute-api:us-east-1:123456789012:api1/prod/*/pets")}, ""},
		{"question mark", []map[string]any{statementOf("Allow", "arn:aws:execute-api:us-east-1:123456789012:api1/pro?/GET/pet?")}, ""},
		{"question mark is one character", []map[string]any{statementOf("Allow", "arn:aws:execute-api:us-east-1:123456789012:api1/prod/GET/pet?s")}, implicit},
		{"resource list", []map[string]any{statementOf("Allow", []string{postPets, getPets})}, ""},
		{"other action", []map[string]any{{"Effect": "Allow", "Action": "execute-api:ManageConnections", "Resource": "*"}}, implicit},
		{"action wildcard, any case", []map[string]any{{"Effect": "Allow", "Action": "Execute-API:*", "Resource": "*"}}, ""},
		{"conditional allow does not apply", []map[string]any{{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*", "Condition": map[string]any{"IpAddress": map[string]any{"aws:SourceIp": "10.0.0.0/8"}}}}, implicit},
		{"single statement object", nil, ""},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			answer := policyAnswer(test.statements...)
			if test.statements == nil {
				answer["policyDocument"] = map[string]any{"Version": "2012-10-17", "Statement": statementOf("Allow", getPets)}
			}
			decision := New(Config{Functions: answering(answer)}).Authorize(context.Background(), tokenSpec(), tokenRequest("t", getPets))
			if test.wantBody == "" {
				if !decision.Allowed() {
					t.Fatalf("decision = %d %s, want allowed", decision.Status, decision.Body())
				}
				return
			}
			wantRefusal(t, decision, http.StatusForbidden, test.wantBody, ResponseAccessDenied)
			if got := decision.Header.Get("x-amzn-ErrorType"); got != "AccessDeniedException" {
				t.Fatalf("x-amzn-ErrorType = %q", got)
			}
		})
	}
}

func TestLambdaRefusalsBeforeAndAfterTheCall(t *testing.T) {
	t.Parallel()
	unauthorizedBody := `{"message":"Unauthorized"}`
	nullBody := `{"message":null}`
	tests := []struct {
		name         string
		spec         func(Spec) Spec
		request      Request
		functions    *fakeFunctions
		wantCalls    int
		wantStatus   int
		wantBody     string
		responseType string
	}{
		{"TOKEN without a token", nil, tokenRequest("", getPets), answering(policyAnswer()), 0, 401, unauthorizedBody, ResponseUnauthorized},
		{"TOKEN failing its validation expression", func(s Spec) Spec { s.IdentityValidationExpression = `Bearer [a-z]+`; return s },
			tokenRequest("Bearer abc123", getPets), answering(policyAnswer()), 0, 401, unauthorizedBody, ResponseUnauthorized},
		{"REQUEST missing one identity source", func(s Spec) Spec {
			s.Kind, s.IdentitySource = KindRequest, []string{"method.request.header.Authorization", "method.request.querystring.id"}
			return s
		}, Request{Identity: []string{"abc", ""}, MethodARN: getPets}, answering(policyAnswer()), 0, 401, unauthorizedBody, ResponseUnauthorized},
		{"the function fails with Unauthorized", nil, tokenRequest("t", getPets), failingWith("Unauthorized"), 1, 401, unauthorizedBody, ResponseUnauthorized},
		{"the function fails otherwise", nil, tokenRequest("t", getPets), failingWith("boom"), 1, 500, nullBody, ResponseAuthorizerFailure},
		{"the function does not exist", nil, tokenRequest("t", getPets), &fakeFunctions{answer: func([]byte) (execute.Invocation, error) {
			return execute.Invocation{}, execute.ErrNoSuchFunction
		}}, 1, 500, nullBody, ResponseAuthorizerConfigurationError},
		{"the function's policy refuses API Gateway", nil, tokenRequest("t", getPets), &fakeFunctions{answer: func([]byte) (execute.Invocation, error) {
			return execute.Invocation{}, execute.ErrNotPermitted
		}}, 1, 500, nullBody, ResponseAuthorizerConfigurationError},
		{"an answer without a policy", nil, tokenRequest("t", getPets), answering(map[string]any{"principalId": "u"}), 1, 500, nullBody, ResponseAuthorizerConfigurationError},
		{"a policy with an unknown effect", nil, tokenRequest("t", getPets), answering(policyAnswer(statementOf("Permit", "*"))), 1, 500, nullBody, ResponseAuthorizerConfigurationError},
		{"a REST context with an object value", nil, tokenRequest("t", getPets), answering(map[string]any{
			"principalId": "u", "policyDocument": map[string]any{"Statement": []any{statementOf("Allow", "*")}},
			"context": map[string]any{"nested": map[string]any{"a": 1}},
		}), 1, 500, nullBody, ResponseAuthorizerConfigurationError},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			spec := tokenSpec()
			if test.spec != nil {
				spec = test.spec(spec)
			}
			decision := New(Config{Functions: test.functions}).Authorize(context.Background(), spec, test.request)
			wantRefusal(t, decision, test.wantStatus, test.wantBody, test.responseType)
			if got := test.functions.callCount(); got != test.wantCalls {
				t.Fatalf("function called %d times, want %d", got, test.wantCalls)
			}
		})
	}
}

func TestLambdaTokenMatchingItsValidationExpressionCallsTheFunction(t *testing.T) {
	t.Parallel()
	functions := answering(policyAnswer(statementOf("Allow", "*")))
	spec := tokenSpec()
	spec.IdentityValidationExpression = `Bearer [a-z0-9]+`
	if decision := New(Config{Functions: functions}).Authorize(context.Background(), spec, tokenRequest("Bearer abc123", getPets)); !decision.Allowed() {
		t.Fatalf("decision = %d %s", decision.Status, decision.Body())
	}
}

func TestLambdaRequestAuthorizerWithoutIdentitySourcesIsAlwaysCalled(t *testing.T) {
	t.Parallel()
	functions := answering(policyAnswer(statementOf("Allow", "*")))
	spec := tokenSpec()
	spec.Kind, spec.IdentitySource, spec.ResultTTL = KindRequest, nil, time.Minute
	a := New(Config{Functions: functions})
	for range 3 {
		if decision := a.Authorize(context.Background(), spec, Request{MethodARN: getPets}); !decision.Allowed() {
			t.Fatalf("decision = %d %s", decision.Status, decision.Body())
		}
	}
	if got := functions.callCount(); got != 3 {
		t.Fatalf("function called %d times, want 3 (no identity sources, no caching)", got)
	}
}

func TestHTTPLambdaAuthorizerAnswers(t *testing.T) {
	t.Parallel()
	httpSpec := func(format string, simple bool) Spec {
		return Spec{ID: "auth1", APIID: "api1", API: APIHTTP, Kind: KindRequest, FunctionARN: authorizerFunction,
			SourceARN: authorizerSource, PayloadFormatVersion: format, SimpleResponses: simple,
			IdentitySource: []string{"$request.header.Authorization"}}
	}
	request := Request{Identity: []string{"abc"}, MethodARN: getPets}
	forbidden := `{"message":"Forbidden"}`
	internal := `{"message":"Internal Server Error"}`
	tests := []struct {
		name       string
		spec       Spec
		functions  *fakeFunctions
		wantStatus int
		wantBody   string
	}{
		{"simple, authorized", httpSpec("2.0", true), answering(map[string]any{"isAuthorized": true, "context": map[string]any{"user": map[string]any{"id": 7}}}), 0, ""},
		{"simple, not authorized", httpSpec("2.0", true), answering(map[string]any{"isAuthorized": false}), 403, forbidden},
		{"simple, no isAuthorized", httpSpec("2.0", true), answering(map[string]any{"context": map[string]any{}}), 500, internal},
		{"2.0 policy, denied", httpSpec("2.0", false), answering(policyAnswer(statementOf("Deny", getPets))), 403, forbidden},
		{"1.0 policy, allowed", httpSpec("1.0", true), answering(policyAnswer(statementOf("Allow", getPets))), 0, ""},
		{"1.0 policy, no match", httpSpec("1.0", false), answering(policyAnswer(statementOf("Allow", postPets))), 403, forbidden},
		{"Unauthorized error", httpSpec("2.0", true), failingWith("Unauthorized"), 500, internal},
		{"missing identity source", httpSpec("2.0", true), answering(map[string]any{"isAuthorized": true}), 401, `{"message":"Unauthorized"}`},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			req := request
			if test.name == "missing identity source" {
				req.Identity = []string{""}
			}
			decision := New(Config{Functions: test.functions}).Authorize(context.Background(), test.spec, req)
			if decision.Status != test.wantStatus || (test.wantBody != "" && string(decision.Body()) != test.wantBody) {
				t.Fatalf("decision = %d %s, want %d %s", decision.Status, decision.Body(), test.wantStatus, test.wantBody)
			}
			if decision.Header.Get("x-amzn-ErrorType") != "" {
				t.Fatalf("HTTP API refusal carries x-amzn-ErrorType: %v", decision.Header)
			}
		})
	}
}

func TestLambdaResultsAreCachedForTheirTTL(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	functions := answering(policyAnswer(statementOf("Allow", getPets)))
	a := New(Config{Functions: functions, Now: clock.Now})
	spec := tokenSpec()
	spec.ResultTTL = 300 * time.Second
	authorize := func(token, stage string) Decision {
		req := tokenRequest(token, getPets)
		req.Stage = stage
		return a.Authorize(context.Background(), spec, req)
	}

	if first := authorize("alice", "prod"); !first.Allowed() || first.Cached {
		t.Fatalf("first = %+v", first)
	}
	clock.advance(299 * time.Second)
	if second := authorize("alice", "prod"); !second.Allowed() || !second.Cached || second.PrincipalID != "user-1" {
		t.Fatalf("second = %+v, want allowed from the cache", second)
	}
	if got := functions.callCount(); got != 1 {
		t.Fatalf("function called %d times within the TTL, want 1", got)
	}

	authorize("bob", "prod")
	authorize("alice", "beta")
	if got := functions.callCount(); got != 3 {
		t.Fatalf("function called %d times, want 3 (another token, another stage)", got)
	}

	clock.advance(time.Second)
	if third := authorize("alice", "prod"); third.Cached {
		t.Fatal("the answer outlived its TTL")
	}
	if got := functions.callCount(); got != 4 {
		t.Fatalf("function called %d times after the TTL, want 4", got)
	}

	a.FlushStage("api1", "prod")
	authorize("alice", "prod")
	if got := functions.callCount(); got != 5 {
		t.Fatalf("function called %d times after FlushStage, want 5", got)
	}
}

func TestLambdaWithoutTTLIsCalledEveryTime(t *testing.T) {
	t.Parallel()
	functions := answering(policyAnswer(statementOf("Allow", getPets)))
	a := New(Config{Functions: functions})
	for range 3 {
		a.Authorize(context.Background(), tokenSpec(), tokenRequest("alice", getPets))
	}
	if got := functions.callCount(); got != 3 {
		t.Fatalf("function called %d times, want 3", got)
	}
}

func TestCachedPolicyIsEvaluatedAgainForEachMethodARN(t *testing.T) {
	t.Parallel()
	functions := answering(policyAnswer(statementOf("Allow", getPets)))
	a := New(Config{Functions: functions})
	spec := tokenSpec()
	spec.ResultTTL = time.Hour

	if first := a.Authorize(context.Background(), spec, tokenRequest("alice", getPets)); !first.Allowed() {
		t.Fatalf("GET /pets refused: %d %s", first.Status, first.Body())
	}
	second := a.Authorize(context.Background(), spec, tokenRequest("alice", postPets))
	wantRefusal(t, second, http.StatusForbidden, `{"Message":"User is not authorized to access this resource"}`, ResponseAccessDenied)
	if !second.Cached || functions.callCount() != 1 {
		t.Fatalf("POST /pets: cached=%v calls=%d, want the cached policy applied without a call", second.Cached, functions.callCount())
	}
}
