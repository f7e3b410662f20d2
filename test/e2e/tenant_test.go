package e2e

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// Helpers of the security tests: the operator installed as an admin
// installs it (its own service account, the RBAC of config/rbac), tenants
// acting through impersonation, and a server standing in for an attacker's
// endpoint.

// operatorNamespace and operatorServiceAccount are config/default's.
const (
	operatorNamespace      = "infra-operator-system"
	operatorServiceAccount = "infra-operator-controller-manager"
)

// installOperatorRBAC applies, for real, the namespace, service account and
// RBAC that kubectl apply -k config/default installs, and returns a
// kubeconfig for that service account: the operator then runs with exactly
// the rights an install gives it, no more.
func installOperatorRBAC(t *testing.T, adminKubeconfig string) (operatorKubeconfig string) {
	t.Helper()
	rendered := installObjectsOf(t, installRun(t, testenv.RepoRoot(), nil, "kubectl", "kustomize", "config/default"))
	var rbac installObjects
	for _, kind := range []string{"Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"} {
		rbac.items = append(rbac.items, rendered.ofKind(kind)...)
	}
	mustKubectl(t, adminKubeconfig, rbac.yaml(), "apply", "--server-side", "--field-manager=security-test", "-f", "-")
	return serviceAccountKubeconfig(t, adminKubeconfig, operatorNamespace, operatorServiceAccount)
}

// serviceAccountToken asks the API server for a token of a service account
// (TokenRequest, as the kubelet does for a pod).
func serviceAccountToken(t *testing.T, adminKubeconfig, namespace, name string) string {
	t.Helper()
	return strings.TrimSpace(mustKubectl(t, adminKubeconfig, "", "create", "token", name, "-n", namespace, "--duration=1h"))
}

// serviceAccountKubeconfig writes a kubeconfig that authenticates as a
// service account, to the admin kubeconfig's API server.
func serviceAccountKubeconfig(t *testing.T, adminKubeconfig, namespace, name string) string {
	t.Helper()
	token := serviceAccountToken(t, adminKubeconfig, namespace, name)
	server := mustKubectl(t, adminKubeconfig, "", "config", "view", "--raw", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}")
	ca := mustKubectl(t, adminKubeconfig, "", "config", "view", "--raw", "--minify", "-o", "jsonpath={.clusters[0].cluster.certificate-authority-data}")
	if ca == "" {
		caFile := mustKubectl(t, adminKubeconfig, "", "config", "view", "--raw", "--minify", "-o", "jsonpath={.clusters[0].cluster.certificate-authority}")
		data, err := os.ReadFile(caFile)
		if err != nil {
			t.Fatalf("reading the API server's CA: %v", err)
		}
		ca = base64.StdEncoding.EncodeToString(data)
	}
	config := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster: {server: %q, certificate-authority-data: %q}
users:
- name: %s
  user: {token: %q}
contexts:
- name: e2e
  context: {cluster: e2e, user: %s, namespace: %s}
current-context: e2e
`, server, ca, name, token, name, namespace)
	path := filepath.Join(t.TempDir(), name+".kubeconfig")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startOperatorAs runs `infra-operator run` with a kubeconfig, extra
// arguments and extra environment (the operator's own AWS identity), until
// the test ends. Its output is returned, for checks that it leaks nothing.
func startOperatorAs(t *testing.T, kubeconfig string, env []string, args ...string) *lockedBuffer {
	t.Helper()
	full := append([]string{"run", "--kubeconfig", kubeconfig,
		"--health-probe-bind-address", "127.0.0.1:" + freePort(t),
		"--resync-period", "10s"}, args...)
	cmd := exec.Command(infraOperatorBinary(t), full...)
	output := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = output, output
	// None of the user's AWS configuration: the operator's identity is env.
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "AWS_") })
	cmd.Env = append(cmd.Env, "AWS_EC2_METADATA_DISABLED=true")
	cmd.Env = append(cmd.Env, env...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the operator: %v", err)
	}
	t.Cleanup(func() {
		stopProcess(cmd)
		if t.Failed() {
			t.Logf("operator output:\n%s", output.String())
		}
	})
	return output
}

// asTenant runs kubectl as a user with no rights but those RBAC gives it.
func asTenant(t *testing.T, kubeconfig, user, stdin string, args ...string) (string, bool) {
	t.Helper()
	return kubectl(t, kubeconfig, stdin, append([]string{"--as", user}, args...)...)
}

func mustAsTenant(t *testing.T, kubeconfig, user, stdin string, args ...string) string {
	t.Helper()
	out, ok := asTenant(t, kubeconfig, user, stdin, args...)
	if !ok {
		t.Fatalf("kubectl --as %s %s failed:\n%s", user, strings.Join(args, " "), out)
	}
	return out
}

// canI asks the API server's authorizer; the answer is the last word (a
// warning may come first).
func canI(t *testing.T, kubeconfig, user string, args ...string) bool {
	t.Helper()
	out, _ := kubectl(t, kubeconfig, "", append([]string{"auth", "can-i", "--as", user}, args...)...)
	words := strings.Fields(out)
	return len(words) > 0 && words[len(words)-1] == "yes"
}

// tenantRoleFromDocs returns the tenant Role and RoleBinding of
// docs/install.md for a namespace and user: the test grants what the
// documentation tells admins to grant.
func tenantRoleFromDocs(t *testing.T, namespace, user string) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "docs", "install.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		if strings.Contains(block[1], "name: infra-operator-tenant") {
			yaml := strings.ReplaceAll(block[1], "namespace: team-a", "namespace: "+namespace)
			return strings.ReplaceAll(yaml, "name: tenant-a", "name: "+user)
		}
	}
	t.Fatal("docs/install.md has no yaml block with the Role infra-operator-tenant")
	return ""
}

// waitFor polls until done reports true, and fails with what it last said.
func waitFor(t *testing.T, timeout time.Duration, what string, done func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, last := done()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last: %s", what, timeout, last)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// jsonpath reads one field of an object as an admin.
func jsonpath(t *testing.T, kubeconfig, path string, args ...string) string {
	t.Helper()
	out, _ := kubectl(t, kubeconfig, "", append([]string{"get"}, append(args, "-o", "jsonpath="+path)...)...)
	return out
}

// readyReason is the reason of an object's Ready condition.
func readyReason(t *testing.T, kubeconfig string, args ...string) string {
	t.Helper()
	return jsonpath(t, kubeconfig, `{.status.conditions[?(@.type=="Ready")].reason}`, args...)
}

// credentialTrap is an HTTP server an attacker would point a provider's
// endpoint at: it records every request's credentials, and answers 403.
type credentialTrap struct {
	URL      string
	mu       sync.Mutex
	requests []string
}

func newCredentialTrap(t *testing.T) *credentialTrap {
	t.Helper()
	trap := &credentialTrap{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		trap.mu.Lock()
		trap.requests = append(trap.requests, fmt.Sprintf("%s %s Authorization=%q X-Amz-Security-Token=%q body=%q",
			r.Method, r.URL, r.Header.Get("Authorization"), r.Header.Get("X-Amz-Security-Token"), body))
		trap.mu.Unlock()
		http.Error(w, "<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>", http.StatusForbidden)
	}))
	t.Cleanup(server.Close)
	trap.URL = server.URL
	return trap
}

// seen returns the requests the trap received.
func (c *credentialTrap) seen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...)
}

// getMetrics GETs an HTTPS /metrics endpoint, with a bearer token when
// given, accepting its self-signed certificate as the ServiceMonitor does.
func getMetrics(t *testing.T, url, token string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// cliWithKeys is the AWS CLI against the emulator with other access keys
// (another account, when the emulator maps them to one).
func cliWithKeys(t *testing.T, endpoint, accessKeyID, secretAccessKey string) *cliEnv {
	t.Helper()
	cli := newCLIEnv(t, endpoint)
	for i, kv := range cli.env {
		switch {
		case strings.HasPrefix(kv, "AWS_ACCESS_KEY_ID="):
			cli.env[i] = "AWS_ACCESS_KEY_ID=" + accessKeyID
		case strings.HasPrefix(kv, "AWS_SECRET_ACCESS_KEY="):
			cli.env[i] = "AWS_SECRET_ACCESS_KEY=" + secretAccessKey
		}
	}
	return cli
}
