package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// TestLocalUsagePlanAndAPIKey is the README's "Try it: usage plans and API
// keys" run as written, on the usage plan sample alone: the method that
// requires an API key answers 403 without one, 200 with the value the
// operator generated into the Secret, and 429 past the plan's throttle
// (1 request per second, burst 1).
func TestLocalUsagePlanAndAPIKey(t *testing.T) {
	t.Parallel() // its own ports and data directory
	dataDir := t.TempDir()
	emulatorURL := "http://127.0.0.1:" + freePort(t)
	servicesHost := "127.0.0.1:" + freePort(t)
	sample := filepath.Join(testenv.RepoRoot(), "config", "samples", "apigateway_usage_plan.yaml")
	startLocal(t, dataDir, emulatorURL, "--services-addr", servicesHost, "-f", sample)
	sh := newReadmeSectionShell(t, "Try it: usage plans and API keys", filepath.Join(dataDir, "kubeconfig"), emulatorURL, servicesHost)

	sh.run(t, "kubectl wait apikey partner-a --for=condition=Ready --timeout=2m")
	sh.define(t, "KEYED_API=$(kubectl get apigw partners-rest-api -o jsonpath='{.status.apiId}')")
	if answer := sh.curl(t, "curl -i http://$KEYED_API.execute-api.localhost:4566/prod/pets"); answer.status != http.StatusForbidden || answer.body != `{"message":"Forbidden"}` {
		t.Errorf("without a key: %d %s, want 403 Forbidden", answer.status, answer.body)
	}
	sh.define(t, "API_KEY=$(kubectl get secret partner-a-api-key -o jsonpath='{.data.apiKey}' | base64 -d)")
	if answer := sh.curl(t, `curl -i -H "x-api-key: $API_KEY" http://$KEYED_API.execute-api.localhost:4566/prod/pets`); answer.status != http.StatusOK || answer.body != `{"pets":["rex","tom"]}` {
		t.Errorf("with the generated key: %d %s, want 200 and the mock's pets", answer.status, answer.body)
	}
	codes := strings.Fields(sh.run(t, `for i in 1 2 3; do curl -s -o /dev/null -w '%{http_code}\n' -H "x-api-key: $API_KEY" http://$KEYED_API.execute-api.localhost:4566/prod/pets; done`))
	throttled := 0
	for _, code := range codes {
		switch code {
		case "429":
			throttled++
		case "200":
		default:
			t.Errorf("a burst answered %s, want 200 or 429", code)
		}
	}
	if len(codes) != 3 || throttled < 2 {
		t.Errorf("three requests in well under a second past a plan of 1 per second (burst 1) answered %v, want at least two 429", codes)
	}
	if answer := sh.curl(t, `curl -i -H "x-api-key: not-a-key-of-any-plan-000" http://$KEYED_API.execute-api.localhost:4566/prod/pets`); answer.status != http.StatusForbidden {
		t.Errorf("with an unknown key: %d %s, want 403 Forbidden", answer.status, answer.body)
	}
	// The value is never in the key's status; its fingerprint is.
	status := sh.kubectl(t, "", "get", "apikey", "partner-a", "-o", "jsonpath={.status}")
	if strings.Contains(status, sh.variable("API_KEY")) || !strings.Contains(status, "valueFingerprint") {
		t.Errorf("the key's status shows its value, or no fingerprint: %s", status)
	}
}
