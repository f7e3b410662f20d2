package lambda

import (
	"bytes"
	"io"
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// maxPayloadBytes is Lambda's limit of a synchronous request and response
// payload: 6 MB.
const maxPayloadBytes = 6 << 20

// invoke runs a function the emulator can reach: it POSTs the payload to the
// function's endpoint and answers its body. The endpoint is called after the
// state lock is released (core.Deferred). A function of another account is
// invoked when its policy allows the caller.
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
	if t.Endpoint == "" {
		return 0, nil, notInvocable(t.Name)
	}
	endpoint, client := t.Endpoint, svc.client
	status := http.StatusOK
	if invocationType == "Event" {
		// Delivered before the answer, so a caller sees its effect; the
		// function's answer is dropped as AWS drops it.
		status = http.StatusAccepted
	}
	return 0, core.Deferred(func() (int, any, error) {
		payload, functionError, err := post(client, endpoint, body)
		if err != nil {
			return 0, nil, endpointFailed(endpoint, err)
		}
		header := http.Header{"X-Amz-Executed-Version": {latest}}
		if status == http.StatusAccepted {
			return status, &core.Raw{Header: header}, nil
		}
		header.Set("Content-Type", "application/json")
		if functionError {
			header.Set("X-Amz-Function-Error", "Unhandled")
		}
		return status, &core.Raw{Header: header, Body: payload}, nil
	}), nil
}

// post sends the payload to an endpoint; an answer other than 2xx is the
// function's error.
func post(client *http.Client, endpoint string, payload []byte) (body []byte, functionError bool, err error) {
	resp, err := client.Post(endpoint, "application/json", bytes.NewReader(payload))
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxPayloadBytes))
	if err != nil {
		return nil, false, err
	}
	return body, resp.StatusCode < 200 || resp.StatusCode > 299, nil
}
