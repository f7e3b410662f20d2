// Package lambdaruntime runs a Lambda function locally the way AWS runs a
// custom runtime (provided.al2023): an unmodified handler binary — one built
// with github.com/aws/aws-lambda-go, say — is started with
// AWS_LAMBDA_RUNTIME_API pointing at this package's Runtime API server, and
// pulls its invocations from it (GET /2018-06-01/runtime/invocation/next),
// answering each with .../{requestId}/response or .../{requestId}/error.
//
// A Host is one execution environment: it handles one invocation at a time,
// as AWS does per environment, and queues the others. The process is started
// on the first invocation and started again after it exits or times out.
package lambdaruntime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"time"
)

// Config describes one function's execution environment.
type Config struct {
	// FunctionName and FunctionARN are told to the handler (environment and
	// the Lambda-Runtime-Invoked-Function-Arn header).
	FunctionName string
	FunctionARN  string
	Region       string
	// Command is the handler process: the binary and its arguments.
	Command []string
	// Env is added to the handler's environment.
	Env []string
	// Timeout bounds one invocation; AWS's default is 3 s.
	Timeout time.Duration
	// Logs receives the handler's stdout and stderr; nil discards them.
	Logs io.Writer
}

// DefaultTimeout is Lambda's default function timeout.
const DefaultTimeout = 3 * time.Second

// Result is what an invocation returned: the handler's response, or, when
// FunctionError is set ("Unhandled", as Lambda's X-Amz-Function-Error says),
// the error document {"errorMessage", "errorType"}.
type Result struct {
	Payload       []byte
	FunctionError string
}

// Host is one function's execution environment.
type Host struct {
	cfg      Config
	listener net.Listener
	server   *http.Server

	// queue holds invocations the handler has not pulled yet.
	queue chan *invocation

	mu      sync.Mutex
	pending map[string]*invocation // pulled, not answered
	process *exec.Cmd
	exited  chan struct{}
	closed  bool
	counter int
}

type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	done     chan Result
	once     sync.Once
}

func (inv *invocation) finish(r Result) { inv.once.Do(func() { inv.done <- r }) }

// Start serves the Runtime API on a loopback port; the handler process is
// started on the first invocation.
func Start(cfg Config) (*Host, error) {
	if len(cfg.Command) == 0 {
		return nil, errors.New("lambdaruntime: no handler command")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &Host{cfg: cfg, listener: listener, queue: make(chan *invocation, 64), pending: map[string]*invocation{}}
	h.server = &http.Server{Handler: h.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = h.server.Serve(listener) }()
	return h, nil
}

// RuntimeAPI is the host:port the handler reaches the Runtime API at.
func (h *Host) RuntimeAPI() string { return h.listener.Addr().String() }

// Invoke runs one invocation with the event payload and waits for its result.
// A handler that does not answer within the timeout is stopped, and the
// result is Lambda's timeout error, as AWS reports it.
func (h *Host) Invoke(ctx context.Context, payload []byte) (Result, error) {
	if err := h.ensureProcess(); err != nil {
		return Result{}, err
	}
	inv := &invocation{id: h.nextID(), payload: payload, deadline: time.Now().Add(h.cfg.Timeout), done: make(chan Result, 1)}
	select {
	case h.queue <- inv:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	timer := time.NewTimer(h.cfg.Timeout)
	defer timer.Stop()
	select {
	case result := <-inv.done:
		return result, nil
	case <-timer.C:
		h.forget(inv.id)
		h.stopProcess()
		return functionError("Sandbox.Timedout", fmt.Sprintf("Task timed out after %.2f seconds", h.cfg.Timeout.Seconds())), nil
	case <-ctx.Done():
		h.forget(inv.id)
		return Result{}, ctx.Err()
	}
}

// Close stops the handler process and the Runtime API server.
func (h *Host) Close() error {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.stopProcess()
	return h.server.Close()
}

func (h *Host) nextID() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counter++
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", time.Now().UnixNano()&0xffffffff, h.counter&0xffff, h.counter&0xfff, os.Getpid()&0xfff, time.Now().UnixNano())
}

// ensureProcess starts the handler unless it runs.
func (h *Host) ensureProcess() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return errors.New("lambdaruntime: host closed")
	}
	if h.process != nil {
		return nil
	}
	cmd := exec.Command(h.cfg.Command[0], h.cfg.Command[1:]...)
	cmd.Env = append(os.Environ(), h.cfg.Env...)
	cmd.Env = append(cmd.Env,
		"AWS_LAMBDA_RUNTIME_API="+h.RuntimeAPI(),
		"AWS_LAMBDA_FUNCTION_NAME="+h.cfg.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_REGION="+h.cfg.Region,
		"AWS_DEFAULT_REGION="+h.cfg.Region,
		"_HANDLER=bootstrap",
		// aws-lambda-go prefers the old RPC mode when this is set.
		"_LAMBDA_SERVER_PORT=",
	)
	logs := h.cfg.Logs
	if logs == nil {
		logs = io.Discard
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("lambdaruntime: starting %s: %w", h.cfg.Command[0], err)
	}
	exited := make(chan struct{})
	h.process, h.exited = cmd, exited
	go func() {
		err := cmd.Wait()
		h.processExited(cmd, err)
		close(exited)
	}()
	return nil
}

// processExited fails the invocations the process had pulled: AWS reports
// them as Runtime.ExitError.
func (h *Host) processExited(cmd *exec.Cmd, err error) {
	h.mu.Lock()
	if h.process == cmd {
		h.process = nil
	}
	pending := h.pending
	h.pending = map[string]*invocation{}
	h.mu.Unlock()
	message := "Runtime exited without providing a reason"
	if err != nil {
		message = "Runtime exited with error: " + err.Error()
	}
	for _, inv := range pending {
		inv.finish(functionError("Runtime.ExitError", message))
	}
}

func (h *Host) stopProcess() {
	h.mu.Lock()
	cmd, exited := h.process, h.exited
	h.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-exited
}

func (h *Host) forget(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.pending, id)
}

func (h *Host) take(id string) (*invocation, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	inv, ok := h.pending[id]
	delete(h.pending, id)
	return inv, ok
}

// functionError builds the result Lambda returns for a failed invocation.
func functionError(errorType, message string) Result {
	body, _ := json.Marshal(map[string]string{"errorMessage": message, "errorType": errorType})
	return Result{Payload: body, FunctionError: "Unhandled"}
}
