package lambdaruntime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The test binary is also the handler under test: run with
// LAMBDARUNTIME_TEST_HANDLER set, it is an ordinary aws-lambda-go function,
// started by lambda.Start exactly as in AWS.
func TestMain(m *testing.M) {
	if os.Getenv("LAMBDARUNTIME_TEST_HANDLER") != "" {
		lambda.Start(testHandler)
		return
	}
	os.Exit(m.Run())
}

type testEvent struct {
	Say   string `json:"say"`
	Fail  bool   `json:"fail"`
	Sleep string `json:"sleep"`
	Exit  bool   `json:"exit"`
}

type testReply struct {
	Echo        string `json:"echo"`
	FunctionARN string `json:"functionArn"`
	RequestID   string `json:"requestId"`
	Function    string `json:"function"`
	HasDeadline bool   `json:"hasDeadline"`
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
	return testReply{Echo: event.Say, FunctionARN: lc.InvokedFunctionArn, RequestID: lc.AwsRequestID,
		Function: lambdacontext.FunctionName, HasDeadline: hasDeadline}, nil
}

func startTestHost(t *testing.T, timeout time.Duration) *Host {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h, err := Start(Config{
		FunctionName: "echo", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:echo", Region: "us-east-1",
		Command: []string{self}, Env: []string{"LAMBDARUNTIME_TEST_HANDLER=1"}, Timeout: timeout,
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
