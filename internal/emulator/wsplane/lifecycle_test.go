package wsplane_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/coder/websocket"

	"github.com/runner-codes/infra-operator/internal/emulator/auth"
	"github.com/runner-codes/infra-operator/internal/emulator/dataplane"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
	"github.com/runner-codes/infra-operator/internal/emulator/wsplane"
)

// These tests serve the plane alone, behind the front door, with a Go
// stand-in for Lambda that records the events it gets, so that the
// $disconnect events (which reach no client) can be read.

type oneAPI struct{ api wsplane.API }

func (s oneAPI) WebSocketAPI(apiID string) (wsplane.API, bool) { return s.api, apiID == s.api.ID }

// recordingFunctions answers every invocation with status 200 and keeps
// the events.
type recordingFunctions struct {
	events chan events.APIGatewayWebsocketProxyRequest
}

func (f *recordingFunctions) InvokeAsAPIGateway(_ context.Context, _, _ string, payload []byte) (execute.Invocation, error) {
	var event events.APIGatewayWebsocketProxyRequest
	if err := json.Unmarshal(payload, &event); err != nil {
		return execute.Invocation{}, err
	}
	f.events <- event
	return execute.Invocation{Payload: []byte(`{"statusCode":200}`)}, nil
}

// next returns the next event of a route, skipping others.
func (f *recordingFunctions) next(t *testing.T, routeKey string) events.APIGatewayWebsocketProxyRequest {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case event := <-f.events:
			if event.RequestContext.RouteKey == routeKey {
				return event
			}
		case <-timeout:
			t.Fatalf("no %s event", routeKey)
		}
	}
}

const (
	testAPIID  = "wsapi12345"
	accessKey  = "AKIDPLANE"
	secretKey  = "plane-secret"
	functionID = "arn:aws:lambda:us-east-1:000000000000:function:f"
)

// servePlane serves an API whose $connect and $disconnect run the
// recording function, with SigV4 enforced for accessKey.
func servePlane(t *testing.T, idle time.Duration) (string, *recordingFunctions) {
	t.Helper()
	functions := &recordingFunctions{events: make(chan events.APIGatewayWebsocketProxyRequest, 16)}
	lambda := &wsplane.Integration{Type: "AWS_PROXY", URI: functionID}
	api := wsplane.API{ID: testAPIID, Account: account, Region: "us-east-1", Stages: []wsplane.Stage{{
		Name: "live", RouteSelectionExpression: "$request.body.action",
		Routes: map[string]wsplane.Route{
			"$connect":    {Key: "$connect", Integration: lambda},
			"$disconnect": {Key: "$disconnect", Integration: lambda},
		},
	}}}
	plane := wsplane.New(wsplane.Config{
		Source: oneAPI{api}, Functions: functions, IdleTimeout: idle,
		Authenticator: auth.New([]auth.Credential{{AccessKeyID: accessKey, SecretAccessKey: secretKey, Account: account}}, account,
			func(string) (auth.Key, bool) { return auth.Key{}, false }),
	})
	server := httptest.NewServer(dataplane.New(dataplane.Config{Planes: []execute.Plane{plane}}))
	t.Cleanup(server.Close)
	return server.URL + "/_aws/execute-api/" + testAPIID + "/live", functions
}

// session is one connection to a served plane.
type session struct {
	ctx       context.Context
	stageURL  string
	functions *recordingFunctions
	conn      *websocket.Conn
}

// connect serves the plane and opens a connection, for at most 10 seconds.
func connect(t *testing.T, idle time.Duration) session {
	t.Helper()
	stageURL, functions := servePlane(t, idle)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return session{ctx: ctx, stageURL: stageURL, functions: functions, conn: connectTo(ctx, t, stageURL)}
}

func connectTo(ctx context.Context, t *testing.T, stageURL string) *websocket.Conn {
	t.Helper()
	conn, response, err := websocket.Dial(ctx, strings.Replace(stageURL, "http://", "ws://", 1), nil)
	if response != nil && response.Body != nil {
		response.Body.Close()
	}
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	return conn
}

// managed is an @connections answer: its status and x-amzn-ErrorType.
type managed struct {
	status    int
	errorType string
}

// manage calls @connections, SigV4-signed with secret by the SDK's signer.
func manage(t *testing.T, method, stageURL, connectionID, secret string, body []byte) managed {
	t.Helper()
	request, err := http.NewRequest(method, stageURL+"/@connections/"+strings.ReplaceAll(connectionID, "=", "%3D"), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secret},
		request, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	return managed{status: response.StatusCode, errorType: response.Header.Get("x-amzn-ErrorType")}
}

// DeleteConnection answers 204, closes the client's connection and runs
// $disconnect; the connection is Gone afterwards. A call signed with the
// wrong secret is refused as API Gateway refuses it.
func TestDeleteConnectionClosesAndRunsDisconnect(t *testing.T) {
	t.Parallel()
	s := connect(t, 0)
	connected := s.functions.next(t, "$connect")
	id := connected.RequestContext.ConnectionID
	if connected.RequestContext.EventType != "CONNECT" || connected.Headers["Upgrade"] != "" ||
		connected.Headers["X-Forwarded-For"] != "127.0.0.1" || connected.Headers["Host"] == "" || connected.MultiValueHeaders["Sec-Websocket-Version"][0] != "13" {
		t.Fatalf("CONNECT event = %+v", connected)
	}

	if answer := manage(t, http.MethodDelete, s.stageURL, id, "wrong", nil); answer.status != http.StatusForbidden ||
		answer.errorType != "InvalidSignatureException" {
		t.Fatalf("a wrongly signed DeleteConnection answered %d %s", answer.status, answer.errorType)
	}
	if answer := manage(t, http.MethodDelete, s.stageURL, id, secretKey, nil); answer.status != http.StatusNoContent {
		t.Fatalf("DeleteConnection answered %d", answer.status)
	}
	if _, _, err := s.conn.Read(s.ctx); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Fatalf("the client read %v, want a normal close", err)
	}
	disconnected := s.functions.next(t, "$disconnect")
	if rc := disconnected.RequestContext; rc.EventType != "DISCONNECT" || rc.ConnectionID != id || rc.DisconnectStatusCode != 1000 {
		t.Fatalf("DISCONNECT event = %+v", rc)
	}
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
		if answer := manage(t, method, s.stageURL, id, secretKey, []byte("x")); answer.status != http.StatusGone ||
			answer.errorType != "GoneException" {
			t.Fatalf("%s after the delete answered %d %s, want 410 GoneException", method, answer.status, answer.errorType)
		}
	}
}

// The client's close code and reason reach $disconnect.
func TestClientCloseStatusReachesDisconnect(t *testing.T) {
	t.Parallel()
	s := connect(t, 0)
	if err := s.conn.Close(4001, "done here"); err != nil {
		t.Fatal(err)
	}
	rc := s.functions.next(t, "$disconnect").RequestContext
	if rc.DisconnectStatusCode != 4001 || rc.DisconnectReason == nil || *rc.DisconnectReason != "done here" {
		t.Fatalf("DISCONNECT = %+v", rc)
	}
}

// A connection without traffic for the idle timeout is closed with 1001,
// and $disconnect says so.
func TestIdleConnectionIsClosed(t *testing.T) {
	t.Parallel()
	s := connect(t, 200*time.Millisecond)
	if _, _, err := s.conn.Read(s.ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("the idle client read %v, want 1001", err)
	}
	if rc := s.functions.next(t, "$disconnect").RequestContext; rc.DisconnectStatusCode != 1001 {
		t.Fatalf("DISCONNECT = %+v", rc)
	}
}

// A message over 128 KB closes the connection with 1009; PostToConnection
// of more is refused with 413.
func TestMessageSizeLimit(t *testing.T) {
	t.Parallel()
	s := connect(t, 0)
	id := s.functions.next(t, "$connect").RequestContext.ConnectionID
	tooLarge := bytes.Repeat([]byte("a"), 128<<10+1)
	if answer := manage(t, http.MethodPost, s.stageURL, id, secretKey, tooLarge); answer.status != http.StatusRequestEntityTooLarge ||
		answer.errorType != "PayloadTooLargeException" {
		t.Fatalf("posting 128 KB + 1 answered %d %s", answer.status, answer.errorType)
	}
	if err := s.conn.Write(s.ctx, websocket.MessageText, tooLarge); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("writing: %v", err)
	}
	if _, _, err := s.conn.Read(s.ctx); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Fatalf("after 128 KB + 1 the client read %v, want 1009", err)
	}
	if rc := s.functions.next(t, "$disconnect").RequestContext; rc.DisconnectStatusCode != 1009 {
		t.Fatalf("DISCONNECT = %+v", rc)
	}
}
