package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// maxPayloadBytes is Lambda's limit of a synchronous request and response
// payload: 6 MB.
const maxPayloadBytes = 6 << 20

// run executes one invocation of a function. It is made under the state
// lock (runner) and called after it is released: it reads no state.
type run func(ctx context.Context, payload []byte) (execute.Invocation, error)

// errBackendUnreachable wraps a failure to reach a function at all (an
// endpoint that does not answer), which is not the function's error.
var errBackendUnreachable = errors.New("the function could not be reached")

// runner returns how a function is run: its handler in its execution
// environment, or a POST to its endpoint.
func (svc *Service) runner(t *target) (run, error) {
	invokedARN := t.arn()
	if t.Qualified {
		invokedARN += ":" + t.Qualifier
	}
	switch {
	case t.Handler != "":
		fn := *t
		return func(ctx context.Context, payload []byte) (execute.Invocation, error) {
			host, err := svc.hosts.host(&fn)
			if err != nil {
				return execute.Invocation{}, err
			}
			result, err := host.InvokeAs(ctx, invokedARN, payload)
			return execute.Invocation{Payload: result.Payload, FunctionError: result.FunctionError}, err
		}, nil
	case t.Endpoint != "":
		endpoint, timeout := t.Endpoint, t.timeout()
		return func(ctx context.Context, payload []byte) (execute.Invocation, error) {
			ctx, cancel := context.WithTimeoutCause(ctx, timeout, errFunctionTimedOut)
			defer cancel()
			invocation, err := post(ctx, svc.client, endpoint, payload)
			if errors.Is(context.Cause(ctx), errFunctionTimedOut) {
				return timedOut(timeout), nil
			}
			return invocation, err
		}, nil
	}
	return nil, notInvocable(t.Name)
}

var errFunctionTimedOut = errors.New("function timed out")

// timedOut is Lambda's answer for a function that ran out of time.
func timedOut(timeout time.Duration) execute.Invocation {
	id, _ := core.NewRequestID()
	document, _ := json.Marshal(map[string]string{
		"errorType":    "Sandbox.Timedout",
		"errorMessage": fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", id, timeout.Seconds()),
	})
	return execute.Invocation{Payload: document, FunctionError: "Unhandled"}
}

// post sends the payload to an endpoint; an answer other than 2xx is the
// function's error, its body the error document.
func post(ctx context.Context, client *http.Client, endpoint string, payload []byte) (execute.Invocation, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return execute.Invocation{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return execute.Invocation{}, fmt.Errorf("%w: %w", errBackendUnreachable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPayloadBytes))
	if err != nil {
		return execute.Invocation{}, fmt.Errorf("%w: %w", errBackendUnreachable, err)
	}
	invocation := execute.Invocation{Payload: body}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		invocation.FunctionError = "Unhandled"
	}
	return invocation, nil
}

// invoke runs a function the emulator can run: its handler, or its
// endpoint. It runs after the state lock is released (core.Deferred). A
// function of another account is invoked when its policy allows the caller.
func (svc *Service) invoke(c *core.Call, r *http.Request, body []byte, params core.PathParams) (int, any, error) {
	invocationType := r.Header.Get("X-Amz-Invocation-Type")
	switch invocationType {
	case "", "RequestResponse", "Event", "DryRun":
	default:
		var problems validation
		problems.fail(invocationType, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
		return 0, nil, problems.err()
	}
	if len(body) > maxPayloadBytes {
		return 0, nil, requestTooLarge(maxPayloadBytes)
	}
	t, err := svc.resolve(c, params["FunctionName"], r, resolveOptions{crossAccount: true})
	if err != nil {
		return 0, nil, err
	}
	if t.Account != c.Account && !svc.Allows(t.Account, t.Region, t.resourceARN(), c.Caller.Arn, "") {
		return 0, nil, accessDenied(c.Caller.Arn, "lambda:InvokeFunction", t.resourceARN())
	}
	if invocationType == "DryRun" {
		return http.StatusNoContent, nil, nil
	}
	runFunction, err := svc.runner(t)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	return 0, core.Deferred(func() (int, any, error) {
		invocation, err := runFunction(ctx, body)
		if err != nil {
			return 0, nil, runFailed(t.Name, err)
		}
		header := http.Header{"X-Amz-Executed-Version": {latest}}
		if invocationType == "Event" {
			// Run before the answer, so a caller sees its effect; the
			// function's answer is dropped as AWS drops it.
			return http.StatusAccepted, &core.Raw{Header: header}, nil
		}
		header.Set("Content-Type", "application/json")
		if invocation.FunctionError != "" {
			header.Set("X-Amz-Function-Error", invocation.FunctionError)
		}
		return http.StatusOK, &core.Raw{Header: header, Body: invocation.Payload}, nil
	}), nil
}
