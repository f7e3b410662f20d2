package lambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// proxyAnswer is testlambda's answer to an event that is not an
// authorizer's.
type proxyAnswer struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
}

func decodeProxyAnswer(t *testing.T, payload []byte) proxyAnswer {
	t.Helper()
	var answer proxyAnswer
	if err := json.Unmarshal(payload, &answer); err != nil {
		t.Fatalf("answer %s: %v", payload, err)
	}
	return answer
}

// errorDocument is a function error's payload.
type errorDocument struct {
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

func invokeFailed(t *testing.T, out *lambda.InvokeOutput) errorDocument {
	t.Helper()
	if out.StatusCode != http.StatusOK || out.FunctionError == nil || *out.FunctionError != "Unhandled" {
		t.Fatalf("Invoke = %d, function error %v, %s; want 200 and Unhandled", out.StatusCode, out.FunctionError, out.Payload)
	}
	var document errorDocument
	if err := json.Unmarshal(out.Payload, &document); err != nil {
		t.Fatalf("error document %s: %v", out.Payload, err)
	}
	return document
}

func TestInvokeRunsAnAWSLambdaGoBinary(t *testing.T) {
	t.Parallel()
	e := start(t, emulator.Options{}, "echo:live=exec:"+sdktest.BuildTestLambda(t))
	c := client(e, sdktest.ClientOptions{})

	event := `{"resource":"/pets","httpMethod":"GET","headers":{"x-test-status":"201"}}`
	out := sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("echo:live"), Payload: []byte(event)}))(t)
	answer := decodeProxyAnswer(t, out.Payload)
	if out.StatusCode != http.StatusOK || out.FunctionError != nil || *out.ExecutedVersion != "$LATEST" ||
		answer.StatusCode != http.StatusCreated || answer.Headers["x-handler"] != "testlambda" || answer.Body != event {
		t.Fatalf("Invoke = %d %v %s", out.StatusCode, out.FunctionError, out.Payload)
	}

	// The handler's error is the function's: 200, Unhandled, its document.
	out = sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"),
		Payload: []byte(`{"type":"TOKEN","authorizationToken":"nobody","methodArn":"arn:aws:execute-api:us-east-1:000000000000:a/s/GET/"}`)}))(t)
	if document := invokeFailed(t, out); document.ErrorMessage != "Unauthorized" || document.ErrorType != "errorString" {
		t.Fatalf("handler error = %+v", document)
	}

	// Invocations at once all run, one after the other, in one process.
	var wg sync.WaitGroup
	payloads := make([][]byte, 8)
	for i := range payloads {
		wg.Go(func() {
			out, err := c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"n":` + string(rune('0'+i)) + `}`)})
			if err != nil {
				t.Errorf("invocation %d: %v", i, err)
				return
			}
			payloads[i] = out.Payload
		})
	}
	wg.Wait()
	for i, payload := range payloads {
		if answer := decodeProxyAnswer(t, payload); answer.Body != `{"n":`+string(rune('0'+i))+`}` {
			t.Errorf("invocation %d answered %s", i, payload)
		}
	}

	// An Event invocation runs before its 202.
	out = sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{}`)}))(t)
	if out.StatusCode != http.StatusAccepted || len(out.Payload) != 0 {
		t.Fatalf("Event Invoke = %d %s", out.StatusCode, out.Payload)
	}
}

// script writes an executable shell script into a temporary directory.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInvokeReportsTimeoutsAndCrashesAsLambdaDoes(t *testing.T) {
	t.Parallel()
	stuck := make(chan struct{})
	slowEndpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stuck:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(stuck); slowEndpoint.Close() })
	e := start(t, emulator.Options{}, "slowendpoint@1="+slowEndpoint.URL, "crashes=exec:"+script(t, "exit 3"))
	c := client(e, sdktest.ClientOptions{})
	// A handler that never asks for its invocation, registered through the
	// admin API with a timeout.
	if status, answer := admin(t, e, http.MethodPost, "/_emulator/lambda/functions",
		`{"name":"sleeps","timeout":1,"handler":"`+script(t, "exec sleep 60")+`"}`, ""); status != http.StatusCreated {
		t.Fatalf("registration = %d %s", status, answer)
	}
	if cfg := sdktest.Must(c.GetFunction(sdktest.Ctx, &lambda.GetFunctionInput{FunctionName: aws.String("sleeps")}))(t).Configuration; *cfg.Timeout != 1 {
		t.Fatalf("GetFunction's Timeout = %d, want the registration's 1", *cfg.Timeout)
	}

	for _, name := range []string{"sleeps", "slowendpoint"} {
		began := time.Now()
		out := sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String(name)}))(t)
		document := invokeFailed(t, out)
		if document.ErrorType != "Sandbox.Timedout" || !strings.HasPrefix(document.ErrorMessage, "RequestId: ") ||
			!strings.HasSuffix(document.ErrorMessage, " Error: Task timed out after 1.00 seconds") {
			t.Errorf("%s: timeout = %+v", name, document)
		}
		if took := time.Since(began); took < time.Second || took > 5*time.Second {
			t.Errorf("%s: timed out after %v, want about 1 s", name, took)
		}
	}

	out := sdktest.Must(c.Invoke(sdktest.Ctx, &lambda.InvokeInput{FunctionName: aws.String("crashes")}))(t)
	if document := invokeFailed(t, out); document.ErrorType != "Runtime.ExitError" ||
		!strings.HasSuffix(document.ErrorMessage, "Error: Runtime exited with error: exit status 3") {
		t.Fatalf("crash = %+v", document)
	}
}

const (
	gatewayFunction = "arn:aws:lambda:us-east-1:" + account + ":function:echo"
	restAPIRoute    = "arn:aws:execute-api:us-east-1:" + account + ":abc123/prod/GET/pets"
)

func TestInvokeAsAPIGatewayNeedsAPermissionForTheSource(t *testing.T) {
	t.Parallel()
	e := start(t, emulator.Options{}, "echo:live=exec:"+sdktest.BuildTestLambda(t))
	c := client(e, sdktest.ClientOptions{})
	functions := e.Server.Functions()
	event := []byte(`{"resource":"/pets","httpMethod":"GET"}`)

	_, err := functions.InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction, restAPIRoute, event)
	if !errors.Is(err, execute.ErrNotPermitted) {
		t.Fatalf("without a permission: %v, want ErrNotPermitted", err)
	}
	for _, unknown := range []string{gatewayFunction + "x", gatewayFunction + ":dev", "arn:aws:lambda:eu-west-1:" + account + ":function:echo:live-ish"} {
		if _, err := functions.InvokeAsAPIGateway(sdktest.Ctx, unknown, restAPIRoute, event); !errors.Is(err, execute.ErrNoSuchFunction) {
			t.Errorf("%s: %v, want ErrNoSuchFunction", unknown, err)
		}
	}

	// A permission for another principal, or for the account, is not API
	// Gateway's.
	addPermission(t, c, "echo", "", "account", account, "")
	if _, err := functions.InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction, restAPIRoute, event); !errors.Is(err, execute.ErrNotPermitted) {
		t.Fatalf("with an account's permission: %v, want ErrNotPermitted", err)
	}
	addPermission(t, c, "echo", "", "apigw", "apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:"+account+":abc123/*/GET/*")
	got, err := functions.InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction, restAPIRoute, event)
	if err != nil || got.FunctionError != "" || decodeProxyAnswer(t, got.Payload).Body != string(event) {
		t.Fatalf("with the permission: %s %q, %v", got.Payload, got.FunctionError, err)
	}
	for _, other := range []string{
		"arn:aws:execute-api:us-east-1:" + account + ":def456/prod/GET/pets",  // another API
		"arn:aws:execute-api:us-east-1:" + account + ":abc123/prod/POST/pets", // another method
	} {
		if _, err := functions.InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction, other, event); !errors.Is(err, execute.ErrNotPermitted) {
			t.Errorf("from %s: %v, want ErrNotPermitted", other, err)
		}
	}

	// An alias has its own policy.
	if _, err := functions.InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction+":live", restAPIRoute, event); !errors.Is(err, execute.ErrNotPermitted) {
		t.Fatalf("alias without a permission: %v, want ErrNotPermitted", err)
	}
	addPermission(t, c, "echo", "live", "apigw", "apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:"+account+":abc123/*")
	if _, err := functions.InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction+":live", restAPIRoute, event); err != nil {
		t.Fatalf("alias with its permission: %v", err)
	}

	// The handler's error comes back as the function's, not as an error.
	authorizer := []byte(`{"type":"TOKEN","authorizationToken":"nobody","methodArn":"` + restAPIRoute + `"}`)
	got, err = functions.InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction, restAPIRoute, authorizer)
	if err != nil || got.FunctionError != "Unhandled" || !strings.Contains(string(got.Payload), `"errorMessage":"Unauthorized"`) {
		t.Fatalf("authorizer refusing = %s %q, %v", got.Payload, got.FunctionError, err)
	}
}

func addPermission(t *testing.T, c *lambda.Client, function, qualifier, sid, principal, sourceARN string) {
	t.Helper()
	in := &lambda.AddPermissionInput{FunctionName: aws.String(function), StatementId: aws.String(sid),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String(principal)}
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	if sourceARN != "" {
		in.SourceArn = aws.String(sourceARN)
	}
	sdktest.Must(c.AddPermission(sdktest.Ctx, in))(t)
}

// A plane calls InvokeAsAPIGateway holding no lock, and the function runs
// with the state lock released: the control plane answers meanwhile.
func TestInvokeAsAPIGatewayRunsTheFunctionOutsideTheStateLock(t *testing.T) {
	t.Parallel()
	arrived, release := make(chan struct{}), make(chan struct{})
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
		_, _ = w.Write([]byte(`{"statusCode":200}`))
	}))
	t.Cleanup(endpoint.Close)
	e := start(t, emulator.Options{}, "echo="+endpoint.URL)
	c := client(e, sdktest.ClientOptions{})
	addPermission(t, c, "echo", "", "apigw", "apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:"+account+":*")

	done := make(chan error, 1)
	go func() {
		_, err := e.Server.Functions().InvokeAsAPIGateway(sdktest.Ctx, gatewayFunction, restAPIRoute, []byte(`{}`))
		done <- err
	}()
	<-arrived
	ctx, cancel := context.WithTimeout(sdktest.Ctx, 5*time.Second)
	defer cancel()
	if _, err := c.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("echo")}); err != nil {
		t.Fatalf("GetPolicy while the function runs: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
