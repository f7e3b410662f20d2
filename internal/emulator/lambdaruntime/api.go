package lambdaruntime

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// The Runtime API, as AWS documents it for custom runtimes
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
const apiPrefix = "/2018-06-01/runtime"

// maxResponse is Lambda's synchronous response payload limit.
const maxResponse = 6 << 20

func (h *Host) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"/invocation/next", h.next)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/response", h.response)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/error", h.invocationError)
	mux.HandleFunc("POST "+apiPrefix+"/init/error", h.initError)
	return mux
}

// next hands the handler the invocation whose turn it is, waiting for one.
func (h *Host) next(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	generation := h.generation
	h.mu.Unlock()
	var inv *invocation
	select {
	case inv = <-h.queue:
	case <-r.Context().Done():
		return
	}
	if !h.claim(inv, generation) {
		return
	}
	header := w.Header()
	header.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	header.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	header.Set("Lambda-Runtime-Invoked-Function-Arn", inv.invokedARN)
	header.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0")
	header.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(inv.payload)
}

func (h *Host) response(w http.ResponseWriter, r *http.Request) {
	inv, ok := h.take(r.PathValue("id"))
	if !ok {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxResponse+1))
	if err != nil {
		writeRuntimeError(w, http.StatusInternalServerError, "ReadError", err.Error())
		return
	}
	if len(body) > maxResponse {
		inv.finish(functionError(inv.id, "Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size (6291556 bytes)."))
		writeRuntimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "response too large")
		return
	}
	inv.finish(Result{Payload: body})
	accepted(w)
}

// invocationError records the handler's error document as the result.
func (h *Host) invocationError(w http.ResponseWriter, r *http.Request) {
	inv, ok := h.take(r.PathValue("id"))
	if !ok {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxResponse))
	var document map[string]any
	if json.Unmarshal(body, &document) != nil {
		body, _ = json.Marshal(map[string]string{"errorMessage": string(body), "errorType": r.Header.Get("Lambda-Runtime-Function-Error-Type")})
	}
	inv.finish(Result{Payload: body, FunctionError: "Unhandled"})
	accepted(w)
}

// initError is a handler that failed to start: its error document is the
// result of the invocations it leaves unanswered, and it is stopped.
func (h *Host) initError(w http.ResponseWriter, r *http.Request) {
	document, _ := io.ReadAll(io.LimitReader(r.Body, maxResponse))
	if !json.Valid(document) {
		document, _ = json.Marshal(map[string]string{"errorMessage": string(document), "errorType": r.Header.Get("Lambda-Runtime-Function-Error-Type")})
	}
	h.mu.Lock()
	p := h.process
	if p != nil {
		p.initError = document
	}
	h.mu.Unlock()
	accepted(w)
	go h.stop(p)
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"status":"OK"}`))
}

func writeRuntimeError(w http.ResponseWriter, status int, errorType, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorMessage": message, "errorType": errorType})
}
