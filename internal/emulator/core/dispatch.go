package core

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// maxBodyBytes bounds a control-plane request body (API Gateway's payload
// limit is 10 MB).
const maxBodyBytes = 10 << 20

// Caller is who sent a request and where: the world it acts in.
type Caller struct {
	Region   string
	Identity Identity
}

// Authenticator resolves the caller of a request and, when signatures are
// checked, verifies it. A refusal comes back as the *Error the protocol
// answers (API Gateway and STS word the same failure differently).
type Authenticator interface {
	Authenticate(r *http.Request, body []byte, protocol Protocol) (Caller, *Error)
	// Enforced reports whether requests must be signed by a known key.
	Enforced() bool
}

// Config is what the dispatcher needs of the emulator's options.
type Config struct {
	Quotas         bool
	QuotaTimeScale float64
	FaultRate      float64
	Latency        time.Duration
	// StateFile, when set, is read by New and rewritten after every
	// successful mutating call.
	StateFile string
	// StateLock serialises every call that reads or changes state; the
	// emulator shares it with the readers it wires outside the dispatcher
	// (the data plane, the access-key lookup).
	StateLock *sync.Mutex
	Auth      Authenticator
	Services  []Service
	// DataPlane serves the requests IsDataPlane claims, outside the state
	// lock (it takes the lock only to read the control plane).
	DataPlane   http.Handler
	IsDataPlane func(*http.Request) bool
}

// Dispatcher is the emulator's front door: admin, data plane, then the
// services' routes.
type Dispatcher struct {
	Config
	services []Service
	routes   *router
	admin    *router
	quotas   *quotaBook
	stats    *statsRecorder
	store    *stateStore
	random   *rand.Rand
	randomMu sync.Mutex
}

// NewDispatcher builds the route table and loads the state file, if any.
func NewDispatcher(cfg Config) (*Dispatcher, error) {
	d := &Dispatcher{
		Config:   cfg,
		services: cfg.Services,
		routes:   newRouter(cfg.Services),
		admin:    newAdminRouter(cfg.Services),
		quotas:   newQuotaBook(cfg.Quotas, cfg.QuotaTimeScale),
		stats:    newStatsRecorder(),
		random:   rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0)),
	}
	linkServices(cfg.Services)
	if cfg.StateFile != "" {
		d.store = &stateStore{path: cfg.StateFile}
		if err := d.load(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Stats returns the counters of control-plane calls.
func (d *Dispatcher) Stats() Stats { return d.stats.snapshot() }

// ServeHTTP dispatches a request: admin, data plane, then a service route
// of the query protocol (STS) or of REST-JSON (API Gateway).
func (d *Dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID, _ := NewRequestID()
	w.Header().Set("x-amzn-RequestId", requestID)

	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		d.serveAdmin(w, r)
		return
	}
	if d.IsDataPlane != nil && d.IsDataPlane(r) {
		d.DataPlane.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil || len(body) > maxBodyBytes {
		WriteError(w, bodyTooLarge())
		return
	}
	if isQueryRequest(r) {
		d.serveQuery(w, r, body, requestID)
		return
	}
	d.serveREST(w, r, body, requestID)
}

// serveREST runs one REST-JSON operation: authenticate, route, then run.
func (d *Dispatcher) serveREST(w http.ResponseWriter, r *http.Request, body []byte, requestID string) {
	who, authErr := d.Auth.Authenticate(r, body, RESTJSON)
	if authErr != nil {
		WriteError(w, authErr)
		return
	}
	route, params, ok := d.routes.match(r.Method, r.URL.EscapedPath())
	if !ok {
		WriteError(w, unknownOperation(r.Method, r.URL.EscapedPath()))
		return
	}
	status, response, err := d.run(route, r, body, params, who, requestID)
	if err != nil {
		WriteError(w, err)
		return
	}
	if raw, ok := response.(*Raw); ok {
		WriteRaw(w, status, raw)
		return
	}
	WriteJSON(w, status, response)
}

// serveQuery runs one query-protocol operation, named by the form's Action.
func (d *Dispatcher) serveQuery(w http.ResponseWriter, r *http.Request, body []byte, requestID string) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		WriteQueryError(w, requestID, queryValidation("Request body is not a valid form"))
		return
	}
	action := form.Get("Action")
	who, authErr := d.Auth.Authenticate(r, body, Query)
	if authErr != nil {
		WriteQueryError(w, requestID, authErr)
		return
	}
	route, ok := d.routes.matchAction(action)
	if !ok {
		d.stats.call(action)
		WriteQueryError(w, requestID, invalidAction(action))
		return
	}
	_, response, awsErr := d.run(route, r, body, nil, who, requestID)
	if awsErr != nil {
		WriteQueryError(w, requestID, awsErr)
		return
	}
	WriteQueryResult(w, action, response, requestID)
}

func queryValidation(message string) *Error {
	return NewError(http.StatusBadRequest, "ValidationError", "%s", message)
}

func invalidAction(action string) *Error {
	return NewError(http.StatusBadRequest, "InvalidAction", "Could not find operation %s for version 2011-06-15", action)
}

// run counts the call, adds latency, then runs it under the state lock.
func (d *Dispatcher) run(route *Route, r *http.Request, body []byte, params PathParams, who Caller, requestID string) (int, any, *Error) {
	d.stats.call(route.Operation)
	if d.Latency > 0 && !route.Unmetered {
		time.Sleep(d.Latency)
	}
	status, response, err := d.runLocked(route, r, body, params, &Call{
		Account:   who.Identity.Account,
		Region:    who.Region,
		RequestID: requestID,
		Operation: route.Operation,
		Caller:    who.Identity,
	})
	if later, ok := response.(Deferred); ok && err == nil {
		status, response, err = later()
	}
	if err != nil {
		awsErr := asError(err, route.Protocol)
		if awsErr.Code == "TooManyRequestsException" {
			d.stats.throttle(route.Operation)
		}
		return 0, nil, awsErr
	}
	return status, response, nil
}

// runLocked spends the account-wide quota, injects faults, and runs the
// handler under the state lock, persisting state after a successful mutation.
func (d *Dispatcher) runLocked(route *Route, r *http.Request, body []byte, params PathParams, c *Call) (int, any, error) {
	d.StateLock.Lock()
	defer d.StateLock.Unlock()
	c.Now = time.Now().UTC()
	c.Limit = func(op awsquotas.Operation) error { return d.quotas.takeOperation(c.Account, c.Region, op, c.Now) }
	if !route.Unmetered {
		if err := d.quotas.takeAccount(c.Account, c.Region, c.Now); err != nil {
			return 0, nil, err
		}
		if d.chance(d.FaultRate) {
			d.stats.fault(c.Operation)
			return 0, nil, d.injectedFault()
		}
	}
	status, response, err := route.Handle(c, r, body, params)
	if err == nil && route.Mutates {
		if perr := d.persist(); perr != nil {
			return 0, nil, fmt.Errorf("persisting state: %w", perr)
		}
	}
	return status, response, err
}

func (d *Dispatcher) injectedFault() *Error {
	if d.chance(0.5) {
		return injectedInternalError()
	}
	return injectedUnavailable()
}

// chance reports true with probability p.
func (d *Dispatcher) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	d.randomMu.Lock()
	defer d.randomMu.Unlock()
	return d.random.Float64() < p
}
