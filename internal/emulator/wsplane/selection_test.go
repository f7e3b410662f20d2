package wsplane

import (
	"testing"
	"time"
)

func TestEvaluateSelection(t *testing.T) {
	for _, c := range []struct {
		expression, body, want string
		ok                     bool
	}{
		{"$request.body.action", `{"action":"echo"}`, "echo", true},
		{"$request.body.message.type", `{"message":{"type":"join"}}`, "join", true},
		{"$request.body.items.1", `{"items":["a","b"]}`, "b", true},
		{"$request.body.n", `{"n":7}`, "7", true},
		{"${request.body.service}/${request.body.action}", `{"service":"chat","action":"send"}`, "chat/send", true},
		{"${request.body.service}/${request.body.action}", `{"service":"chat"}`, "", false},
		{"$request.body.action", `{"other":1}`, "", false},
		{"$request.body.action", `{"action":null}`, "", false},
		{"$request.body.action", `not json`, "", false},
		{`\$default`, `anything`, "$default", true},
		{"", `{}`, "", false},
	} {
		got, ok := evaluateSelection(c.expression, []byte(c.body))
		if got != c.want || ok != c.ok {
			t.Errorf("evaluateSelection(%q, %s) = %q, %v; want %q, %v", c.expression, c.body, got, ok, c.want, c.ok)
		}
	}
}

func TestRouteFor(t *testing.T) {
	stage := Stage{RouteSelectionExpression: "$request.body.action", Routes: map[string]Route{
		"echo": {Key: "echo"}, "$default": {Key: "$default"}, "$connect": {Key: "$connect"},
	}}
	for body, want := range map[string]string{
		`{"action":"echo"}`: "echo", `{"action":"nope"}`: "$default", `plain`: "$default", `{"action":"$connect"}`: "$default",
	} {
		if route, ok := routeFor(stage, []byte(body)); !ok || route.Key != want {
			t.Errorf("routeFor(%s) = %q, %v; want %q", body, route.Key, ok, want)
		}
	}
	delete(stage.Routes, "$default")
	if route, ok := routeFor(stage, []byte(`{"action":"nope"}`)); ok {
		t.Errorf("without $default, routeFor chose %q", route.Key)
	}
}

func TestSelectIntegrationResponse(t *testing.T) {
	responses := []IntegrationResponse{{Key: "$default"}, {Key: `/4\d\d/`}, {Key: "/200/"}}
	for status, want := range map[int]string{200: "/200/", 404: `/4\d\d/`, 201: "$default", 500: "$default"} {
		if got, ok := selectIntegrationResponse(responses, status); !ok || got.Key != want {
			t.Errorf("status %d chose %q, want %q", status, got.Key, want)
		}
	}
	if _, ok := selectIntegrationResponse(responses[1:], 500); ok {
		t.Error("a status no key matches chose a response")
	}
}

func TestRender(t *testing.T) {
	at := time.UnixMilli(1705751700453)
	x := &exchange{
		conn: &connection{id: "R1kmxc2VNjMCFIA=", apiID: "abc", connectedAt: at, sourceIP: "10.0.0.1",
			authorizer: map[string]any{"principalId": "me", "tenant": "t1"}},
		stage:    Stage{Name: "prod", Variables: map[string]string{"env": "test"}},
		routeKey: "echo", eventType: eventMessage, requestID: "req", messageID: "msg", at: at,
	}
	template := `{"id":"$context.connectionId","route":"${context.routeKey}","who":"$context.authorizer.principalId",` +
		`"tenant":"$context.authorizer.tenant","env":"$stageVariables.env","ip":"$context.identity.sourceIp",` +
		`"all":$input.json('$'),"name":$input.json('$.user.name'),"raw":"$input.path('$.user.name')","body":$input.body}`
	got := x.render(template, []byte(`{"user":{"name":"ann"}}`))
	want := `{"id":"R1kmxc2VNjMCFIA=","route":"echo","who":"me","tenant":"t1","env":"test","ip":"10.0.0.1",` +
		`"all":{"user":{"name":"ann"}},"name":"ann","raw":"ann","body":{"user":{"name":"ann"}}}`
	if got != want {
		t.Fatalf("render =\n%s\nwant\n%s", got, want)
	}
}

func TestErrorFrameIsAWSsBytes(t *testing.T) {
	got := string(errorFrame("Forbidden", "XDmENcnwIE0CFEQ=", "XDmGEE2RoE0FRdQ="))
	if want := `{"message": "Forbidden", "connectionId":"XDmENcnwIE0CFEQ=", "requestId":"XDmGEE2RoE0FRdQ="}`; got != want {
		t.Fatalf("errorFrame = %s, want %s", got, want)
	}
}

func TestManagementTarget(t *testing.T) {
	for rest, want := range map[string]string{
		"/@connections/abc%3D": "abc=", "/%40connections/abc=": "abc=", "/@connections/": "", "/@connections/a/b": "", "/other/x": "",
	} {
		got, ok := managementTarget(rest)
		if got != want || ok != (want != "") {
			t.Errorf("managementTarget(%q) = %q, %v; want %q", rest, got, ok, want)
		}
	}
}

func TestLambdaOutcome(t *testing.T) {
	for payload, want := range map[string]struct {
		status int
		body   string
		failed bool
	}{
		`{"statusCode":403,"body":"no"}`:         {status: 403, body: "no"},
		`{"body":"aGk=","isBase64Encoded":true}`: {status: 200, body: "hi"},
		`"just text"`:                            {status: 200, body: "just text"},
		`null`:                                   {status: 200},
		`{"statusCode":"200"}`:                   {failed: true},
		`{"statusCode":200,"body":"!!","isBase64Encoded":true}`: {failed: true},
	} {
		got := lambdaOutcome([]byte(payload))
		if (got.failed != nil) != want.failed || (!want.failed && (got.status != want.status || string(got.body) != want.body)) {
			t.Errorf("lambdaOutcome(%s) = %d %q failed=%v; want %+v", payload, got.status, got.body, got.failed != nil, want)
		}
	}
}
