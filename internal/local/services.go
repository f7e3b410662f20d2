package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/oidcissuer"
)

// DefaultServicesAddr is where local mode serves what the serving samples
// call: a JWT issuer, an HTTP backend and a Lambda function. The samples
// name these URLs, so the address is fixed by default.
const DefaultServicesAddr = "127.0.0.1:4567"

// The paths of the sample services, under DefaultServicesAddr.
const (
	issuerPath   = "/issuer"
	backendPath  = "/backend"
	functionPath = "/functions/"
)

// SampleFunctions are the Lambda functions the serving samples integrate,
// in every region of the emulator's default account: the emulator invokes
// each by POSTing the event to local mode's services, where one small
// handler answers for all.
var SampleFunctions = []string{"orders", "pets", "echo", "chat"}

// sampleServices is what local mode serves beside the emulator for the
// serving samples.
type sampleServices struct {
	server *http.Server
	issuer *oidcissuer.Issuer
	url    string
}

// startSampleServices listens on addr and serves the issuer under /issuer,
// an echo backend under /backend and the sample functions under
// /functions/{name}.
func startSampleServices(addr string) (*sampleServices, error) {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the sample services (JWT issuer, backend, Lambda function) cannot listen on %s: %w", addr, err)
	}
	base := "http://" + listener.Addr().String()
	issuer, err := oidcissuer.New()
	if err != nil {
		listener.Close()
		return nil, err
	}
	issuer.SetURL(base + issuerPath)
	mux := http.NewServeMux()
	mux.Handle(issuerPath+"/", http.StripPrefix(issuerPath, issuer))
	mux.HandleFunc(backendPath+"/", serveBackend)
	mux.HandleFunc(backendPath, serveBackend)
	mux.HandleFunc(functionPath+"{name}", serveSampleFunction)
	s := &sampleServices{server: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, issuer: issuer, url: base}
	go func() {
		if err := s.server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("local: the sample services stopped:", err)
		}
	}()
	return s, nil
}

func (s *sampleServices) close() error { return s.server.Close() }

// lambdaFunctions declares the sample functions to the emulator, in every
// region of the emulator's default account.
func (s *sampleServices) lambdaFunctions() []emulator.LambdaFunction {
	functions := make([]emulator.LambdaFunction, len(SampleFunctions))
	for i, name := range SampleFunctions {
		functions[i] = emulator.LambdaFunction{Name: name, Endpoint: s.url + functionPath + name}
	}
	return functions
}

// serveBackend answers what it was asked, as JSON: what an HTTP integration
// forwarded, for the samples' curl commands to show.
func serveBackend(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	writeJSON(w, http.StatusOK, map[string]any{
		"service": "local backend",
		"method":  r.Method,
		"path":    r.URL.Path,
		"query":   r.URL.RawQuery,
		"body":    string(body),
	})
}

// sampleEvent is the part of a Lambda proxy event (REST 1.0, HTTP 1.0/2.0,
// WebSocket) the sample function reads.
type sampleEvent struct {
	Version        string `json:"version"`
	RouteKey       string `json:"routeKey"`
	RawPath        string `json:"rawPath"`
	Path           string `json:"path"`
	Resource       string `json:"resource"`
	HTTPMethod     string `json:"httpMethod"`
	Body           string `json:"body"`
	RequestContext struct {
		RouteKey     string         `json:"routeKey"`
		EventType    string         `json:"eventType"`
		ConnectionID string         `json:"connectionId"`
		Authorizer   map[string]any `json:"authorizer"`
		HTTP         struct {
			Method string `json:"method"`
		} `json:"http"`
	} `json:"requestContext"`
}

// serveSampleFunction is every sample Lambda function: it greets by name,
// and says which route and path it served and what the authorizer passed
// on. To a WebSocket message the echo function answers the message itself,
// the others say which route brought it.
func serveSampleFunction(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	var event sampleEvent
	if err := json.NewDecoder(io.LimitReader(r.Body, 6<<20)).Decode(&event); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"errorMessage": "the event is not JSON: " + err.Error()})
		return
	}
	if event.RequestContext.EventType != "" {
		writeJSON(w, http.StatusOK, map[string]any{"statusCode": 200, "body": webSocketAnswer(name, event)})
		return
	}
	greeting := map[string]any{
		"message":  "hello from the local Lambda function " + name,
		"routeKey": firstNonEmpty(event.RouteKey, event.RequestContext.RouteKey, restRouteKey(event)),
		"path":     firstNonEmpty(event.RawPath, event.Path),
		"method":   firstNonEmpty(event.RequestContext.HTTP.Method, event.HTTPMethod),
	}
	if len(event.RequestContext.Authorizer) > 0 {
		greeting["authorizer"] = event.RequestContext.Authorizer
	}
	body, _ := json.Marshal(greeting)
	writeJSON(w, http.StatusOK, map[string]any{
		"statusCode": 200,
		"headers":    map[string]string{"content-type": "application/json"},
		"body":       string(body),
	})
}

// restRouteKey is a REST event's route in the samples' form, "GET
// /pets/{id}": REST events name the resource, not a route key.
func restRouteKey(event sampleEvent) string {
	if event.Resource == "" {
		return ""
	}
	return event.HTTPMethod + " " + event.Resource
}

// webSocketAnswer is what function name answers a WebSocket event: to a
// message, the message itself (echo) or which route and connection brought
// it (the id @connections calls name); a word for connect and disconnect.
func webSocketAnswer(name string, event sampleEvent) string {
	if event.RequestContext.EventType != "MESSAGE" {
		return strings.ToLower(event.RequestContext.EventType) + " " + event.RequestContext.ConnectionID
	}
	if name == "echo" {
		return event.Body
	}
	answer, _ := json.Marshal(map[string]string{
		"function":     name,
		"routeKey":     event.RequestContext.RouteKey,
		"connectionId": event.RequestContext.ConnectionID,
		"received":     event.Body,
	})
	return string(answer)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
