package dataplane

import (
	"bufio"
	"net"
	"net/http"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// Observer is told of every request the front door answered, after the
// answer: the stats and the access log are observers.
type Observer func(Exchange)

// Exchange is one answered invoke request.
type Exchange struct {
	Started time.Time
	Latency time.Duration
	Request *http.Request
	// Invoke is the request as the front door resolved it and the plane
	// matched it: APIID is "" when no API was named, MatchedStage and
	// MatchedRoute are "" when the plane matched none.
	Invoke execute.Request
	// Status is the status answered: 101 for a connection a plane took over
	// (a WebSocket), 200 when the plane wrote nothing.
	Status int
	// Bytes counts the body bytes written through the ResponseWriter; not
	// those a plane wrote on a connection it took over.
	Bytes     int64
	RequestID string
}

func (f *FrontDoor) observe(e Exchange) {
	for _, observer := range f.observers {
		observer(e)
	}
}

// responseRecorder notes the status and the body size of an answer. It
// passes Flush and Hijack through, and Unwrap serves http.ResponseController,
// so that streaming answers and WebSocket upgrades work through it.
type responseRecorder struct {
	http.ResponseWriter
	status   int
	bytes    int64
	hijacked bool
}

// WriteHeader notes the first final status: 1xx answers other than 101
// Switching Protocols are informational, and the final one follows.
func (w *responseRecorder) WriteHeader(status int) {
	if w.status == 0 && (status >= http.StatusOK || status == http.StatusSwitchingProtocols) {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *responseRecorder) Write(body []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(body)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's own writer.
func (w *responseRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush sends what is buffered; an answer without a status is then a 200.
func (w *responseRecorder) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack hands the connection to the plane (the WebSocket plane does).
func (w *responseRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.hijacked = true
	}
	return conn, rw, err
}

// finalStatus is the status the client got: what was written, 101 for a
// connection taken over without a status, and net/http's 200 when nothing
// was written at all.
func (w *responseRecorder) finalStatus() int {
	switch {
	case w.status != 0:
		return w.status
	case w.hijacked:
		return http.StatusSwitchingProtocols
	default:
		return http.StatusOK
	}
}
