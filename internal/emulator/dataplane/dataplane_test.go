package dataplane

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

func TestResolveExecuteAPIHostsAndPathStyle(t *testing.T) {
	tests := []struct {
		host, target     string
		wantID, wantPath string
		wantOK           bool
	}{
		{"abc123.execute-api.localhost:4566", "/users?x=1", "abc123", "/users", true},
		{"ABC123.Execute-API.us-east-1.amazonaws.com", "/prod/a%2Fb", "abc123", "/prod/a%2Fb", true},
		{"abc123.execute-api.localhost", "/", "abc123", "/", true},
		{"127.0.0.1:4566", "/_aws/execute-api/abc123/prod/users", "abc123", "/prod/users", true},
		{"127.0.0.1:4566", "/_aws/execute-api/abc123", "abc123", "/", true},
		{"127.0.0.1:4566", "/_aws/execute-api/", "", "", false},
		{"127.0.0.1:4566", "/v2/apis", "", "", false},
		{"execute-api.localhost", "/", "", "", false},
		{"abc.other.localhost", "/", "", "", false},
	}
	front := New(Config{})
	for _, tt := range tests {
		req, ok := front.resolve(newRequest(tt.host, tt.target))
		if req.APIID != tt.wantID || req.Path != tt.wantPath || ok != tt.wantOK {
			t.Errorf("resolve(%s %s) = %q, %q, %v; want %q, %q, %v", tt.host, tt.target, req.APIID, req.Path, ok, tt.wantID, tt.wantPath, tt.wantOK)
		}
		if req.CustomDomain != "" || req.Stage != "" {
			t.Errorf("resolve(%s %s) names domain %q, stage %q", tt.host, tt.target, req.CustomDomain, req.Stage)
		}
	}
}

// planeOf serves the APIs it lists with 200 and their id and path as body.
type planeOf []string

func (p planeOf) Serve(w http.ResponseWriter, _ *http.Request, req *execute.Request) bool {
	for _, id := range p {
		if id == req.APIID {
			_, _ = w.Write([]byte(id + " " + req.Path))
			return true
		}
	}
	return false
}

func TestFrontDoorAsksEachPlaneAndForbidsUnknownAPIs(t *testing.T) {
	front := New(Config{Planes: []execute.Plane{planeOf{"rest1"}, planeOf{"http1"}}})
	for host, want := range map[string]string{
		"rest1.execute-api.localhost":     "rest1 /prod/x",
		"http1.execute-api.localhost":     "http1 /prod/x",
		"nosuchapi.execute-api.localhost": `{"message":"Forbidden"}`,
	} {
		w := httptest.NewRecorder()
		front.ServeHTTP(w, newRequest(host, "/prod/x"))
		if got := w.Body.String(); got != want {
			t.Errorf("%s: got %q, want %q", host, got, want)
		}
	}
}

func newRequest(host, target string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://placeholder"+target, nil)
	r.Host = host
	return r
}
