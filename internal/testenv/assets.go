// Package testenv gives tests the kube-apiserver and etcd binaries that
// envtest runs (from kubeassets, which builds them when the
// KUBEBUILDER_ASSETS environment variable does not point at them) and the
// paths of the repository's generated files.
package testenv

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/runner-codes/infra-operator/internal/kubeassets"
)

var (
	assetsOnce sync.Once
	assetsDir  string
	assetsErr  error
)

// RepoRoot is the root of this repository, found from this source file.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// AssetsDir returns the directory holding kube-apiserver and etcd, building
// them into the user's cache on the first call when they are not there yet
// (about 10 minutes cold; instant once cached). It also sets
// KUBEBUILDER_ASSETS so that envtest finds them.
func AssetsDir() (string, error) {
	assetsOnce.Do(func() {
		assetsDir, assetsErr = kubeassets.Ensure(context.Background(), os.Stderr)
		if assetsErr == nil {
			assetsErr = os.Setenv("KUBEBUILDER_ASSETS", assetsDir)
		}
	})
	return assetsDir, assetsErr
}

// CRDPaths are the generated CRDs to install in a test API server.
func CRDPaths() []string {
	return []string{filepath.Join(RepoRoot(), "config", "crd", "bases")}
}
