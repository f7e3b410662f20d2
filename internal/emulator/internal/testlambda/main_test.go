package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

// answer runs the handler on an event and returns its answer as JSON.
func answer(t *testing.T, event string) (string, error) {
	t.Helper()
	out, err := handle(context.Background(), json.RawMessage(event))
	if err != nil {
		return "", err
	}
	encoded, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(encoded), nil
}

const methodARN = "arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/pets"

func TestAuthorizerEvents(t *testing.T) {
	policy := func(effect string) string {
		return `{"principalId":"test-user","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":["execute-api:Invoke"],"Effect":"` +
			effect + `","Resource":["` + methodARN + `"]}]},"context":{"user":"test-user"}}`
	}
	for _, c := range []struct{ name, event, want string }{
		{"TOKEN allow", `{"type":"TOKEN","authorizationToken":"allow","methodArn":"` + methodARN + `"}`, policy("Allow")},
		{"TOKEN deny", `{"type":"TOKEN","authorizationToken":"deny","methodArn":"` + methodARN + `"}`, policy("Deny")},
		{"REQUEST allow", `{"type":"REQUEST","methodArn":"` + methodARN + `","headers":{"Authorization":"allow"}}`, policy("Allow")},
		{"REQUEST 1.0 deny", `{"version":"1.0","type":"REQUEST","methodArn":"` + methodARN + `","headers":{"authorization":"deny"}}`, policy("Deny")},
		{"2.0 allow", `{"version":"2.0","type":"REQUEST","routeArn":"` + methodARN + `","headers":{"authorization":"allow"}}`, `{"isAuthorized":true,"context":{"user":"test-user"}}`},
		{"2.0 identity source", `{"version":"2.0","type":"REQUEST","routeArn":"` + methodARN + `","identitySource":["allow"]}`, `{"isAuthorized":true,"context":{"user":"test-user"}}`},
		{"2.0 other", `{"version":"2.0","type":"REQUEST","routeArn":"` + methodARN + `","headers":{"authorization":"nope"}}`, `{"isAuthorized":false,"context":{"user":"test-user"}}`},
	} {
		got, err := answer(t, c.event)
		if err != nil || got != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.name, got, err, c.want)
		}
	}
	for _, event := range []string{
		`{"type":"TOKEN","authorizationToken":"someone","methodArn":"` + methodARN + `"}`,
		`{"type":"REQUEST","methodArn":"` + methodARN + `"}`,
	} {
		if _, err := answer(t, event); err == nil || err.Error() != "Unauthorized" {
			t.Errorf("%s: error %v, want Unauthorized", event, err)
		}
	}
}

type proxyResponse struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
}

func proxy(t *testing.T, event string) proxyResponse {
	t.Helper()
	got, err := answer(t, event)
	if err != nil {
		t.Fatal(err)
	}
	var r proxyResponse
	if err := json.Unmarshal([]byte(got), &r); err != nil {
		t.Fatal(err)
	}
	if r.Headers["content-type"] != "application/json" || r.Headers["x-handler"] != "testlambda" {
		t.Fatalf("headers %v", r.Headers)
	}
	return r
}

func TestProxyEventsAreEchoed(t *testing.T) {
	event := `{"version":"2.0","rawPath":"/pets","headers":{"host":"x"},"body":"hi"}`
	if r := proxy(t, event); r.StatusCode != http.StatusOK || r.Body != event {
		t.Fatalf("got %+v", r)
	}
	if r := proxy(t, `{"resource":"/","headers":{"X-Test-Status":"418"}}`); r.StatusCode != http.StatusTeapot {
		t.Fatalf("status from header: %+v", r)
	}
	if r := proxy(t, `{"rawPath":"/","queryStringParameters":{"x-test-status":"503"}}`); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status from query: %+v", r)
	}
	message := `{"action":"echo","data":1}`
	for _, event := range []string{
		`{"requestContext":{"routeKey":"echo"},"body":` + quote(message) + `}`,
		`{"requestContext":{"routeKey":"echo"},"body":"eyJhY3Rpb24iOiJlY2hvIiwiZGF0YSI6MX0=","isBase64Encoded":true}`,
	} {
		if r := proxy(t, event); r.Body != message {
			t.Fatalf("echo of %s: %+v", event, r)
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
