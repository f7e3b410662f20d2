package kubeassets

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeControlPlane puts executable stand-ins for kube-apiserver and etcd in dir.
func fakeControlPlane(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"kube-apiserver", "etcd"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEnsureUsesKubebuilderAssetsWhenItHoldsBothBinaries(t *testing.T) {
	assets := t.TempDir()
	fakeControlPlane(t, assets)
	t.Setenv("KUBEBUILDER_ASSETS", assets)
	t.Setenv("INFRA_OPERATOR_CACHE", t.TempDir()) // a build would land here, not in the user's cache

	dir, err := Ensure(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if dir != assets {
		t.Errorf("Ensure() = %q, want KUBEBUILDER_ASSETS %q", dir, assets)
	}
}

// The embedded script runs, finds the binaries already in its cache under the
// pinned versions, says why it did not use KUBEBUILDER_ASSETS, and prints the
// cache directory, which Ensure returns.
func TestEnsureRunsTheEmbeddedBuilderAgainstItsCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("INFRA_OPERATOR_CACHE", cache)
	t.Setenv("KUBERNETES_VERSION", "v1.0.0-test")
	t.Setenv("ETCD_VERSION", "v3.0.0-test")
	incomplete := t.TempDir()
	if err := os.WriteFile(filepath.Join(incomplete, "etcd"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBEBUILDER_ASSETS", incomplete)
	cached := filepath.Join(cache, "envtest", "k8s-v1.0.0-test-etcd-v3.0.0-test")
	fakeControlPlane(t, cached)

	var progress bytes.Buffer
	dir, err := Ensure(context.Background(), &progress)
	if err != nil {
		t.Fatalf("Ensure: %v\n%s", err, progress.String())
	}
	if dir != cached {
		t.Errorf("Ensure() = %q, want the cache directory %q", dir, cached)
	}
	if !strings.Contains(progress.String(), "lacks kube-apiserver or etcd") {
		t.Errorf("progress does not say why KUBEBUILDER_ASSETS was not used:\n%s", progress.String())
	}
}

func TestBuildScriptTellsHowLongAColdBuildTakes(t *testing.T) {
	if !strings.Contains(buildScript, "about 10 minutes cold") {
		t.Error("the embedded builder no longer warns how long a cold kube-apiserver build takes")
	}
}
