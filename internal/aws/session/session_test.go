package session

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	v1types "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/emulator"
)

const (
	testRegion  = "us-east-1"
	testAccount = "111111111111"
	testKeyID   = "AKIAINFRAOPERATORTEST"
	testSecret  = "s3cr3t-never-printed"
)

func startEmulator(t *testing.T, opts emulator.Options) (*emulator.Server, string) {
	t.Helper()
	server, baseURL, err := emulator.Start(opts, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	return server, baseURL
}

// signedEmulator verifies SigV4 and knows one access key.
func signedEmulator(t *testing.T) string {
	_, baseURL := startEmulator(t, emulator.Options{Credentials: []emulator.Credential{
		{AccessKeyID: testKeyID, SecretAccessKey: testSecret, Account: testAccount},
	}})
	return baseURL
}

func staticSettings(endpoint string) Settings {
	return Settings{
		Region: testRegion, Endpoint: endpoint,
		Static: &StaticCredentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret},
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestCallerIdentityWithStaticCredentials(t *testing.T) {
	cfg, err := NewConfig(testCtx(t), staticSettings(signedEmulator(t)))
	if err != nil {
		t.Fatal(err)
	}
	id, err := CallerIdentity(testCtx(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if id.Account != testAccount || id.ARN == "" || id.UserID == "" {
		t.Errorf("identity = %+v, want account %s with ARN and user id", id, testAccount)
	}
}

func TestAssumeRoleActsInTheRoleAccount(t *testing.T) {
	s := staticSettings(signedEmulator(t))
	s.RoleARN = "arn:aws:iam::222222222222:role/deployer"
	s.ExternalID = "ext-42"
	factory := NewFactory(NewLimiters())
	id, err := factory.Identity(testCtx(t), "provider", s)
	if err != nil {
		t.Fatal(err)
	}
	if id.Account != "222222222222" || !strings.Contains(id.ARN, ":assumed-role/deployer/"+defaultSessionName) {
		t.Errorf("identity = %+v, want the deployer role's session", id)
	}
	// The assumed keys sign API Gateway calls, which the emulator verifies.
	client, err := httpAPIs(t, factory, "provider", s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateApi(testCtx(t), &apigatewayv2.CreateApiInput{Name: aws.String("as-role"), ProtocolType: "HTTP"}); err != nil {
		t.Fatalf("Create with assumed-role credentials: %v", err)
	}
}

func TestWrongCredentialsAreTerminal(t *testing.T) {
	baseURL := signedEmulator(t)
	for name, creds := range map[string]*StaticCredentials{
		"unknown key":  {AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"},
		"wrong secret": {AccessKeyID: testKeyID, SecretAccessKey: "wrong"},
	} {
		t.Run(name, func(t *testing.T) {
			s := staticSettings(baseURL)
			s.Static = creds
			factory := NewFactory(nil)
			if _, err := factory.Identity(testCtx(t), name, s); !awserrors.IsTerminal(err) {
				t.Errorf("STS: err = %v, want terminal", err)
			}
			client, err := httpAPIs(t, factory, name, s)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := client.GetApis(testCtx(t), &apigatewayv2.GetApisInput{}); !awserrors.IsTerminal(err) {
				t.Errorf("API Gateway: err = %v, want terminal", err)
			}
		})
	}
}

func TestFactoryReusesClientsUntilSettingsChange(t *testing.T) {
	baseURL := signedEmulator(t)
	factory := NewFactory(nil)
	s := staticSettings(baseURL)
	first, err := httpAPIs(t, factory, "p", s)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := httpAPIs(t, factory, "p", s)
	if first != again {
		t.Error("same settings built a new client")
	}

	stsCalls := func() float64 {
		return testutil.ToFloat64(apiCalls.WithLabelValues("STS", "GetCallerIdentity", resultSuccess))
	}
	before := stsCalls()
	for range 3 {
		if _, err := factory.Identity(testCtx(t), "p", s); err != nil {
			t.Fatal(err)
		}
	}
	if got := stsCalls() - before; got != 1 {
		t.Errorf("three Identity calls asked STS %v times, want 1", got)
	}

	rotated := s
	rotated.Static = &StaticCredentials{AccessKeyID: testKeyID, SecretAccessKey: "rotated"}
	changed, err := httpAPIs(t, factory, "p", rotated)
	if err != nil {
		t.Fatal(err)
	}
	if changed == first {
		t.Error("a changed secret kept the old client")
	}
}

func TestSettingsNeverPrintCredentials(t *testing.T) {
	s := staticSettings("http://127.0.0.1:1")
	for _, printed := range []string{
		fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s),
		fmt.Sprintf("%v", s.Static), fmt.Sprintf("%+v", *s.Static), fmt.Sprintf("%#v", *s.Static),
	} {
		if strings.Contains(printed, testSecret) || strings.Contains(printed, testKeyID) {
			t.Errorf("credentials printed: %s", printed)
		}
	}
}

func TestLimiterIdentity(t *testing.T) {
	tests := []struct {
		name string
		s    Settings
		want string
	}{
		{"account known", Settings{AccountKey: "1", RoleARN: "arn:aws:iam::2:role/r"}, "account:1"},
		{"account from role", Settings{RoleARN: "arn:aws:iam::222222222222:role/r"}, "account:222222222222"},
		{"static key", Settings{Static: &StaticCredentials{AccessKeyID: "AKID"}}, "key:AKID"},
		{"default chain", Settings{Endpoint: "http://x"}, "default-chain:http://x"},
	}
	for _, tt := range tests {
		if got := limiterIdentity(tt.s); got != tt.want {
			t.Errorf("%s: limiterIdentity = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// httpAPIs returns the factory's cached apigatewayv2 client for the settings.
func httpAPIs(t *testing.T, factory *Factory, key string, s Settings) (*apigatewayv2.Client, error) {
	t.Helper()
	return Cached(testCtx(t), factory, key, s, "apigatewayv2", func(cfg aws.Config) *apigatewayv2.Client {
		return apigatewayv2.NewFromConfig(cfg)
	})
}

// burst sends n GetApis calls from 16 goroutines through client.
func burst(t *testing.T, client *apigatewayv2.Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	work := make(chan struct{}, n)
	for range n {
		work <- struct{}{}
	}
	close(work)
	errs := make(chan error, n)
	for range 16 {
		wg.Go(func() {
			for range work {
				if _, err := client.GetApis(testCtx(t), &apigatewayv2.GetApisInput{}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("List: %v", err)
	}
}

func throttled(server *emulator.Server) int64 {
	var n int64
	for _, c := range server.Stats().Throttled {
		n += c
	}
	return n
}

// quotaScale speeds the emulator's quotas (and the limiter with them) up so
// that the test runs in seconds.
const quotaScale = 10

// TestWithoutLimiterQuotasThrottle is the baseline: the same burst without
// the limiter draws 429s, each counted by the metrics per attempt.
func TestWithoutLimiterQuotasThrottle(t *testing.T) {
	// A slow quota (20 req/s) so that even a loaded machine outpaces it.
	server, baseURL := startEmulator(t, emulator.Options{Quotas: true, QuotaTimeScale: 2})
	client, err := httpAPIs(t, NewFactory(nil), "p", staticSettings(baseURL))
	if err != nil {
		t.Fatal(err)
	}
	metric := apiThrottles.WithLabelValues("ApiGatewayV2", "GetApis")
	before := testutil.ToFloat64(metric)
	burst(t, client, 100)
	got := throttled(server)
	if got < 10 {
		t.Fatalf("only %d 429s without the limiter: the quotas are off or the burst is too small for this test to mean anything", got)
	}
	if counted := testutil.ToFloat64(metric) - before; counted != float64(got) {
		t.Errorf("throttle metric counted %v attempts, the emulator throttled %d", counted, got)
	}
}

func TestLimiterKeepsWithinQuotas(t *testing.T) {
	server, baseURL := startEmulator(t, emulator.Options{Quotas: true, QuotaTimeScale: quotaScale})
	s := staticSettings(baseURL)
	s.RateLimit = RateLimit{TimeScale: quotaScale}
	factory := NewFactory(NewLimiters())
	client, err := httpAPIs(t, factory, "p", s)
	if err != nil {
		t.Fatal(err)
	}
	burst(t, client, 200)

	// Per-operation quotas: regional creates 1 per 3 s, deletes 1 per 30 s
	// (scaled). A second provider of the same account shares the limiter.
	restAPIs := func(key string) *apigateway.Client {
		c, err := Cached(testCtx(t), factory, key, s, "apigateway", func(cfg aws.Config) *apigateway.Client {
			return apigateway.NewFromConfig(cfg)
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	one, other := restAPIs("p"), restAPIs("other")
	var ids []string
	for i, c := range []*apigateway.Client{one, other, one} {
		api, err := c.CreateRestApi(testCtx(t), &apigateway.CreateRestApiInput{Name: aws.String(fmt.Sprint("r", i)),
			EndpointConfiguration: &v1types.EndpointConfiguration{Types: []v1types.EndpointType{v1types.EndpointTypeRegional}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(api.Id))
	}
	for i, c := range []*apigateway.Client{one, other} {
		if _, err := c.DeleteRestApi(testCtx(t), &apigateway.DeleteRestApiInput{RestApiId: aws.String(ids[i])}); err != nil {
			t.Fatal(err)
		}
	}
	// Calm runs see none. The SDK retries a 429, so a stray or two on a
	// loaded machine is harmless; the baseline above draws dozens.
	if got := server.Stats().Throttled; throttled(server) > 2 {
		t.Errorf("throttled with the limiter: %v, want at most two", got)
	}
}
