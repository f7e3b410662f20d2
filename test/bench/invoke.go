package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// backend is the HTTP endpoint every serving integration forwards to. It
// answers {"integration": NAME} for a request to /NAME, so that an invoke
// through the emulator shows which integration served it.
type backend struct {
	server   *http.Server
	URL      string
	requests atomic.Int64
}

func startBackend() (*backend, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &backend{URL: "http://" + listener.Addr().String()}
	b.server = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(backendAnswer{Integration: strings.TrimPrefix(r.URL.Path, "/")})
	})}
	go func() { _ = b.server.Serve(listener) }()
	return b, nil
}

func (b *backend) stop() { _ = b.server.Close() }

type backendAnswer struct {
	Integration string `json:"integration"`
}

// invokeTimeout bounds one WebSocket exchange through the emulator's data
// plane (an HTTP invoke is bounded by fetch's fetchTimeout).
const invokeTimeout = 10 * time.Second

// invokeParallelism is how many APIs are invoked at once.
const invokeParallelism = 4

// invokeResult is what invoking every route of every API found.
type invokeResult struct {
	Invoked, Served int
	// Failures are the first few routes that did not answer as declared.
	Failures []string
}

// maxReportedFailures keeps the report short when a whole mode fails.
const maxReportedFailures = 5

// invokeAll calls every route of every object through the emulator's data
// plane (the path-style execute-api address, /_aws/execute-api/{apiId}/...)
// and checks each answer came from the integration the route declares.
func invokeAll(ctx context.Context, emulatorURL string, shape servingShape, objects []v1alpha1.APIGateway) invokeResult {
	var (
		mu     sync.Mutex
		result invokeResult
		wg     sync.WaitGroup
		next   = make(chan v1alpha1.APIGateway)
	)
	record := func(route string, err error) {
		mu.Lock()
		defer mu.Unlock()
		result.Invoked++
		if err == nil {
			result.Served++
		} else if len(result.Failures) < maxReportedFailures {
			result.Failures = append(result.Failures, route+": "+err.Error())
		}
	}
	for range invokeParallelism {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for obj := range next {
				base := emulatorURL + "/_aws/execute-api/" + obj.Status.APIID + "/" + servingStage
				if shape.Protocol == v1alpha1.ProtocolWebSocket {
					invokeWebSocket(ctx, "ws"+strings.TrimPrefix(base, "http"), shape, obj.Name, record)
					continue
				}
				for i := range shape.Routes {
					record(obj.Name+" "+shape.routeKey(i), invokeHTTP(ctx, fmt.Sprintf("%s/r%d", base, i), shape.integrationOf(i)))
				}
			}
		}()
	}
	for _, obj := range objects {
		next <- obj
	}
	close(next)
	wg.Wait()
	return result
}

func invokeHTTP(ctx context.Context, url, wantIntegration string) error {
	body, err := fetch(ctx, url)
	if err != nil {
		return err
	}
	return answeredBy(body, wantIntegration)
}

// answeredBy checks an answer is the backend's for the integration.
func answeredBy(body []byte, wantIntegration string) error {
	var answer backendAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("not the backend's answer: %q", body)
	}
	if answer.Integration != wantIntegration {
		return fmt.Errorf("answered by integration %q, want %q", answer.Integration, wantIntegration)
	}
	return nil
}

// invokeWebSocket connects once and sends one message per route: the
// action of a custom key, or one no route has for $default.
func invokeWebSocket(ctx context.Context, url string, shape servingShape, name string, record func(string, error)) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(shape.Routes)*invokeTimeout)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		for i := range shape.Routes {
			record(name+" "+shape.routeKey(i), fmt.Errorf("connecting: %w", err))
		}
		return
	}
	defer conn.Close(websocket.StatusNormalClosure, "")
	for i := range shape.Routes {
		action := shape.routeKey(i)
		if i == 0 {
			action = "no-such-route" // falls through to $default
		}
		record(name+" "+shape.routeKey(i), exchange(ctx, conn, action, shape.integrationOf(i)))
	}
}

func exchange(ctx context.Context, conn *websocket.Conn, action, wantIntegration string) error {
	message, err := json.Marshal(map[string]string{"action": action})
	if err != nil {
		return err
	}
	if err := conn.Write(ctx, websocket.MessageText, message); err != nil {
		return err
	}
	_, answer, err := conn.Read(ctx)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("no answer within %s", invokeTimeout)
		}
		return err
	}
	return answeredBy(answer, wantIntegration)
}
