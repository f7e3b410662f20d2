// Package lambdaruntime runs a Lambda function locally the way AWS runs a
// custom runtime (provided.al2023): an unmodified handler binary — one built
// with github.com/aws/aws-lambda-go, say — is started with
// AWS_LAMBDA_RUNTIME_API pointing at this package's Runtime API server, and
// pulls its invocations from it (GET /2018-06-01/runtime/invocation/next),
// answering each with .../{requestId}/response or .../{requestId}/error.
//
// A Host is one execution environment: it runs one invocation at a time, as
// one Lambda instance does, and the others wait their turn. The process is
// started on the first invocation and started again on the next invocation
// after it exits, crashes or times out.
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
	"path/filepath"
	"sync"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Config describes one function's execution environment.
type Config struct {
	// FunctionName is told to the handler (AWS_LAMBDA_FUNCTION_NAME), and
	// FunctionARN too when an invocation names no other
	// (Lambda-Runtime-Invoked-Function-Arn).
	FunctionName string
	FunctionARN  string
	Region       string
	// Command is the handler process: the binary and its arguments. Its
	// directory is the working directory and LAMBDA_TASK_ROOT, as /var/task
	// is in AWS.
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

// ErrClosed is Invoke's answer once the Host is closed.
var ErrClosed = errors.New("lambdaruntime: host closed")

// Host is one function's execution environment.
type Host struct {
	cfg      Config
	listener net.Listener
	server   *http.Server

	// turn is held by the invocation the environment runs: one at a time.
	turn chan struct{}
	// queue hands the running invocation to the handler's next call.
	queue chan *invocation

	mu      sync.Mutex
	pending map[string]*invocation // pulled, not answered
	process *process
	// generation counts the processes started, so that a request to
	// /next left by a process that died is told from its successor's.
	generation int
	closed     bool
}

// process is one run of the handler binary.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	// initError is the document the handler posted to /init/error, if it
	// did; waitErr is how it exited. Both are set before exited closes.
	initError []byte
	waitErr   error
}

type invocation struct {
	id, invokedARN string
	payload        []byte
	deadline       time.Time
	done           chan Result
	once           sync.Once
	// withdrawn says its turn is over (guarded by Host.mu).
	withdrawn bool
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
	h := &Host{cfg: cfg, listener: listener, turn: make(chan struct{}, 1), queue: make(chan *invocation, 1), pending: map[string]*invocation{}}
	h.server = &http.Server{Handler: h.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = h.server.Serve(listener) }()
	return h, nil
}

// RuntimeAPI is the host:port the handler reaches the Runtime API at.
func (h *Host) RuntimeAPI() string { return h.listener.Addr().String() }

// Invoke runs one invocation with the event payload and waits for its
// result, after the invocations before it. The timeout counts from the
// invocation's turn, a cold start included; a handler that does not answer
// within it is stopped, and the result is Lambda's timeout error. A handler
// that cannot be started, or exits before answering, gives the function
// error Lambda reports for that. The error is ctx's, or ErrClosed.
func (h *Host) Invoke(ctx context.Context, payload []byte) (Result, error) {
	return h.InvokeAs(ctx, h.cfg.FunctionARN, payload)
}

// InvokeAs is Invoke through invokedARN, the function's ARN qualified as
// the caller named it (by an alias, say), which the handler is told.
func (h *Host) InvokeAs(ctx context.Context, invokedARN string, payload []byte) (Result, error) {
	select {
	case h.turn <- struct{}{}:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	defer func() { <-h.turn }()
	id, _ := core.NewRequestID()
	p, err := h.ensureProcess()
	if errors.Is(err, ErrClosed) {
		return Result{}, err
	}
	if err != nil {
		return functionError(id, "Runtime.InvalidEntrypoint", err.Error()), nil
	}
	inv := &invocation{id: id, invokedARN: invokedARN, payload: payload, deadline: time.Now().Add(h.cfg.Timeout), done: make(chan Result, 1)}
	h.queue <- inv // empty: the previous turn took back what it left
	defer h.withdraw(inv)
	timer := time.NewTimer(h.cfg.Timeout)
	defer timer.Stop()
	select {
	case result := <-inv.done:
		return result, nil
	case <-p.exited:
		// A process that had pulled the invocation has failed it already.
		select {
		case result := <-inv.done:
			return result, nil
		default:
			return p.failure(id), nil
		}
	case <-timer.C:
		h.stop(p)
		return functionError(id, "Sandbox.Timedout", fmt.Sprintf("Task timed out after %.2f seconds", h.cfg.Timeout.Seconds())), nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// withdraw forgets an invocation that is over, whether or not the handler
// pulled it, so the next turn finds the queue empty.
func (h *Host) withdraw(inv *invocation) {
	h.mu.Lock()
	defer h.mu.Unlock()
	inv.withdrawn = true
	select {
	case <-h.queue:
	default:
	}
	delete(h.pending, inv.id)
}

// claim makes an invocation a /next request received pending, unless the
// request was made by a process that has since died (its connection may
// outlive it for a moment): then the invocation goes back to the queue for
// the running process, if its turn is not over.
func (h *Host) claim(inv *invocation, generation int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if generation != h.generation || h.process == nil {
		if !inv.withdrawn {
			h.queue <- inv // the queue holds one turn's invocation, just taken
		}
		return false
	}
	h.pending[inv.id] = inv
	return true
}

// Close stops the handler process and the Runtime API server.
func (h *Host) Close() error {
	h.mu.Lock()
	h.closed = true
	p := h.process
	h.mu.Unlock()
	h.stop(p)
	return h.server.Close()
}

// ensureProcess returns the running handler process, starting it unless it
// runs.
func (h *Host) ensureProcess() (*process, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	if h.process != nil {
		return h.process, nil
	}
	cmd := exec.Command(h.cfg.Command[0], h.cfg.Command[1:]...)
	cmd.Dir = filepath.Dir(h.cfg.Command[0])
	cmd.Env = h.environment(cmd.Dir)
	logs := h.cfg.Logs
	if logs == nil {
		logs = io.Discard
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	// A handler's children may keep its output open; Wait gives up on them.
	cmd.WaitDelay = time.Second
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	h.process = p
	h.generation++
	go func() {
		p.waitErr = cmd.Wait()
		h.processExited(p)
		close(p.exited)
	}()
	return p, nil
}

// environment is what Lambda sets for a provided.al2023 function, plus
// Config.Env. Nothing of the emulator's own environment is passed on but
// PATH and the temporary directory: credentials in it must not reach the
// handler, which in AWS sees only its own.
func (h *Host) environment(taskRoot string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"TMPDIR=" + os.TempDir(),
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
		"LAMBDA_TASK_ROOT=" + taskRoot,
		"LAMBDA_RUNTIME_DIR=" + taskRoot,
		"AWS_LAMBDA_RUNTIME_API=" + h.RuntimeAPI(),
		"AWS_LAMBDA_FUNCTION_NAME=" + h.cfg.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + h.cfg.FunctionName,
		"AWS_LAMBDA_LOG_STREAM_NAME=" + time.Now().UTC().Format("2006/01/02") + "/[$LATEST]local",
		"AWS_REGION=" + h.cfg.Region,
		"AWS_DEFAULT_REGION=" + h.cfg.Region,
		"_HANDLER=" + filepath.Base(h.cfg.Command[0]),
	}
	return append(env, h.cfg.Env...)
}

// processExited fails the invocations the process had pulled, as Lambda
// reports a runtime that died.
func (h *Host) processExited(p *process) {
	h.mu.Lock()
	if h.process == p {
		h.process = nil
	}
	pending := h.pending
	h.pending = map[string]*invocation{}
	h.mu.Unlock()
	for _, inv := range pending {
		inv.finish(p.failure(inv.id))
	}
}

// failure is the result of an invocation the process left unanswered: its
// init error, or Runtime.ExitError.
func (p *process) failure(requestID string) Result {
	if p.initError != nil {
		var document struct{ ErrorType, ErrorMessage string }
		_ = json.Unmarshal(p.initError, &document)
		if document.ErrorType == "" {
			document.ErrorType = "Runtime.Unknown"
		}
		return functionError(requestID, document.ErrorType, document.ErrorMessage)
	}
	if p.waitErr != nil {
		return functionError(requestID, "Runtime.ExitError", "Runtime exited with error: "+p.waitErr.Error())
	}
	return functionError(requestID, "Runtime.ExitError", "Runtime exited without providing a reason")
}

// stop kills a process (nil is none) and waits until it has exited.
func (h *Host) stop(p *process) {
	if p == nil {
		return
	}
	killProcessGroup(p.cmd)
	<-p.exited
}

func (h *Host) take(id string) (*invocation, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	inv, ok := h.pending[id]
	delete(h.pending, id)
	return inv, ok
}

// functionError builds the result Lambda returns for an invocation the
// runtime failed: "RequestId: {id} Error: {message}" with the error's type.
func functionError(requestID, errorType, message string) Result {
	body, _ := json.Marshal(map[string]string{"errorType": errorType, "errorMessage": "RequestId: " + requestID + " Error: " + message})
	return Result{Payload: body, FunctionError: "Unhandled"}
}
