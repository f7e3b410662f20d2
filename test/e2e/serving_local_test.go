package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// The serving samples, as `infra-operator local` applies them.
var servingSamples = []string{"orders-http-api", "pets-rest-api", "chat-websocket-api", "greetings-openapi-api"}

// The files of the serving samples in config/samples.
const (
	servingSampleFiles = "apigateway_serving_*.yaml"
	openAPISampleFile  = "apigateway_openapi.yaml"
)

// waitForTheSamples is the README's wait for the serving samples.
const waitForTheSamples = "kubectl wait apigw orders-http-api pets-rest-api chat-websocket-api greetings-openapi-api --for=condition=Deployed --timeout=2m"

// The ports the README's commands name: the emulator's and the sample
// services' defaults.
const (
	readmeEmulatorHost = "127.0.0.1:4566"
	readmeServicesHost = "127.0.0.1:4567"
	readmeKubeconfig   = "~/.cache/infra-operator/local/kubeconfig"
)

// TestLocalServesTheSamples is the README's "Try it: serving samples" run as
// written: `infra-operator local` with the serving samples, then every
// command of that section, each checked against what the README says it
// answers. Then what a user does next: change and delete routes (HTTP and
// REST) and see the stage serve the change, remove a Lambda permission
// outside Kubernetes and see it restored within the resync period, and
// SIGKILL local mode in the middle of a many-child create to find no child
// made twice after the restart.
//
// The samples are applied from copies that name the services' address the
// test chose (the only difference), so that this test never meets another
// local mode on the machine at 127.0.0.1:4567.
func TestLocalServesTheSamples(t *testing.T) {
	t.Parallel() // its own ports and data directory, not 127.0.0.1:4567
	dataDir := t.TempDir()
	emulatorURL := "http://127.0.0.1:" + freePort(t)
	servicesHost := "127.0.0.1:" + freePort(t)
	localArgs := []string{"--services-addr", servicesHost, "-f", servingSampleCopies(t, servicesHost)}
	local, _ := startLocal(t, dataDir, emulatorURL, localArgs...)
	sh := newReadmeShell(t, filepath.Join(dataDir, "kubeconfig"), emulatorURL, servicesHost)

	sh.run(t, waitForTheSamples)
	for _, name := range servingSamples {
		if ready := sh.kubectlJSONPath(t, name, "{.status.ready}"); ready != "true" {
			t.Errorf("%s: Deployed, but ready = %q", name, ready)
		}
	}
	sh.define(t, "HTTP_API=$(kubectl get apigw orders-http-api -o jsonpath='{.status.apiId}')")
	sh.define(t, "REST_API=$(kubectl get apigw pets-rest-api -o jsonpath='{.status.apiId}')")
	sh.define(t, "WS_API=$(kubectl get apigw chat-websocket-api -o jsonpath='{.status.apiId}')")
	sh.define(t, "OPENAPI_API=$(kubectl get apigw greetings-openapi-api -o jsonpath='{.status.apiId}')")

	t.Run("HTTP routes", func(t *testing.T) { checkHTTPSample(t, sh) })
	t.Run("JWT route", func(t *testing.T) { checkJWTRoute(t, sh) })
	t.Run("REST routes", func(t *testing.T) { checkRESTSample(t, sh) })
	t.Run("WebSocket round trip", func(t *testing.T) { checkWebSocketSample(t, sh, emulatorURL) })
	t.Run("OpenAPI document", func(t *testing.T) { checkOpenAPISample(t, sh) })
	t.Run("Lambda permission restored", func(t *testing.T) { checkPermissionRestored(t, sh, emulatorURL) })
	t.Run("HTTP route changed and deleted", func(t *testing.T) { checkHTTPRouteChanges(t, sh) })
	t.Run("REST route changed and deleted", func(t *testing.T) { checkRESTRouteChanges(t, sh) })
	t.Run("SIGKILL during a many-child create", func(t *testing.T) {
		checkKillDuringManyChildCreate(t, sh, local, dataDir, emulatorURL, localArgs)
	})
}

func checkHTTPSample(t *testing.T, sh *readmeShell) {
	expectJSON(t, sh.run(t, "curl http://$HTTP_API.execute-api.localhost:4566/catalog/items?color=red"),
		map[string]any{"service": "local backend", "method": "GET", "path": "/backend/items", "query": "color=red"})
	expectJSON(t, sh.run(t, `curl -H "Host: $HTTP_API.execute-api.localhost:4566" http://127.0.0.1:4566/catalog/items`),
		map[string]any{"service": "local backend", "path": "/backend/items"})
	expectJSON(t, sh.run(t, `curl -X POST http://$HTTP_API.execute-api.localhost:4566/orders -d '{"item":"book"}'`),
		map[string]any{"message": "hello from the local Lambda function orders", "method": "POST", "path": "/orders", "routeKey": "POST /orders"})
}

func checkOpenAPISample(t *testing.T, sh *readmeShell) {
	expectJSON(t, sh.run(t, "curl http://$OPENAPI_API.execute-api.localhost:4566/hello"),
		map[string]any{"service": "local backend", "method": "GET", "path": "/backend/hello"})
	applied := sh.run(t, `kubectl get apigw greetings-openapi-api -o jsonpath='{.status.conditions[?(@.type=="OpenAPIApplied")].message}'`)
	if !strings.HasPrefix(applied, "The API serves the OpenAPI document sha256:") {
		t.Errorf("OpenAPIApplied says %q", applied)
	}
}

func checkJWTRoute(t *testing.T, sh *readmeShell) {
	sh.define(t, "TOKEN=$(curl -s -X POST http://127.0.0.1:4567/issuer/token -d client_id=orders-client -d scope=orders/read | jq -r .access_token)")
	accepted := decodeJSON(t, sh.run(t, `curl -H "Authorization: Bearer $TOKEN" http://$HTTP_API.execute-api.localhost:4566/orders/42`))
	expectFields(t, accepted, map[string]any{"message": "hello from the local Lambda function orders", "routeKey": "GET /orders/{id}", "path": "/orders/42"})
	if clientID := cliField(accepted, "authorizer", "jwt", "claims", "client_id"); clientID != "orders-client" {
		t.Errorf("the function was not passed the token's claims: %v", accepted)
	}

	refusals := []struct {
		token, command string
		status         int
		body, reason   string
	}{
		{"", "curl -i http://$HTTP_API.execute-api.localhost:4566/orders/42",
			http.StatusUnauthorized, `{"message":"Unauthorized"}`, `error_description="the token is missing"`},
		{"EXPIRED=$(curl -s -X POST http://127.0.0.1:4567/issuer/token -d client_id=orders-client -d scope=orders/read -d expires_in=-60 | jq -r .access_token)",
			`curl -i -H "Authorization: Bearer $EXPIRED" http://$HTTP_API.execute-api.localhost:4566/orders/42`,
			http.StatusUnauthorized, `{"message":"Unauthorized"}`, `error_description="the token has expired"`},
		{"STRANGER=$(curl -s -X POST http://127.0.0.1:4567/issuer/token -d aud=another-client -d scope=orders/read | jq -r .access_token)",
			`curl -i -H "Authorization: Bearer $STRANGER" http://$HTTP_API.execute-api.localhost:4566/orders/42`,
			http.StatusUnauthorized, `{"message":"Unauthorized"}`, `error_description="the token does not have a valid audience"`},
		{"WRITER=$(curl -s -X POST http://127.0.0.1:4567/issuer/token -d client_id=orders-client -d scope=orders/write | jq -r .access_token)",
			`curl -i -H "Authorization: Bearer $WRITER" http://$HTTP_API.execute-api.localhost:4566/orders/42`,
			http.StatusForbidden, `{"message":"Forbidden"}`, `error="insufficient_scope"`},
	}
	for _, refusal := range refusals {
		if refusal.token != "" {
			sh.define(t, refusal.token)
		}
		answer := sh.curl(t, refusal.command)
		if answer.status != refusal.status || answer.body != refusal.body {
			t.Errorf("%s: %d %s, want %d %s", refusal.command, answer.status, answer.body, refusal.status, refusal.body)
		}
		if challenge := answer.headers.Get("Www-Authenticate"); !strings.Contains(challenge, refusal.reason) {
			t.Errorf("%s: WWW-Authenticate %q, want %s", refusal.command, challenge, refusal.reason)
		}
	}
}

func checkRESTSample(t *testing.T, sh *readmeShell) {
	for command, want := range map[string]map[string]any{
		"curl http://$REST_API.execute-api.localhost:4566/prod/pets?limit=2":                     {"method": "GET", "path": "/pets", "routeKey": "GET /pets"},
		"curl http://$REST_API.execute-api.localhost:4566/prod/pets/7":                           {"method": "GET", "path": "/pets/7", "routeKey": "GET /pets/{id}"},
		`curl -X POST http://$REST_API.execute-api.localhost:4566/prod/pets -d '{"name":"rex"}'`: {"method": "POST", "path": "/pets", "routeKey": "POST /pets"},
	} {
		want["message"] = "hello from the local Lambda function pets"
		expectJSON(t, sh.run(t, command), want)
	}
	expectJSON(t, sh.run(t, "curl http://$REST_API.execute-api.localhost:4566/prod/health"), map[string]any{"status": "ok"})
	expectMissingAuthenticationToken(t, sh, "curl -i http://$REST_API.execute-api.localhost:4566/prod/cats")
}

// checkWebSocketSample sends one message the action routes to the chat
// function and one that falls to $default (echo), reads both answers, and
// finds the connection gone from @connections once the client has closed.
func checkWebSocketSample(t *testing.T, sh *readmeShell, emulatorURL string) {
	output := sh.run(t, `printf '%s\n' '{"action":"sendmessage","message":"hello"}' 'hello, echo' | go run ./hack/wsclient ws://$WS_API.execute-api.localhost:4566/prod`)
	// Whichever route answered first, one line is the echo and the other
	// the chat function's answer.
	answers := strings.Split(strings.TrimSpace(output), "\n")
	echo := slices.Index(answers, "hello, echo")
	if len(answers) != 2 || echo < 0 {
		t.Fatalf("want the chat function's answer and the $default route's echo, got:\n%s", output)
	}
	answer := decodeJSON(t, answers[1-echo])
	expectFields(t, answer, map[string]any{"function": "chat", "routeKey": "sendmessage", "received": `{"action":"sendmessage","message":"hello"}`})

	connectionID, _ := answer["connectionId"].(string)
	if connectionID == "" {
		t.Fatalf("the chat function's answer names no connection: %v", answer)
	}
	aws := newCLIEnv(t, emulatorURL+"/_aws/execute-api/"+sh.variable("WS_API")+"/prod")
	aws.fails(t, "GoneException", "apigatewaymanagementapi", "get-connection", "--connection-id", connectionID)
}

// checkPermissionRestored removes the orders function's statement for the
// HTTP API outside Kubernetes: the Lambda route answers 500 until the
// operator's resync puts the statement back.
func checkPermissionRestored(t *testing.T, sh *readmeShell, emulatorURL string) {
	aws := newCLIEnv(t, emulatorURL)
	statement := statementFor(t, aws, "orders", sh.variable("HTTP_API"))
	aws.succeeds(t, "lambda", "remove-permission", "--function-name", "orders", "--statement-id", statement)
	removed := time.Now()

	order := `curl -X POST http://$HTTP_API.execute-api.localhost:4566/orders -d '{"item":"book"}'`
	if answer := sh.run(t, order); answer != `{"message":"Internal Server Error"}` {
		t.Errorf("without the permission the Lambda route answered %s, want 500 Internal Server Error", answer)
	}
	waitFor(t, localResyncPeriod+10*time.Second, "the Lambda route serving again", func() (bool, string) {
		answer := sh.run(t, order)
		return strings.Contains(answer, "hello from the local Lambda function orders"), answer
	})
	t.Logf("the route served again %s after the permission was removed (resync period %s)", time.Since(removed).Round(100*time.Millisecond), localResyncPeriod)
	if restored := statementFor(t, aws, "orders", sh.variable("HTTP_API")); restored != statement {
		t.Errorf("the statement came back as %q, want %q", restored, statement)
	}
}

// statementFor is the statement id of function's policy that lets apiID
// invoke it, as `aws lambda get-policy` shows it.
func statementFor(t *testing.T, aws *cliEnv, function, apiID string) string {
	t.Helper()
	var policy struct {
		Statement []struct {
			Sid       string
			Condition struct {
				ArnLike map[string]string
			}
		}
	}
	document, _ := aws.json(t, "lambda", "get-policy", "--function-name", function)["Policy"].(string)
	if err := json.Unmarshal([]byte(document), &policy); err != nil {
		t.Fatalf("get-policy printed no policy document: %v\n%s", err, document)
	}
	for _, statement := range policy.Statement {
		if strings.Contains(statement.Condition.ArnLike["AWS:SourceArn"], ":"+apiID+"/") {
			return statement.Sid
		}
	}
	t.Fatalf("no statement of %s lets API %s invoke it: %s", function, apiID, document)
	return ""
}

func checkHTTPRouteChanges(t *testing.T, sh *readmeShell) {
	sh.run(t, `kubectl patch apigw orders-http-api --type json -p '[{"op":"replace","path":"/spec/routes/0/key","value":"ANY /shop/{proxy+}"}]'`)
	sh.run(t, "kubectl wait apigw orders-http-api --for=condition=Deployed")
	expectJSON(t, sh.run(t, "curl http://$HTTP_API.execute-api.localhost:4566/shop/items"),
		map[string]any{"service": "local backend", "path": "/backend/items"})
	expectNotFound(t, sh, "curl -i http://$HTTP_API.execute-api.localhost:4566/catalog/items")

	sh.run(t, `kubectl patch apigw orders-http-api --type json -p '[{"op":"remove","path":"/spec/routes/0"}]'`)
	sh.run(t, "kubectl wait apigw orders-http-api --for=condition=Deployed")
	expectNotFound(t, sh, "curl -i http://$HTTP_API.execute-api.localhost:4566/shop/items")
}

func checkRESTRouteChanges(t *testing.T, sh *readmeShell) {
	deployments := sh.kubectlJSONPath(t, "pets-rest-api", "{.status.stages[0].deploymentID}")
	sh.run(t, `kubectl patch apigw pets-rest-api --type json -p '[{"op":"replace","path":"/spec/routes/2/key","value":"GET /animals/{id}"}]'`)
	sh.run(t, "kubectl wait apigw pets-rest-api --for=condition=Deployed")
	expectJSON(t, sh.run(t, "curl http://$REST_API.execute-api.localhost:4566/prod/animals/7"),
		map[string]any{"message": "hello from the local Lambda function pets", "path": "/animals/7", "routeKey": "GET /animals/{id}"})
	expectMissingAuthenticationToken(t, sh, "curl -i http://$REST_API.execute-api.localhost:4566/prod/pets/7")
	changed := sh.kubectlJSONPath(t, "pets-rest-api", "{.status.stages[0].deploymentID}")
	if changed == deployments {
		t.Errorf("the prod stage still serves deployment %s after the change", changed)
	}

	sh.run(t, `kubectl patch apigw pets-rest-api --type json -p '[{"op":"remove","path":"/spec/routes/2"}]'`)
	sh.run(t, "kubectl wait apigw pets-rest-api --for=condition=Deployed")
	expectMissingAuthenticationToken(t, sh, "curl -i http://$REST_API.execute-api.localhost:4566/prod/animals/7")
}

// manyChildren is the number of integrations, and of routes, of the API
// created while local mode is killed: more than the 40 calls of the
// account's burst, so that the create takes seconds.
const manyChildren = 40

// checkKillDuringManyChildCreate applies an HTTP API of manyChildren
// integrations and routes, SIGKILLs `infra-operator local` once some but
// not all of them exist, restarts it on the same data directory, and
// checks with the AWS CLI that every declared child exists exactly once.
func checkKillDuringManyChildCreate(t *testing.T, sh *readmeShell, local *exec.Cmd, dataDir, emulatorURL string, localArgs []string) {
	sh.kubectl(t, manyChildGateway(sh.servicesHost), "apply", "-f", "-")
	counts := waitForPartialCreate(t, emulatorURL, "many-children-api")
	if err := local.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = local.Wait()
	t.Logf("killed infra-operator local with %s", counts)
	expectNoProcessUsing(t, dataDir)

	startLocal(t, dataDir, emulatorURL, localArgs...)
	sh.kubectl(t, "", "wait", "apigw", "many-children", "--for=condition=Deployed", "--timeout=120s")
	apiID := sh.kubectlJSONPath(t, "many-children", "{.status.apiId}")
	aws := newCLIEnv(t, emulatorURL)

	var marks []string
	for _, integration := range aws.json(t, "apigatewayv2", "get-integrations", "--api-id", apiID)["Items"].([]any) {
		description, _ := integration.(map[string]any)["Description"].(string)
		marks = append(marks, description)
	}
	routeKeys := cliListIDs(aws.json(t, "apigatewayv2", "get-routes", "--api-id", apiID), "Items", "RouteKey")
	var wantMarks, wantKeys []string
	for i := range manyChildren {
		wantMarks = append(wantMarks, fmt.Sprintf("infra-operator:integration=backend-%02d", i))
		wantKeys = append(wantKeys, fmt.Sprintf("GET /items/%02d", i))
	}
	slices.Sort(marks)
	slices.Sort(routeKeys)
	if !slices.Equal(marks, wantMarks) {
		t.Errorf("integrations after the restart, by mark:\n%v\nwant each declared one once:\n%v", marks, wantMarks)
	}
	if !slices.Equal(routeKeys, wantKeys) {
		t.Errorf("routes after the restart:\n%v\nwant each declared key once:\n%v", routeKeys, wantKeys)
	}
	// The restart applied the samples again: the HTTP sample's routes are back.
	sh.run(t, waitForTheSamples)
	expectJSON(t, sh.run(t, "curl http://$HTTP_API.execute-api.localhost:4566/catalog/items?color=red"),
		map[string]any{"service": "local backend", "path": "/backend/items"})
	host := apiID + ".execute-api.localhost:" + strings.TrimPrefix(emulatorURL, "http://127.0.0.1:")
	served := parseCurlOutput(t, sh.bash(t, "curl -i -H 'Host: "+host+"' "+emulatorURL+fmt.Sprintf("/items/%02d", manyChildren-1)))
	if served.status != http.StatusOK || !strings.Contains(served.body, fmt.Sprintf(`"path":"/backend/%02d"`, manyChildren-1)) {
		t.Errorf("the last route of the restarted create answered %d %s", served.status, served.body)
	}
}

// manyChildGateway is an HTTP API of manyChildren HTTP integrations to the
// sample backend and one route to each.
func manyChildGateway(servicesHost string) string {
	var integrations, routes strings.Builder
	for i := range manyChildren {
		fmt.Fprintf(&integrations, "    - {name: backend-%02d, http: {url: \"http://%s/backend/%02d\", method: GET}}\n", i, servicesHost, i)
		fmt.Fprintf(&routes, "    - {key: \"GET /items/%02d\", integration: backend-%02d}\n", i, i)
	}
	return `apiVersion: aws-infra-operator.runner.codes/v1alpha1
kind: APIGateway
metadata: {name: many-children, namespace: default}
spec:
  providerRef: {name: aws-provider}
  name: many-children-api
  protocolType: HTTP
  integrations:
` + integrations.String() + `  routes:
` + routes.String() + `  stages:
    - name: $default`
}

// childCounts is how many integrations and routes of an API exist.
type childCounts struct{ integrations, routes int }

func (c childCounts) String() string {
	return fmt.Sprintf("%d of %d integrations and %d of %d routes created", c.integrations, manyChildren, c.routes, manyChildren)
}

// waitForPartialCreate polls the emulator's control plane (plain HTTP: local
// mode's emulator checks no signatures) until the API named name has some
// children but not all of them.
func waitForPartialCreate(t *testing.T, emulatorURL, name string) childCounts {
	t.Helper()
	var apiID string
	var counts childCounts
	deadline := time.Now().Add(time.Minute)
	for ; time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if apiID == "" {
			apiID = emulatorAPIIDNamed(t, emulatorURL, name)
			continue
		}
		counts = childCounts{
			integrations: len(emulatorItems(t, emulatorURL+"/v2/apis/"+apiID+"/integrations?maxResults=500")),
			routes:       len(emulatorItems(t, emulatorURL+"/v2/apis/"+apiID+"/routes?maxResults=500")),
		}
		switch {
		case counts.integrations == manyChildren && counts.routes == manyChildren:
			t.Fatalf("the create finished before the test could kill it (%s)", counts)
		case counts.integrations+counts.routes > 0:
			return counts
		}
	}
	t.Fatalf("the create of %s did not start within a minute (API %q, %s)", name, apiID, counts)
	return counts
}

func emulatorAPIIDNamed(t *testing.T, emulatorURL, name string) string {
	t.Helper()
	for _, item := range emulatorItems(t, emulatorURL+"/v2/apis?maxResults=500") {
		if item["name"] == name {
			id, _ := item["apiId"].(string)
			return id
		}
	}
	return ""
}

// emulatorItems GETs a v2 list and returns its items.
func emulatorItems(t *testing.T, url string) []map[string]any {
	t.Helper()
	response, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer response.Body.Close()
	var list struct{ Items []map[string]any }
	if err := json.NewDecoder(response.Body).Decode(&list); err != nil || response.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, %v", url, response.StatusCode, err)
	}
	return list.Items
}

// servingSampleCopies copies the serving samples into a directory, naming
// servicesHost where they name local mode's default services address.
func servingSampleCopies(t *testing.T, servicesHost string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", servingSampleFiles))
	files = append(files, filepath.Join(testenv.RepoRoot(), "config", "samples", openAPISampleFile))
	if err != nil || len(files) != len(servingSamples) {
		t.Fatalf("want the %d serving samples, found %v (%v)", len(servingSamples), files, err)
	}
	names := make([]string, len(files))
	for i, file := range files {
		names[i] = filepath.Base(file)
	}
	return sampleCopies(t, servicesHost, names...)
}

// readmeShell runs commands of the README's "Try it: serving samples" in
// bash, as a user would paste them, after checking that the README holds
// them verbatim: the README's addresses are replaced by this run's, and
// the variables its lines define are kept for the next commands.
type readmeShell struct {
	readme       string
	addresses    *strings.Replacer
	env          []string
	variables    map[string]string
	servicesHost string
	kubeconfig   string
}

func newReadmeShell(t *testing.T, kubeconfig, emulatorURL, servicesHost string) *readmeShell {
	t.Helper()
	return newReadmeSectionShell(t, "Try it: serving samples", kubeconfig, emulatorURL, servicesHost)
}

// newReadmeSectionShell is a readmeShell for the commands of the README's
// "### heading" section.
func newReadmeSectionShell(t *testing.T, heading, kubeconfig, emulatorURL, servicesHost string) *readmeShell {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(readme), "\n### "+heading+"\n")
	if !found {
		t.Fatalf(`README.md has no "### %s" section`, heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	sh := &readmeShell{
		readme: section,
		addresses: strings.NewReplacer(
			readmeEmulatorHost, strings.TrimPrefix(emulatorURL, "http://"),
			"localhost:4566", "localhost:"+strings.TrimPrefix(emulatorURL, "http://127.0.0.1:"),
			readmeServicesHost, servicesHost),
		env:          append(os.Environ(), "KUBECONFIG="+kubeconfig),
		variables:    map[string]string{},
		servicesHost: servicesHost,
		kubeconfig:   kubeconfig,
	}
	sh.expectInReadme(t, "export KUBECONFIG="+readmeKubeconfig)
	return sh
}

func (sh *readmeShell) expectInReadme(t *testing.T, command string) {
	t.Helper()
	if !strings.Contains(sh.readme, "\n"+command+"\n") {
		t.Errorf("the README's section does not show the command the test runs:\n%s", command)
	}
}

// run runs one README command and returns its stdout; it fails the test
// when the command fails.
func (sh *readmeShell) run(t *testing.T, command string) string {
	t.Helper()
	sh.expectInReadme(t, command)
	return sh.bash(t, command)
}

// bash runs a command with this run's addresses and the variables defined
// so far, from the repository root (go run ./hack/wsclient).
func (sh *readmeShell) bash(t *testing.T, command string) string {
	t.Helper()
	cmd := exec.Command("bash", "-o", "pipefail", "-c", sh.addresses.Replace(command))
	cmd.Dir = testenv.RepoRoot()
	cmd.Env = sh.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	output, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s%s", command, err, output, stderr.String())
	}
	return string(output)
}

// define runs a README line of the form NAME=$(...) and keeps NAME for the
// next commands.
func (sh *readmeShell) define(t *testing.T, line string) {
	t.Helper()
	name, _, _ := strings.Cut(line, "=")
	sh.expectInReadme(t, line)
	value := sh.bash(t, line+"\nprintf %s \"$"+name+"\"")
	if value == "" || value == "null" {
		t.Fatalf("%s: %s is empty", line, name)
	}
	sh.variables[name] = value
	sh.env = append(sh.env, name+"="+value)
}

func (sh *readmeShell) variable(name string) string { return sh.variables[name] }

// curl runs a README `curl -i` command and parses its answer.
func (sh *readmeShell) curl(t *testing.T, command string) cliInvocation {
	t.Helper()
	return parseCurlOutput(t, sh.run(t, command))
}

// kubectl runs kubectl for checks the README does not show.
func (sh *readmeShell) kubectl(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	return mustKubectl(t, sh.kubeconfig, stdin, args...)
}

func (sh *readmeShell) kubectlJSONPath(t *testing.T, name, path string) string {
	t.Helper()
	return strings.TrimSpace(sh.kubectl(t, "", "get", "apigw", name, "-o", "jsonpath="+path))
}

func expectNotFound(t *testing.T, sh *readmeShell, command string) {
	t.Helper()
	if answer := sh.curl(t, command); answer.status != http.StatusNotFound || answer.body != `{"message":"Not Found"}` {
		t.Errorf("%s: %d %s, want 404 Not Found", command, answer.status, answer.body)
	}
}

func expectMissingAuthenticationToken(t *testing.T, sh *readmeShell, command string) {
	t.Helper()
	if answer := sh.curl(t, command); answer.status != http.StatusForbidden || answer.body != `{"message":"Missing Authentication Token"}` {
		t.Errorf("%s: %d %s, want 403 Missing Authentication Token", command, answer.status, answer.body)
	}
}

func decodeJSON(t *testing.T, text string) map[string]any {
	t.Helper()
	document := map[string]any{}
	if err := json.Unmarshal([]byte(text), &document); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, text)
	}
	return document
}

// expectJSON checks that text is a JSON object with the wanted members.
func expectJSON(t *testing.T, text string, want map[string]any) {
	t.Helper()
	expectFields(t, decodeJSON(t, text), want)
}

func expectFields(t *testing.T, document, want map[string]any) {
	t.Helper()
	for name, value := range want {
		if document[name] != value {
			t.Errorf("%s = %#v, want %#v, in %v", name, document[name], value, document)
		}
	}
}
