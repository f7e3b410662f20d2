package emulator

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxBodyBytes bounds a control-plane request body (API Gateway's payload
// limit is 10 MB).
const maxBodyBytes = 10 << 20

// ServeHTTP dispatches a request: admin, data plane, STS, then the API
// Gateway services by route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	w.Header().Set("x-amzn-RequestId", requestID)

	if strings.HasPrefix(r.URL.Path, "/_emulator/") {
		s.serveAdmin(w, r)
		return
	}
	if _, _, ok := dataPlaneTarget(r); ok {
		s.serveDataPlane(w, r)
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil || len(body) > maxBodyBytes {
		writeAWSError(w, badRequest("Request body could not be read or is too large"))
		return
	}
	if isSTSRequest(r) {
		s.serveSTS(w, r, body, requestID)
		return
	}
	s.serveControlPlane(w, r, body, requestID)
}

// serveDataPlane hands an invoke request to the data plane. The data plane
// takes the state lock only while it reads the control plane (see
// lockedDataPlaneSource), never while it waits on an integration.
func (s *Server) serveDataPlane(w http.ResponseWriter, r *http.Request) {
	s.data.ServeHTTP(w, r)
}

// lockedDataPlaneSource gives the data plane a consistent read of the v2
// control plane under the server's state lock.
type lockedDataPlaneSource struct{ s *Server }

func (l lockedDataPlaneSource) dataPlaneAPI(apiID string) (dataPlaneAPI, bool) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	return l.s.v2.dataPlaneAPI(apiID)
}

// serveControlPlane runs one API Gateway operation: authenticate, route,
// latency, quota, fault, handler, persist, respond.
func (s *Server) serveControlPlane(w http.ResponseWriter, r *http.Request, body []byte, requestID string) {
	who, authErr := s.authenticate(r, body)
	if authErr != nil {
		writeAWSError(w, authErr)
		return
	}
	matched, params, ok := s.routes.match(r.Method, r.URL.EscapedPath())
	if !ok {
		writeAWSError(w, newAWSError(http.StatusNotFound, "UnknownOperationException",
			"No operation matches %s %s", r.Method, r.URL.EscapedPath()))
		return
	}
	op := matched.Operation
	s.stats.call(op)
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}

	status, response, err := s.runOperation(matched, r, body, params, &call{
		Account:   who.account,
		Region:    who.region,
		RequestID: requestID,
		Operation: op,
	})
	if err != nil {
		awsErr := asAWSError(err)
		if awsErr.Code == "TooManyRequestsException" {
			s.stats.throttle(op)
		}
		writeAWSError(w, awsErr)
		return
	}
	writeJSON(w, status, response)
}

// runOperation spends the account-wide quota, injects faults, and runs the
// handler under the state lock, persisting state after a successful mutation.
func (s *Server) runOperation(rt *route, r *http.Request, body []byte, params pathParams, c *call) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Now = time.Now().UTC()
	c.limit = func(bucket string) error { return s.quotas.take(c.Account, c.Region, bucket, c.Now) }
	if err := c.limit(totalOperationsBucket); err != nil {
		return 0, nil, err
	}
	if s.chance(s.opts.FaultRate) {
		s.stats.fault(c.Operation)
		return 0, nil, s.injectedFault()
	}
	status, response, err := rt.Handle(c, r, body, params)
	if err == nil && rt.Mutates {
		if perr := s.persist(); perr != nil {
			return 0, nil, fmt.Errorf("persisting state: %w", perr)
		}
	}
	return status, response, err
}

func (s *Server) injectedFault() *awsError {
	if s.chance(0.5) {
		return newAWSError(http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
	}
	return newAWSError(http.StatusServiceUnavailable, "ServiceUnavailableException", "Service Unavailable")
}

// asAWSError keeps an *awsError and turns anything else into AWS's 500.
func asAWSError(err error) *awsError {
	var awsErr *awsError
	if errors.As(err, &awsErr) {
		return awsErr
	}
	return newAWSError(http.StatusInternalServerError, "InternalServerErrorException", "%s", err.Error())
}

// writeAWSError answers as API Gateway does (§3.2 of the wire reference): the
// code in x-amzn-ErrorType, the message and any extras in a JSON body.
func writeAWSError(w http.ResponseWriter, e *awsError) {
	payload := map[string]string{"message": e.Message}
	for k, v := range e.Extra {
		payload[k] = v
	}
	w.Header().Set("x-amzn-ErrorType", e.Code)
	writeJSON(w, e.Status, payload)
}

func writeJSON(w http.ResponseWriter, status int, response any) {
	if response == nil {
		w.WriteHeader(status)
		return
	}
	encoded, err := json.Marshal(response)
	if err != nil {
		w.Header().Set("x-amzn-ErrorType", "InternalServerErrorException")
		status = http.StatusInternalServerError
		encoded, _ = json.Marshal(map[string]string{"message": err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(encoded) //nolint:errcheck // the client went away; nothing to do.
}

// newRequestID returns a random UUID-shaped id, as AWS request ids are.
func newRequestID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
