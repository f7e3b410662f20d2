package e2e

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// These tests hold the emulator to the real AWS CLI: what it sends, how it
// parses answers (PascalCase output for apigatewayv2, lowerCamel for
// apigateway), and how it reports errors (exit code 255 and AWS's text).

const cliRegion = "us-east-1"

// cliEnv is an AWS CLI environment that reads nothing of the user's own
// configuration, so the tests never reach a real account.
type cliEnv struct {
	endpoint string
	env      []string
}

func newCLIEnv(t *testing.T, endpoint string) *cliEnv {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Fatalf("the AWS CLI is required by this test: %v", err)
	}
	emptyConfig := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(emptyConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"AWS_ACCESS_KEY_ID=AKIAEMULATORTEST0001",
		"AWS_SECRET_ACCESS_KEY=emulator-test-secret",
		"AWS_CONFIG_FILE=" + emptyConfig,
		"AWS_SHARED_CREDENTIALS_FILE=" + emptyConfig,
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	for _, variable := range os.Environ() {
		if !strings.HasPrefix(variable, "AWS_") {
			env = append(env, variable)
		}
	}
	return &cliEnv{endpoint: endpoint, env: env}
}

// cliResult is one finished `aws` invocation.
type cliResult struct {
	stdout, stderr string
	exitCode       int
}

// run calls `aws SERVICE OPERATION args...` against the emulator.
func (c *cliEnv) run(t *testing.T, args ...string) cliResult {
	t.Helper()
	full := append([]string{"--endpoint-url", c.endpoint, "--region", cliRegion, "--output", "json"}, args...)
	cmd := exec.Command("aws", full...)
	cmd.Env = c.env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	result := cliResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		result.exitCode = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
	}
	return result
}

// json runs a call that must succeed and decodes its output.
func (c *cliEnv) json(t *testing.T, args ...string) map[string]any {
	t.Helper()
	result := c.run(t, args...)
	if result.exitCode != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), result.exitCode, result.stderr)
	}
	output := map[string]any{}
	if strings.TrimSpace(result.stdout) == "" {
		return output
	}
	if err := json.Unmarshal([]byte(result.stdout), &output); err != nil {
		t.Fatalf("aws %s printed no JSON object: %v\n%s", strings.Join(args, " "), err, result.stdout)
	}
	return output
}

// succeeds runs a call whose output does not matter.
func (c *cliEnv) succeeds(t *testing.T, args ...string) {
	t.Helper()
	c.json(t, args...)
}

// fails runs a call that must fail as the CLI reports AWS errors: exit code
// 255 and "An error occurred (Code) when calling the Operation operation:
// message" on stderr.
func (c *cliEnv) fails(t *testing.T, wantStderr string, args ...string) {
	t.Helper()
	result := c.run(t, args...)
	if result.exitCode != 255 {
		t.Fatalf("aws %s: exit %d, want 255\nstdout: %s\nstderr: %s", strings.Join(args, " "), result.exitCode, result.stdout, result.stderr)
	}
	if !strings.Contains(result.stderr, wantStderr) {
		t.Errorf("aws %s: stderr %q does not contain %q", strings.Join(args, " "), result.stderr, wantStderr)
	}
}

// cliField walks a decoded JSON document along keys.
func cliField(document map[string]any, keys ...string) any {
	var current any = document
	for _, key := range keys {
		object, ok := current.(map[string]any)
		if !ok {
			return nil
		}
		current = object[key]
	}
	return current
}

func cliExpectField(t *testing.T, document map[string]any, want any, keys ...string) {
	t.Helper()
	if got := cliField(document, keys...); !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", strings.Join(keys, "."), got, want)
	}
}

// cliListIDs returns the idKey member of each element of a list output.
func cliListIDs(document map[string]any, listKey, idKey string) []string {
	var ids []string
	items, _ := document[listKey].([]any)
	for _, item := range items {
		if object, ok := item.(map[string]any); ok {
			ids = append(ids, fmt.Sprint(object[idKey]))
		}
	}
	return ids
}

var cliAPIIDPattern = regexp.MustCompile(`^[a-z0-9]{10}$`)

func TestCLIHTTPAPILifecycle(t *testing.T) {
	t.Parallel() // each test has its own emulator process; the CLI is slow to start
	aws := newCLIEnv(t, startEmulator(t))

	created := aws.json(t, "apigatewayv2", "create-api", "--name", "cli-http", "--protocol-type", "HTTP",
		"--cors-configuration", `{"AllowOrigins":["https://a.example","https://b.example"],"AllowMethods":["GET","POST"],"MaxAge":300}`,
		"--tags", "env=test")
	apiID, _ := created["ApiId"].(string)
	if !cliAPIIDPattern.MatchString(apiID) {
		t.Fatalf("ApiId = %q, want 10 lowercase alphanumerics; output %v", apiID, created)
	}
	cliExpectField(t, created, "cli-http", "Name")
	cliExpectField(t, created, "HTTP", "ProtocolType")
	cliExpectField(t, created, "$request.method $request.path", "RouteSelectionExpression")
	cliExpectField(t, created, []any{"https://a.example", "https://b.example"}, "CorsConfiguration", "AllowOrigins")
	cliExpectField(t, created, float64(300), "CorsConfiguration", "MaxAge")
	cliExpectField(t, created, map[string]any{"env": "test"}, "Tags")
	if endpoint, _ := created["ApiEndpoint"].(string); !strings.Contains(endpoint, apiID+".execute-api.") {
		t.Errorf("ApiEndpoint = %q, want the API's execute-api host", endpoint)
	}
	if created["CreatedDate"] == nil {
		t.Errorf("CreatedDate missing: %v", created)
	}

	fetched := aws.json(t, "apigatewayv2", "get-api", "--api-id", apiID)
	cliExpectField(t, fetched, apiID, "ApiId")
	cliExpectField(t, fetched, "cli-http", "Name")

	listed := aws.json(t, "apigatewayv2", "get-apis")
	if ids := cliListIDs(listed, "Items", "ApiId"); !slices.Contains(ids, apiID) {
		t.Errorf("get-apis Items ids = %v, want %s among them", ids, apiID)
	}

	updated := aws.json(t, "apigatewayv2", "update-api", "--api-id", apiID, "--name", "cli-http-renamed", "--description", "from the CLI")
	cliExpectField(t, updated, "cli-http-renamed", "Name")
	cliExpectField(t, updated, "from the CLI", "Description")
	cliExpectField(t, updated, "HTTP", "ProtocolType")

	aws.fails(t, "An error occurred (BadRequestException) when calling the UpdateApi operation: allow-credentials is not supported if 'allow-origin' is *",
		"apigatewayv2", "update-api", "--api-id", apiID, "--cors-configuration", `{"AllowOrigins":["*"],"AllowCredentials":true}`)

	arn := "arn:aws:apigateway:" + cliRegion + "::/apis/" + apiID
	aws.succeeds(t, "apigatewayv2", "tag-resource", "--resource-arn", arn, "--tags", "team=platform,tier=gold")
	cliExpectField(t, aws.json(t, "apigatewayv2", "get-tags", "--resource-arn", arn),
		map[string]any{"env": "test", "team": "platform", "tier": "gold"}, "Tags")
	aws.succeeds(t, "apigatewayv2", "untag-resource", "--resource-arn", arn, "--tag-keys", "env", "tier")
	cliExpectField(t, aws.json(t, "apigatewayv2", "get-tags", "--resource-arn", arn), map[string]any{"team": "platform"}, "Tags")

	aws.succeeds(t, "apigatewayv2", "delete-cors-configuration", "--api-id", apiID)
	if cors := cliField(aws.json(t, "apigatewayv2", "get-api", "--api-id", apiID), "CorsConfiguration"); cors != nil {
		t.Errorf("CorsConfiguration after delete-cors-configuration = %v, want none", cors)
	}

	aws.succeeds(t, "apigatewayv2", "delete-api", "--api-id", apiID)
	aws.fails(t, "An error occurred (NotFoundException) when calling the GetApi operation: Invalid API identifier specified ",
		"apigatewayv2", "get-api", "--api-id", apiID)
	aws.fails(t, apiID, "apigatewayv2", "get-api", "--api-id", apiID)
}

func TestCLIRestAPILifecycle(t *testing.T) {
	t.Parallel() // each test has its own emulator process; the CLI is slow to start
	aws := newCLIEnv(t, startEmulator(t))

	created := aws.json(t, "apigateway", "create-rest-api", "--name", "cli-rest", "--description", "first", "--tags", "env=test")
	restAPIID, _ := created["id"].(string)
	if !cliAPIIDPattern.MatchString(restAPIID) {
		t.Fatalf("id = %q, want 10 lowercase alphanumerics; output %v", restAPIID, created)
	}
	cliExpectField(t, created, "cli-rest", "name")
	cliExpectField(t, created, "first", "description")
	cliExpectField(t, created, []any{"EDGE"}, "endpointConfiguration", "types")
	cliExpectField(t, created, "HEADER", "apiKeySource")
	cliExpectField(t, created, map[string]any{"env": "test"}, "tags")
	if root, _ := created["rootResourceId"].(string); root == "" {
		t.Errorf("rootResourceId missing: %v", created)
	}
	if created["createdDate"] == nil {
		t.Errorf("createdDate missing: %v", created)
	}

	cliExpectField(t, aws.json(t, "apigateway", "get-rest-api", "--rest-api-id", restAPIID), "cli-rest", "name")
	if ids := cliListIDs(aws.json(t, "apigateway", "get-rest-apis"), "items", "id"); !slices.Contains(ids, restAPIID) {
		t.Errorf("get-rest-apis items ids = %v, want %s among them", ids, restAPIID)
	}

	updated := aws.json(t, "apigateway", "update-rest-api", "--rest-api-id", restAPIID, "--patch-operations",
		"op=replace,path=/name,value=cli-rest-renamed", "op=replace,path=/description,value=second")
	cliExpectField(t, updated, "cli-rest-renamed", "name")
	cliExpectField(t, updated, "second", "description")

	arn := "arn:aws:apigateway:" + cliRegion + "::/restapis/" + restAPIID
	aws.succeeds(t, "apigateway", "tag-resource", "--resource-arn", arn, "--tags", "team=platform")
	cliExpectField(t, aws.json(t, "apigateway", "get-tags", "--resource-arn", arn),
		map[string]any{"env": "test", "team": "platform"}, "tags")

	aws.succeeds(t, "apigateway", "delete-rest-api", "--rest-api-id", restAPIID)
	aws.fails(t, "An error occurred (NotFoundException) when calling the GetRestApi operation: ",
		"apigateway", "get-rest-api", "--rest-api-id", restAPIID)
}

func TestCLISTSGetCallerIdentity(t *testing.T) {
	t.Parallel() // each test has its own emulator process; the CLI is slow to start
	aws := newCLIEnv(t, startEmulator(t))
	identity := aws.json(t, "sts", "get-caller-identity")
	account, _ := identity["Account"].(string)
	if !regexp.MustCompile(`^[0-9]{12}$`).MatchString(account) {
		t.Fatalf("Account = %q, want 12 digits; output %v", account, identity)
	}
	if arn, _ := identity["Arn"].(string); !strings.HasPrefix(arn, "arn:aws:") || !strings.Contains(arn, ":"+account+":") {
		t.Errorf("Arn = %q, want an ARN in account %s", arn, account)
	}
	if identity["UserId"] == nil {
		t.Errorf("UserId missing: %v", identity)
	}
}

// TestCLIDataPlaneThroughTheProcess builds an HTTP API with the CLI and calls
// it through the running emulator: a CORS preflight answered by the gateway
// and a request proxied to a local backend.
func TestCLIDataPlaneThroughTheProcess(t *testing.T) {
	t.Parallel() // each test has its own emulator process; the CLI is slow to start
	baseURL := startEmulator(t)
	aws := newCLIEnv(t, baseURL)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "https://backend.example")
		fmt.Fprintf(w, "backend saw %s %s", r.Method, r.URL.Path)
	}))
	t.Cleanup(backend.Close)

	apiID, _ := aws.json(t, "apigatewayv2", "create-api", "--name", "cli-dataplane", "--protocol-type", "HTTP",
		"--cors-configuration", `{"AllowOrigins":["https://a.example","https://b.example"],"AllowMethods":["GET"],"AllowHeaders":["content-type"],"MaxAge":60}`,
	)["ApiId"].(string)
	integrationID, _ := aws.json(t, "apigatewayv2", "create-integration", "--api-id", apiID,
		"--integration-type", "HTTP_PROXY", "--integration-method", "ANY", "--payload-format-version", "1.0",
		"--integration-uri", backend.URL+"/echo/{proxy}")["IntegrationId"].(string)
	aws.succeeds(t, "apigatewayv2", "create-route", "--api-id", apiID, "--route-key", "GET /{proxy+}", "--target", "integrations/"+integrationID)
	aws.succeeds(t, "apigatewayv2", "create-stage", "--api-id", apiID, "--stage-name", "$default", "--auto-deploy")

	invoke := newCLIInvoker(t, baseURL, apiID)
	preflight := invoke(t, "OPTIONS", "/users", "-H", "Origin: https://b.example", "-H", "Access-Control-Request-Method: GET")
	if preflight.status != http.StatusNoContent {
		t.Errorf("preflight status = %d, want 204\n%s", preflight.status, preflight.raw)
	}
	wantPreflight := map[string]string{
		"access-control-allow-origin":  "https://b.example",
		"access-control-allow-methods": "GET",
		"access-control-allow-headers": "content-type",
		"access-control-max-age":       "60",
	}
	for name, want := range wantPreflight {
		if got := preflight.headers.Get(name); got != want {
			t.Errorf("preflight %s = %q, want %q", name, got, want)
		}
	}
	refused := invoke(t, "OPTIONS", "/users", "-H", "Origin: https://evil.example", "-H", "Access-Control-Request-Method: GET")
	if origin := refused.headers.Get("access-control-allow-origin"); origin != "" {
		t.Errorf("preflight from a disallowed origin got Access-Control-Allow-Origin %q", origin)
	}

	proxied := invoke(t, "GET", "/users/42", "-H", "Origin: https://a.example")
	if proxied.status != http.StatusOK || proxied.body != "backend saw GET /echo/users/42" {
		t.Errorf("proxied call = %d %q, want 200 from the backend\n%s", proxied.status, proxied.body, proxied.raw)
	}
	if got := proxied.headers.Values("access-control-allow-origin"); !reflect.DeepEqual(got, []string{"https://a.example"}) {
		t.Errorf("proxied Access-Control-Allow-Origin = %q, want only the caller's origin", got)
	}
}

// cliInvocation is one data-plane answer as curl printed it.
type cliInvocation struct {
	status  int
	headers http.Header
	body    string
	raw     string
}

// newCLIInvoker returns a function that calls the API's execute-api host
// on the emulator with curl, resolving the host to the emulator's address
// as DNS would. Without curl it fails the test: the point is a real client.
func newCLIInvoker(t *testing.T, baseURL, apiID string) func(t *testing.T, method, path string, curlArgs ...string) cliInvocation {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("curl is required by this test: %v", err)
	}
	endpoint, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	host := apiID + ".execute-api.localhost"
	return func(t *testing.T, method, path string, curlArgs ...string) cliInvocation {
		t.Helper()
		args := append([]string{"--silent", "--show-error", "--include", "--request", method,
			"--resolve", host + ":" + endpoint.Port() + ":" + endpoint.Hostname()}, curlArgs...)
		args = append(args, "http://"+host+":"+endpoint.Port()+path)
		output, err := exec.Command("curl", args...).Output()
		if err != nil {
			t.Fatalf("curl %s: %v", strings.Join(args, " "), err)
		}
		return parseCurlOutput(t, string(output))
	}
}

// parseCurlOutput reads `curl --include` output with net/http's parser.
func parseCurlOutput(t *testing.T, raw string) cliInvocation {
	t.Helper()
	response, err := http.ReadResponse(bufio.NewReader(strings.NewReader(raw)), nil)
	if err != nil {
		t.Fatalf("curl printed no HTTP response: %v\n%s", err, raw)
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	return cliInvocation{status: response.StatusCode, headers: response.Header, body: string(body), raw: raw}
}
