package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// TestLocalServesTwoAPIsUnderOneDomain is the README's "Try it: a custom
// domain in local mode" run as written: `infra-operator local` with the
// custom domain sample and the custom-domain-only seed sample, then every
// command of that section: curl with the domain's Host header reaches each
// API under its base path, an unmapped base path is refused, and the
// custom-domain-only API's default endpoint keeps refusing. Then the kubectl
// view an external-dns user reads: the domain's target and hosted zone, and
// its two mappings by APIGateway.
func TestLocalServesTwoAPIsUnderOneDomain(t *testing.T) {
	t.Parallel() // its own ports and data directory
	dataDir := t.TempDir()
	emulatorURL := "http://127.0.0.1:" + freePort(t)
	servicesHost := "127.0.0.1:" + freePort(t)
	samples := sampleCopies(t, servicesHost, "apigateway_domain.yaml", "apigateway_custom_domain_only.yaml")
	startLocal(t, dataDir, emulatorURL, "--services-addr", servicesHost, "-f", samples)
	kubeconfig := filepath.Join(dataDir, "kubeconfig")
	sh := newReadmeSectionShell(t, "Try it: a custom domain in local mode", kubeconfig, emulatorURL, servicesHost)
	sh.expectInReadme(t, "export KUBECONFIG="+readmeKubeconfig)

	sh.run(t, "kubectl wait apigw orders-domain-api pets-domain-api custom-domain-only --for=condition=Ready --timeout=2m")
	listed := sh.run(t, "kubectl get apidomain api-example-test")
	if !strings.Contains(listed, "api.example.test") || !strings.Contains(listed, "true") {
		t.Errorf("kubectl get apidomain shows no Ready api.example.test:\n%s", listed)
	}
	expectJSON(t, sh.run(t, "curl -H 'Host: api.example.test' http://127.0.0.1:4566/orders/items"),
		map[string]any{"service": "local backend", "method": "GET", "path": "/backend/items"})
	expectJSON(t, sh.run(t, "curl -H 'Host: api.example.test' http://127.0.0.1:4566/pets/info"),
		map[string]any{"api": "pets", "served": "under a custom domain"})
	if answer := sh.curl(t, "curl -i -H 'Host: api.example.test' http://127.0.0.1:4566/nothing/here"); answer.status != http.StatusForbidden || answer.body != `{"message":"Forbidden"}` {
		t.Errorf("an unmapped base path answered %d %s, want 403 Forbidden", answer.status, answer.body)
	}
	sh.define(t, "ONLY_DOMAIN_API=$(kubectl get apigw custom-domain-only -o jsonpath='{.status.apiId}')")
	if answer := sh.curl(t, "curl -i http://$ONLY_DOMAIN_API.execute-api.localhost:4566/"); answer.status != http.StatusForbidden || answer.body != `{"message":"Forbidden"}` {
		t.Errorf("the custom-domain-only API's default endpoint answered %d %s, want 403 Forbidden", answer.status, answer.body)
	}

	target := strings.TrimSpace(sh.kubectl(t, "", "get", "apidomain", "api-example-test", "-o", "jsonpath={.status.targetDomainName} {.status.hostedZoneID}"))
	if fields := strings.Fields(target); len(fields) != 2 || !strings.Contains(fields[0], ".") {
		t.Errorf("the domain's DNS target is %q, want a target name and a hosted zone id", target)
	}
	// The domain names each mapping's APIGateway once it has seen their
	// status (it watches them).
	waitFor(t, 30*time.Second, "the domain's status.mappings naming both APIGateways", func() (bool, string) {
		mappings := sh.kubectl(t, "", "get", "apidomain", "api-example-test", "-o", "jsonpath={range .status.mappings[*]}{.api} {.basePath} {.stage};{end}")
		return strings.Contains(mappings, "default/orders-domain-api orders $default;") &&
			strings.Contains(mappings, "default/pets-domain-api pets prod;"), mappings
	})
}

// sampleCopies copies samples of config/samples into a directory, naming
// the services' address the test chose instead of the README's.
func sampleCopies(t *testing.T, servicesHost string, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, file := range files {
		content, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "samples", file))
		if err != nil {
			t.Fatal(err)
		}
		copied := strings.ReplaceAll(string(content), readmeServicesHost, servicesHost)
		if err := os.WriteFile(filepath.Join(dir, file), []byte(copied), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
