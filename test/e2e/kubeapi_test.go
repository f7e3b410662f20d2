package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// startKubeAPIServer starts a real kube-apiserver and etcd (envtest), with
// the project's CRDs installed when withCRDs, and returns the path of a
// kubeconfig with cluster-admin rights for outside clients such as kubectl
// and the operator binary. Everything stops when the test ends.
func startKubeAPIServer(t *testing.T, withCRDs bool) (kubeconfig string) {
	t.Helper()
	if _, err := testenv.AssetsDir(); err != nil {
		t.Fatal(err)
	}
	env := &envtest.Environment{}
	if withCRDs {
		env.CRDDirectoryPaths, env.ErrorIfCRDPathMissing = testenv.CRDPaths(), true
	}
	if _, err := env.Start(); err != nil {
		t.Fatalf("starting kube-apiserver and etcd: %v", err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Logf("stopping the API server: %v", err)
		}
	})
	admin, err := env.AddUser(envtest.User{Name: "e2e-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	config, err := admin.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig = filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, config, 0o600); err != nil {
		t.Fatal(err)
	}
	return kubeconfig
}

// kubectl runs kubectl against the given kubeconfig, with stdin when not
// empty, and returns its combined output and whether it succeeded.
func kubectl(t *testing.T, kubeconfig, stdin string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command("kubectl", append([]string{"--kubeconfig", kubeconfig}, args...)...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	output, err := cmd.CombinedOutput()
	return string(output), err == nil
}

// mustKubectl is kubectl for steps that must succeed.
func mustKubectl(t *testing.T, kubeconfig, stdin string, args ...string) string {
	t.Helper()
	output, ok := kubectl(t, kubeconfig, stdin, args...)
	if !ok {
		t.Fatalf("kubectl %s failed:\n%s", strings.Join(args, " "), output)
	}
	return output
}
