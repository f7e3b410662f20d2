package dataplane

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// planeFunc serves every request with f.
type planeFunc func(w http.ResponseWriter, r *http.Request, req *execute.Request)

func (f planeFunc) Serve(w http.ResponseWriter, r *http.Request, req *execute.Request) bool {
	f(w, r, req)
	return true
}

// exchanges collects what the observers are told.
type exchanges chan Exchange

func (e exchanges) observe(x Exchange) { e <- x }

// only waits for the one exchange of a test: observers run once the plane
// returns, which for a connection it took over is after the client is done.
func (e exchanges) only(t *testing.T) Exchange {
	t.Helper()
	select {
	case x := <-e:
		if len(e) != 0 {
			t.Fatalf("observed %d more exchanges, want 1", len(e))
		}
		return x
	case <-time.After(5 * time.Second):
		t.Fatal("no exchange observed")
		return Exchange{}
	}
}

// serveFrontDoor serves a front door of one plane over real HTTP.
func serveFrontDoor(t *testing.T, plane planeFunc) (*httptest.Server, exchanges) {
	t.Helper()
	seen := make(exchanges, 10)
	server := httptest.NewServer(New(Config{Planes: []execute.Plane{plane}, Observers: []Observer{seen.observe}}))
	t.Cleanup(server.Close)
	return server, seen
}

func TestObserversGetStatusBytesAndWhatThePlaneMatched(t *testing.T) {
	server, seen := serveFrontDoor(t, func(w http.ResponseWriter, _ *http.Request, req *execute.Request) {
		req.Served("prod", "GET /pets/{id}")
		req.RequestID = "req-1"
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "twelve bytes")
	})
	request, _ := http.NewRequest(http.MethodGet, server.URL+"/prod/pets/1", nil)
	request.Host = "abc.execute-api.localhost"
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, response.Body)
	response.Body.Close()
	x := seen.only(t)
	if x.Status != http.StatusCreated || x.Bytes != 12 || x.RequestID != "req-1" ||
		x.Invoke.APIID != "abc" || x.Invoke.MatchedStage != "prod" || x.Invoke.MatchedRoute != "GET /pets/{id}" {
		t.Errorf("observed %+v", x)
	}
}

func TestFlushReachesTheClientThroughTheRecorder(t *testing.T) {
	firstRead := make(chan struct{})
	server, seen := serveFrontDoor(t, func(w http.ResponseWriter, _ *http.Request, _ *execute.Request) {
		_, _ = io.WriteString(w, "first;")
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		// Unless the flush went out, the client never reads "first;".
		select {
		case <-firstRead:
		case <-time.After(5 * time.Second):
			t.Error("the client did not get the flushed bytes")
		}
		_, _ = io.WriteString(w, "second")
	})
	response, err := http.Get(server.URL + "/_aws/execute-api/abc/prod")
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	first := make([]byte, len("first;"))
	if _, err := io.ReadFull(response.Body, first); err != nil || string(first) != "first;" {
		t.Fatalf("read %q, %v", first, err)
	}
	close(firstRead)
	rest, _ := io.ReadAll(response.Body)
	if string(rest) != "second" {
		t.Errorf("then read %q", rest)
	}
	if x := seen.only(t); x.Status != http.StatusOK || x.Bytes != int64(len("first;second")) {
		t.Errorf("observed status %d, %d bytes", x.Status, x.Bytes)
	}
}

// TestPlanesCanTakeTheConnectionOver upgrades as a WebSocket server does:
// status 101 through the ResponseWriter, then Hijack through
// http.ResponseController, then bytes both ways on the raw connection.
func TestPlanesCanTakeTheConnectionOver(t *testing.T) {
	server, seen := serveFrontDoor(t, func(w http.ResponseWriter, _ *http.Request, _ *execute.Request) {
		if _, ok := w.(http.Hijacker); !ok {
			t.Error("the ResponseWriter is no http.Hijacker")
		}
		w.Header().Set("Upgrade", "echo")
		w.Header().Set("Connection", "Upgrade")
		w.WriteHeader(http.StatusSwitchingProtocols)
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		_ = rw.Flush()
		line, _ := rw.ReadString('\n')
		_, _ = rw.WriteString("echo " + line)
		_ = rw.Flush()
	})
	conn, err := net.Dial("tcp", strings.TrimPrefix(server.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = io.WriteString(conn, "GET /_aws/execute-api/ws1/prod HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
	reader := bufio.NewReader(conn)
	response, err := http.ReadResponse(reader, nil)
	if err != nil {
		t.Fatalf("reading the upgrade's answer: %v", err)
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade answered %s", response.Status)
	}
	_, _ = io.WriteString(conn, "hello\n")
	if echoed, _ := reader.ReadString('\n'); echoed != "echo hello\n" {
		t.Fatalf("read %q over the taken-over connection", echoed)
	}
	if x := seen.only(t); x.Status != http.StatusSwitchingProtocols || x.Invoke.APIID != "ws1" {
		t.Errorf("observed status %d for API %q", x.Status, x.Invoke.APIID)
	}
}

func TestAccessLogWritesOneLinePerRequest(t *testing.T) {
	var out bytes.Buffer
	log := AccessLog(&out)
	r := newRequest("api.example.test:4566", "/orders/42?token=secret")
	r.RemoteAddr = "192.0.2.7:51234"
	log(Exchange{
		Started: time.Date(2026, 1, 2, 15, 4, 5, 123e6, time.UTC), Latency: 1500 * time.Microsecond,
		Request: r, Status: 200, Bytes: 17, RequestID: "rid-1",
		Invoke: execute.Request{APIID: "a1", MatchedStage: "prod", MatchedRoute: "GET /{id}", CustomDomain: "api.example.test"},
	})
	log(Exchange{Request: newRequest("nosuch.execute-api.localhost", "/"), Status: 403, Invoke: execute.Request{APIID: "nosuch"}})
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := `2026-01-02T15:04:05.123Z request_id=rid-1 client_ip=192.0.2.7 host=api.example.test:4566 method=GET path=/orders/42 ` +
		`status=200 bytes=17 latency=1.5ms api_id=a1 stage=prod route="GET /{id}" custom_domain=api.example.test`
	if len(lines) != 2 || lines[0] != want {
		t.Fatalf("access log:\n%s\nwant first line:\n%s", out.String(), want)
	}
	if !strings.Contains(lines[1], " status=403 ") || !strings.Contains(lines[1], " stage=- route=- custom_domain=-") {
		t.Errorf("second line %q", lines[1])
	}
}
