package core_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

func TestBurstBeyondQuotaIsThrottled(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{Quotas: true})
	noRetry := e.V2(sdktest.ClientOptions{MaxAttempts: 1})

	var throttled, succeeded atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := noRetry.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{})
			var tooMany *types.TooManyRequestsException
			switch {
			case err == nil:
				succeeded.Add(1)
			case errors.As(err, &tooMany) && tooMany.ErrorMessage() == "Too Many Requests":
				throttled.Add(1)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	// A burst of 40, refilled at 10/s while the 60 calls run.
	if succeeded.Load() < 40 || throttled.Load() == 0 {
		t.Fatalf("succeeded %d, throttled %d of 60; want about 40 through", succeeded.Load(), throttled.Load())
	}
	stats := e.Server.Stats()
	if stats.Throttled["GetApis"] != throttled.Load() || stats.Calls["GetApis"] != 60 {
		t.Fatalf("stats = %+v, want 60 calls and %d throttled", stats, throttled.Load())
	}

	// The SDK's own retries get a throttled call through once tokens refill.
	withRetries := e.V2(sdktest.ClientOptions{MaxAttempts: 10})
	if _, err := withRetries.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}); err != nil {
		t.Fatalf("GetApis with retries: %v", err)
	}
}

func TestCreateDeploymentHasItsOwnQuota(t *testing.T) {
	// 1 per 5 s, sped up 10×: one per 0.5 s.
	e := sdktest.Start(t, emulator.Options{Quotas: true, QuotaTimeScale: 10})
	client := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	api := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{Name: aws.String("d"), ProtocolType: types.ProtocolTypeHttp}))(t)

	sdktest.Must(client.CreateDeployment(sdktest.Ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId}))(t)
	_, err := client.CreateDeployment(sdktest.Ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId})
	sdktest.RequireTyped[*types.TooManyRequestsException](t, err, "Too Many Requests")
	time.Sleep(550 * time.Millisecond)
	sdktest.Must(client.CreateDeployment(sdktest.Ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId}))(t)
	if got := e.Server.Stats().Throttled["CreateDeployment"]; got != 1 {
		t.Fatalf("throttled CreateDeployment = %d, want 1", got)
	}
}

func TestQuotasAreOffByDefault(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	for i := 0; i < 60; i++ {
		sdktest.Must(client.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}))(t)
	}
	if n := len(e.Server.Stats().Throttled); n != 0 {
		t.Fatalf("throttled without quotas: %v", e.Server.Stats().Throttled)
	}
}

func TestInjectedFaults(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{FaultRate: 1})
	client := e.V2(sdktest.ClientOptions{MaxAttempts: 1})
	_, err := client.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{})
	var apiErr interface{ ErrorCode() string }
	if !errors.As(err, &apiErr) || (apiErr.ErrorCode() != "InternalServerErrorException" && apiErr.ErrorCode() != "ServiceUnavailableException") {
		t.Fatalf("error = %v, want an injected 500/503", err)
	}
	if got := e.Server.Stats().Faults["GetApis"]; got != 1 {
		t.Fatalf("faults = %d, want 1", got)
	}
	// The SDK retries 5xx: three attempts, three faults.
	_, err = e.V2(sdktest.ClientOptions{}).GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{})
	if err == nil || e.Server.Stats().Faults["GetApis"] != 4 {
		t.Fatalf("err %v, faults %d; want a failure after 3 more faulted attempts", err, e.Server.Stats().Faults["GetApis"])
	}
}

func TestLatencyIsAddedToControlPlaneCalls(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{Latency: 80 * time.Millisecond})
	started := time.Now()
	sdktest.Must(e.V2(sdktest.ClientOptions{}).GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}))(t)
	if elapsed := time.Since(started); elapsed < 80*time.Millisecond {
		t.Fatalf("call took %v, want at least the 80ms latency", elapsed)
	}
}

func TestStateSurvivesARestart(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	first, baseURL, err := emulator.Start(emulator.Options{StateFile: stateFile}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &sdktest.Emulator{Server: first, BaseURL: baseURL}
	api := sdktest.Must(e.V2(sdktest.ClientOptions{Region: "ap-south-1"}).CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("durable"), ProtocolType: types.ProtocolTypeHttp, Tags: map[string]string{"k": "v"},
	}))(t)
	sdktest.Must(e.V2(sdktest.ClientOptions{Region: "ap-south-1"}).CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod")}))(t)
	// No Close before the second start: the state must already be on disk,
	// as after SIGKILL.

	second := sdktest.Start(t, emulator.Options{StateFile: stateFile})
	client := second.V2(sdktest.ClientOptions{Region: "ap-south-1"})
	got := sdktest.Must(client.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t)
	if *got.Name != "durable" || got.Tags["k"] != "v" || !got.CreatedDate.Equal(*api.CreatedDate) {
		t.Fatalf("restored api = %+v", got)
	}
	sdktest.Must(client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")}))(t)
	first.Close()
}

func TestStateFileIsReplacedAtomically(t *testing.T) {
	dir := t.TempDir()
	stateFile := filepath.Join(dir, "state.json")
	e := sdktest.Start(t, emulator.Options{StateFile: stateFile})
	client := e.V2(sdktest.ClientOptions{})
	sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{Name: aws.String("seed"), ProtocolType: types.ProtocolTypeHttp}))(t)

	stop := make(chan struct{})
	var reads, torn atomic.Int64
	var readers sync.WaitGroup
	for i := 0; i < 2; i++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				data, err := os.ReadFile(stateFile)
				reads.Add(1)
				var doc core.StateDocument
				if err != nil || json.Unmarshal(data, &doc) != nil || doc.Version != core.StateFileVersion {
					torn.Add(1)
				}
			}
		}()
	}
	for i := 0; i < 40; i++ {
		sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{Name: aws.String("many"), ProtocolType: types.ProtocolTypeHttp,
			Description: aws.String("padding so that each write is larger")}))(t)
	}
	close(stop)
	readers.Wait()
	if torn.Load() != 0 || reads.Load() == 0 {
		t.Fatalf("%d of %d reads saw a missing or partial state file", torn.Load(), reads.Load())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("state directory holds %d entries, want only the state file (no temporary files left)", len(entries))
	}
}

func TestRequestIDAndStatsEndpoints(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	sdktest.Must(e.V2(sdktest.ClientOptions{}).GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}))(t)

	response, err := http.Get(e.BaseURL + "/_emulator/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	var stats emulator.Stats
	if err := json.NewDecoder(response.Body).Decode(&stats); err != nil || stats.Calls["GetApis"] != 1 {
		t.Fatalf("stats = %+v (%v), want one GetApis", stats, err)
	}
	if response.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("response has no x-amzn-RequestId")
	}
	reset, err := http.Post(e.BaseURL+"/_emulator/reset-stats", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	reset.Body.Close()
	if calls := e.Server.Stats().Calls; len(calls) != 0 {
		t.Fatalf("calls after reset = %v", calls)
	}
	unknown, err := http.Get(e.BaseURL + "/v2/nothing-here")
	if err != nil {
		t.Fatal(err)
	}
	unknown.Body.Close()
	if unknown.StatusCode != http.StatusNotFound || unknown.Header.Get("x-amzn-ErrorType") != "UnknownOperationException" {
		t.Fatalf("unknown path = %d %q", unknown.StatusCode, unknown.Header.Get("x-amzn-ErrorType"))
	}
}

// adminRequest calls an admin endpoint, signed with key and secret unless
// key is empty, as any SigV4 client would sign it, and returns the response's
// status and x-amzn-ErrorType header (its body is read by no test and closed).
func adminRequest(t *testing.T, e *sdktest.Emulator, method, path, key, secret string) (status int, errorType string) {
	t.Helper()
	request, err := http.NewRequest(method, e.BaseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		emptyPayload := sha256.Sum256(nil)
		creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
		if err := v4.NewSigner().SignHTTP(sdktest.Ctx, creds, request, hex.EncodeToString(emptyPayload[:]), "apigateway", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	response.Body.Close()
	return response.StatusCode, response.Header.Get("x-amzn-ErrorType")
}

// TestAdminEndpointsNeedASignatureWhenCredentialsAreConfigured: the counters
// say which operations an account runs, so with SigV4 on they are refused
// as a management call would be.
func TestAdminEndpointsNeedASignatureWhenCredentialsAreConfigured(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{Credentials: []emulator.Credential{{AccessKeyID: "AKIDADMIN", SecretAccessKey: "right", Account: "123456789012"}}})
	refusals := []struct {
		name, key, secret, code string
	}{
		{"unsigned", "", "", "MissingAuthenticationTokenException"},
		{"unknown key", "AKIDWHO", "right", "UnrecognizedClientException"},
		{"wrong secret", "AKIDADMIN", "wrong", "InvalidSignatureException"},
	}
	for _, tt := range refusals {
		for _, call := range [][2]string{{http.MethodGet, "/_emulator/stats"}, {http.MethodPost, "/_emulator/reset-stats"}} {
			status, errorType := adminRequest(t, e, call[0], call[1], tt.key, tt.secret)
			if status != http.StatusForbidden || errorType != tt.code {
				t.Errorf("%s %s %s = %d %q, want 403 %s", tt.name, call[0], call[1], status, errorType, tt.code)
			}
		}
	}
	if status, _ := adminRequest(t, e, http.MethodGet, "/_emulator/stats", "AKIDADMIN", "right"); status != http.StatusOK {
		t.Errorf("signed GET stats = %d, want 200", status)
	}
	if status, _ := adminRequest(t, e, http.MethodPost, "/_emulator/reset-stats", "AKIDADMIN", "right"); status != http.StatusNoContent {
		t.Errorf("signed POST reset-stats = %d, want 204", status)
	}
}
