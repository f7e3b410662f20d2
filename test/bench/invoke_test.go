package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// fakeDataPlane answers path-style invokes as a gateway whose routes send
// route i to backend-(i mod integrations), but for the API wrongAPI, whose
// every route answers backend-0.
func fakeDataPlane(t *testing.T, shape servingShape, wrongAPI string) *httptest.Server {
	t.Helper()
	answer := func(apiID string, route int) []byte {
		integration := shape.integrationOf(route)
		if apiID == wrongAPI {
			integration = "backend-0"
		}
		body, _ := json.Marshal(backendAnswer{Integration: integration})
		return body
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/_aws/execute-api/")
		apiID, path, _ := strings.Cut(rest, "/")
		if !ok || !strings.HasPrefix(path, servingStage) {
			http.Error(w, `{"message":"Forbidden"}`, http.StatusForbidden)
			return
		}
		if shape.Protocol != v1alpha1.ProtocolWebSocket {
			route, err := strconv.Atoi(strings.TrimPrefix(path, servingStage+"/r"))
			if err != nil || route >= shape.Routes {
				http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
				return
			}
			_, _ = w.Write(answer(apiID, route))
			return
		}
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer func() { _ = conn.CloseNow() }()
		for {
			_, message, err := conn.Read(r.Context())
			if err != nil {
				return
			}
			var body struct{ Action string }
			_ = json.Unmarshal(message, &body)
			route, err := strconv.Atoi(strings.TrimPrefix(body.Action, "r"))
			if err != nil || route >= shape.Routes {
				route = 0 // $default
			}
			if err := conn.Write(r.Context(), websocket.MessageText, answer(apiID, route)); err != nil {
				return
			}
		}
	}))
	t.Cleanup(server.Close)
	return server
}

func TestInvokeAllFindsTheWrongIntegration(t *testing.T) {
	for _, protocol := range []v1alpha1.ProtocolType{v1alpha1.ProtocolHTTP, v1alpha1.ProtocolWebSocket, v1alpha1.ProtocolREST} {
		t.Run(string(protocol), func(t *testing.T) {
			shape := servingShape{Protocol: protocol, Routes: 4, Integrations: 2}
			server := fakeDataPlane(t, shape, "wrong")
			var objects []v1alpha1.APIGateway
			for i, id := range []string{"good1", "wrong", "good2"} {
				obj := v1alpha1.APIGateway{}
				obj.Name, obj.Status.APIID = fmt.Sprintf("api-%d", i), id
				objects = append(objects, obj)
			}
			got := invokeAll(context.Background(), server.URL, shape, objects)
			// The wrong API answers backend-0 for every route: right for
			// routes 0 and 2, wrong for 1 and 3.
			if got.Invoked != 12 || got.Served != 10 || len(got.Failures) != 2 {
				t.Fatalf("invokeAll = %+v; want 12 invoked, 10 served, 2 failures", got)
			}
			for _, failure := range got.Failures {
				if !strings.HasPrefix(failure, "api-1 ") || !strings.Contains(failure, `want "backend-1"`) {
					t.Errorf("failure %q does not name api-1's route to backend-1", failure)
				}
			}
		})
	}
}

func TestInvokeAllCountsAnUnreachableGateway(t *testing.T) {
	server := httptest.NewServer(http.NotFoundHandler())
	server.Close() // nothing listens any more
	obj := v1alpha1.APIGateway{}
	obj.Name, obj.Status.APIID = "api-0", "abc"
	for _, protocol := range []v1alpha1.ProtocolType{v1alpha1.ProtocolHTTP, v1alpha1.ProtocolWebSocket} {
		got := invokeAll(context.Background(), server.URL, servingShape{Protocol: protocol, Routes: 3, Integrations: 1}, []v1alpha1.APIGateway{obj})
		if got.Invoked != 3 || got.Served != 0 || len(got.Failures) != 3 {
			t.Errorf("%s: invokeAll = %+v; want 3 invoked, none served", protocol, got)
		}
	}
}
