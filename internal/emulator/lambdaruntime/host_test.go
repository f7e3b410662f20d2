package lambdaruntime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The test binary is also the handler under test: run with
// LAMBDARUNTIME_TEST_HANDLER set, it is an ordinary aws-lambda-go function,
// started by lambda.Start exactly as in AWS.
func TestMain(m *testing.M) {
	switch os.Getenv("LAMBDARUNTIME_TEST_HANDLER") {
	case "":
		os.Exit(m.Run())
	case "exit":
		os.Exit(2) // before the first /next, as a handler dying in its init
	case "init-error":
		postInitError()
	default:
		lambda.Start(testHandler)
	}
}

// postInitError reports a failed init as a custom runtime does, then
// waits to be stopped.
func postInitError() {
	request, _ := http.NewRequest(http.MethodPost, "http://"+os.Getenv("AWS_LAMBDA_RUNTIME_API")+"/2018-06-01/runtime/init/error",
		strings.NewReader(`{"errorMessage":"no configuration","errorType":"Config.Missing"}`))
	request.Header.Set("Lambda-Runtime-Function-Error-Type", "Config.Missing")
	if response, err := http.DefaultClient.Do(request); err == nil {
		response.Body.Close()
	}
	time.Sleep(time.Minute)
}

type testEvent struct {
	Say   string `json:"say"`
	Fail  bool   `json:"fail"`
	Sleep string `json:"sleep"`
	Exit  bool   `json:"exit"`
	// Env names variables the reply reports.
	Env []string `json:"env"`
}

type testReply struct {
	Echo        string `json:"echo"`
	FunctionARN string `json:"functionArn"`
	RequestID   string `json:"requestId"`
	Function    string `json:"function"`
	HasDeadline bool   `json:"hasDeadline"`
	PID         int    `json:"pid"`
	WorkingDir  string `json:"workingDir"`
	// Env holds the variables asked for, "" for an unset one.
	Env map[string]string `json:"env"`
}

func testHandler(ctx context.Context, event testEvent) (testReply, error) {
	if event.Sleep != "" {
		d, _ := time.ParseDuration(event.Sleep)
		time.Sleep(d)
	}
	if event.Exit {
		os.Exit(3)
	}
	if event.Fail {
		return testReply{}, errors.New("asked to fail: " + event.Say)
	}
	lc, _ := lambdacontext.FromContext(ctx)
	_, hasDeadline := ctx.Deadline()
	env := map[string]string{}
	for _, name := range event.Env {
		env[name] = os.Getenv(name)
	}
	wd, _ := os.Getwd()
	return testReply{Echo: event.Say, FunctionARN: lc.InvokedFunctionArn, RequestID: lc.AwsRequestID,
		Function: lambdacontext.FunctionName, HasDeadline: hasDeadline, PID: os.Getpid(), WorkingDir: wd, Env: env}, nil
}

func startTestHost(t *testing.T, timeout time.Duration) *Host {
	t.Helper()
	return startTestHostAs(t, timeout, "handler")
}

// startTestHostAs runs this test binary as the handler, in a mode of
// TestMain's.
func startTestHostAs(t *testing.T, timeout time.Duration, mode string) *Host {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h, err := Start(Config{
		FunctionName: "echo", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:echo", Region: "us-east-1",
		Command: []string{self}, Env: []string{"LAMBDARUNTIME_TEST_HANDLER=" + mode}, Timeout: timeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

func invoke(t *testing.T, h *Host, event string) Result {
	t.Helper()
	r, err := h.Invoke(context.Background(), []byte(event))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAnAWSLambdaGoHandlerAnswersThroughTheRuntimeAPI(t *testing.T) {
	h := startTestHost(t, 10*time.Second)
	r := invoke(t, h, `{"say":"hello"}`)
	if r.FunctionError != "" {
		t.Fatalf("function error %s: %s", r.FunctionError, r.Payload)
	}
	var reply testReply
	if err := json.Unmarshal(r.Payload, &reply); err != nil {
		t.Fatal(err)
	}
	if reply.Echo != "hello" || reply.FunctionARN != h.cfg.FunctionARN || reply.RequestID == "" || reply.Function != "echo" || !reply.HasDeadline {
		t.Fatalf("the handler saw %+v", reply)
	}

	// One environment serves invocations one at a time, all of them.
	var wg sync.WaitGroup
	results := make([]Result, 5)
	for i := range results {
		wg.Go(func() { results[i] = invoke(t, h, fmt.Sprintf(`{"say":"n%d"}`, i)) })
	}
	wg.Wait()
	for i, r := range results {
		if !strings.Contains(string(r.Payload), fmt.Sprintf(`"echo":"n%d"`, i)) {
			t.Errorf("invocation %d got %s", i, r.Payload)
		}
	}
}

func TestHandlerErrorsComeBackAsLambdaReportsThem(t *testing.T) {
	h := startTestHost(t, 10*time.Second)
	r := invoke(t, h, `{"say":"x","fail":true}`)
	if r.FunctionError != "Unhandled" || !strings.Contains(string(r.Payload), `"errorMessage":"asked to fail: x"`) {
		t.Fatalf("result %s %s", r.FunctionError, r.Payload)
	}
	// The environment keeps serving after a handled error.
	if r := invoke(t, h, `{"say":"again"}`); r.FunctionError != "" {
		t.Fatalf("after an error: %s", r.Payload)
	}
}

func TestTimeoutsAndCrashesRestartTheEnvironment(t *testing.T) {
	h := startTestHost(t, time.Second)
	r := invoke(t, h, `{"sleep":"5s"}`)
	if r.FunctionError != "Unhandled" || !strings.Contains(string(r.Payload), "Task timed out after 1.00 seconds") {
		t.Fatalf("timeout result %s %s", r.FunctionError, r.Payload)
	}
	r = invoke(t, h, `{"exit":true}`)
	if r.FunctionError != "Unhandled" || !strings.Contains(string(r.Payload), "Runtime.ExitError") {
		t.Fatalf("crash result %s %s", r.FunctionError, r.Payload)
	}
	if r := invoke(t, h, `{"say":"back"}`); !strings.Contains(string(r.Payload), `"echo":"back"`) {
		t.Fatalf("after a timeout and a crash: %s %s", r.FunctionError, r.Payload)
	}
}

func TestTheHandlerSeesLambdasEnvironmentAndNotTheEmulators(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "the emulator's own")
	h := startTestHost(t, 10*time.Second)
	names := []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION", "AWS_DEFAULT_REGION", "_HANDLER",
		"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_LOG_GROUP_NAME", "TZ", "AWS_SECRET_ACCESS_KEY"}
	event, _ := json.Marshal(testEvent{Env: names})
	var reply testReply
	if err := json.Unmarshal(invoke(t, h, string(event)).Payload, &reply); err != nil {
		t.Fatal(err)
	}
	self, _ := os.Executable()
	want := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": "echo", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
		"_HANDLER": filepath.Base(self), "AWS_LAMBDA_RUNTIME_API": h.RuntimeAPI(), "LAMBDA_TASK_ROOT": filepath.Dir(self),
		"AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/echo", "TZ": ":UTC", "AWS_SECRET_ACCESS_KEY": "",
	}
	for name, value := range want {
		if reply.Env[name] != value {
			t.Errorf("%s = %q, want %q", name, reply.Env[name], value)
		}
	}
	if reply.WorkingDir != filepath.Dir(self) {
		t.Errorf("working directory %s, want the handler's %s", reply.WorkingDir, filepath.Dir(self))
	}
}

func TestAnInvocationNamesTheARNItWasInvokedBy(t *testing.T) {
	h := startTestHost(t, 10*time.Second)
	alias := h.cfg.FunctionARN + ":live"
	r, err := h.InvokeAs(context.Background(), alias, []byte(`{}`))
	if err != nil || !strings.Contains(string(r.Payload), `"functionArn":"`+alias+`"`) {
		t.Fatalf("InvokeAs = %s, %v", r.Payload, err)
	}
}

func TestTheTimeoutCountsFromAnInvocationsTurn(t *testing.T) {
	h := startTestHost(t, 1500*time.Millisecond)
	// Three invocations of 0.6 s each, one after the other: the last waits
	// 1.2 s for its turn, which its timeout does not count.
	var wg sync.WaitGroup
	results := make([]Result, 3)
	for i := range results {
		wg.Go(func() { results[i] = invoke(t, h, `{"sleep":"600ms"}`) })
	}
	wg.Wait()
	for i, r := range results {
		if r.FunctionError != "" {
			t.Errorf("invocation %d: %s", i, r.Payload)
		}
	}
}

func TestAHandlerThatDiesOrFailsItsInitFailsTheInvocation(t *testing.T) {
	for mode, want := range map[string]string{
		"exit":       `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: * Error: Runtime exited with error: exit status 2"}`,
		"init-error": `{"errorType":"Config.Missing","errorMessage":"RequestId: * Error: no configuration"}`,
	} {
		h := startTestHostAs(t, 10*time.Second, mode)
		start := time.Now()
		r := invoke(t, h, `{}`)
		if r.FunctionError != "Unhandled" || !matchesDocument(t, r.Payload, want) || time.Since(start) > 5*time.Second {
			t.Errorf("%s: %s %s after %v", mode, r.FunctionError, r.Payload, time.Since(start))
		}
	}
}

func TestAHandlerThatCannotStartIsAnInvalidEntrypoint(t *testing.T) {
	h, err := Start(Config{FunctionName: "gone", Region: "us-east-1", Command: []string{filepath.Join(t.TempDir(), "bootstrap")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	r := invoke(t, h, `{}`)
	if r.FunctionError != "Unhandled" || !strings.Contains(string(r.Payload), `"errorType":"Runtime.InvalidEntrypoint"`) {
		t.Fatalf("result %s %s", r.FunctionError, r.Payload)
	}
}

func TestCloseStopsTheHandler(t *testing.T) {
	h := startTestHost(t, 10*time.Second)
	var reply testReply
	if err := json.Unmarshal(invoke(t, h, `{}`).Payload, &reply); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if process, err := os.FindProcess(reply.PID); err == nil && process.Signal(syscall.Signal(0)) == nil {
		t.Fatalf("handler process %d still runs", reply.PID)
	}
	if _, err := h.Invoke(context.Background(), []byte(`{}`)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Invoke after Close: %v", err)
	}
}

// matchesDocument compares an error document with want, whose "*" stands
// for the request id.
func matchesDocument(t *testing.T, payload []byte, want string) bool {
	t.Helper()
	var got struct{ ErrorType, ErrorMessage string }
	if err := json.Unmarshal(payload, &got); err != nil {
		t.Fatal(err)
	}
	var pattern struct{ ErrorType, ErrorMessage string }
	if err := json.Unmarshal([]byte(want), &pattern); err != nil {
		t.Fatal(err)
	}
	prefix, suffix, _ := strings.Cut(pattern.ErrorMessage, "*")
	return got.ErrorType == pattern.ErrorType && strings.HasPrefix(got.ErrorMessage, prefix) && strings.HasSuffix(got.ErrorMessage, suffix) &&
		len(got.ErrorMessage) == len(prefix)+36+len(suffix)
}
