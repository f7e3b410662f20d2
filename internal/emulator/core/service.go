// Package core is what every emulated service shares: the call context, the
// route table, AWS errors and their wire encodings, the dispatcher (auth,
// routing, latency, quotas, faults, persistence), stats, ids and the
// pagination and copy helpers. Services plug in through Service.
package core

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
)

// Identity is the principal an access key stands for, as GetCallerIdentity
// answers it.
type Identity struct {
	Account string `json:"account"`
	Arn     string `json:"arn"`
	UserID  string `json:"userId"`
}

// Call is one control-plane request, after the dispatcher has resolved who is
// calling (account, from the access key) and where (region, from the SigV4
// credential scope). Each (account, region) pair is an isolated world.
type Call struct {
	Account   string
	Region    string
	RequestID string
	Operation string
	Now       time.Time
	Caller    Identity

	// Limit spends one token of an operation's own quota (awsquotas) in this
	// account and region, returning AWS's 429 when it is empty. The account
	// quota is taken by the dispatcher before any handler runs; handlers call
	// Limit only for the operations AWS quotas on their own, at the point AWS
	// does (after the lookup that may answer 404). A no-op when quotas are off.
	Limit func(op awsquotas.Operation) error
}

// WorldKey names the caller's isolated world.
func (c *Call) WorldKey() string { return c.Account + "/" + c.Region }

// PathParams holds the unescaped values of a route's {labels}.
type PathParams map[string]string

// HandlerFunc serves one operation. It returns the success status and the
// body to encode (nil for no body), or an error: an *Error is sent as it is,
// anything else becomes a 500.
type HandlerFunc func(c *Call, r *http.Request, body []byte, params PathParams) (status int, response any, err error)

// Protocol is how a route is matched and how its answers are encoded.
type Protocol int

const (
	// RESTJSON routes match method and path; answers are JSON, errors carry
	// x-amzn-ErrorType (API Gateway).
	RESTJSON Protocol = iota
	// Query routes are form-encoded POSTs to "/" matched by their Action;
	// answers and errors are XML (STS).
	Query
)

// Route maps a request to an operation.
type Route struct {
	Method string
	// Pattern is a path such as "/restapis/{restapi_id}", matched against
	// the escaped request path segment by segment, each segment unescaped, so
	// ARN labels with %2F stay one segment. Query routes leave it empty.
	Pattern   string
	Operation string
	// Mutates marks operations that change state: the dispatcher persists
	// the state file after each one that succeeds.
	Mutates bool
	// Unmetered routes get no latency, quota or injected fault: AWS's API
	// Gateway quotas do not cover STS, and the fault flags are meant for the
	// management calls.
	Unmetered bool
	Protocol  Protocol
	Handle    HandlerFunc
}

// Service is one emulated AWS service: its routes and its persistent state.
// The dispatcher serialises all calls, so implementations need no locking of
// their own.
type Service interface {
	// Name is the key of the service's state in the state file.
	Name() string
	Routes() []Route
	// Snapshot returns the service's whole state for the state file.
	Snapshot() (json.RawMessage, error)
	// Restore replaces the service's state with one Snapshot returned.
	Restore(json.RawMessage) error
}

// AdminService is a Service with endpoints of its own under /_emulator/
// (Lambda's function registry). They are not AWS APIs: the dispatcher
// authenticates them as it does the stats endpoints, then runs them under
// the state lock (persisting after a mutation), without stats, latency,
// quotas or faults.
type AdminService interface {
	// AdminRoutes are REST-JSON routes whose Pattern is the path after
	// "/_emulator", such as "/lambda/functions".
	AdminRoutes() []Route
}

// Deferred is an answer a handler finishes after the state lock is
// released: it reads what it needs under the lock, and returns the part
// that waits on the network (Lambda's Invoke calling a function's
// endpoint) as a Deferred, which the dispatcher then runs. It must not
// touch the service's state.
type Deferred func() (status int, response any, err error)

// Raw is an answer that is not JSON: the body as it is, with its headers
// (Lambda's Invoke answers the function's payload).
type Raw struct {
	Header http.Header
	Body   []byte
}

// Worlds holds a service's state per world (Call.WorldKey). Its JSON form is
// a plain object keyed "account/region".
type Worlds[T any] map[string]T

// Of returns the caller's world, creating it with fresh on first use.
func (w Worlds[T]) Of(c *Call, fresh func() T) T {
	world, ok := w[c.WorldKey()]
	if !ok {
		world = fresh()
		w[c.WorldKey()] = world
	}
	return world
}

// Snapshot encodes state for the state file: the one encoding services use
// for persistence, restore and read isolation (see DeepCopy).
func Snapshot(state any) (json.RawMessage, error) { return json.Marshal(state) }

// Restore decodes a snapshot into a fresh value and only then replaces
// *state, so a bad file leaves the service as it was.
func Restore[T any](raw json.RawMessage, state *T) error {
	var restored T
	if err := json.Unmarshal(raw, &restored); err != nil {
		return err
	}
	*state = restored
	return nil
}

// DeepCopy returns a copy of v sharing no maps, slices or pointers with it,
// through the same JSON encoding as the state file: a patch or update is
// applied to the copy and dropped whole when it is refused, and an answer
// being encoded never shares memory with the stored state.
func DeepCopy[T any](v T) T {
	encoded, err := json.Marshal(v)
	if err != nil {
		panic(err) // state types always marshal
	}
	var copied T
	if err := json.Unmarshal(encoded, &copied); err != nil {
		panic(err)
	}
	return copied
}
