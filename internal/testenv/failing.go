package testenv

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// FailingAWS is an endpoint that fails every call the way no AWS SDK can
// decode (a 400 whose body is not the service's error document), with a new
// request id each time: what must not turn into one event per attempt.
type FailingAWS struct {
	URL      string
	requests atomic.Int64
}

// NewFailingAWS starts one until the test ends.
func NewFailingAWS(t *testing.T) *FailingAWS {
	t.Helper()
	f := &FailingAWS{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := f.requests.Add(1)
		w.Header().Set("x-amzn-RequestId", fmt.Sprintf("req-%d-%d", n, time.Now().UnixNano()))
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "not the document the service answers with (request %d)", n)
	}))
	t.Cleanup(server.Close)
	f.URL = server.URL
	return f
}

// Requests is how many calls it has failed.
func (f *FailingAWS) Requests() int64 { return f.requests.Load() }
