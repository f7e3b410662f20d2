// Package testenv gives tests (and local mode) the kube-apiserver and etcd
// binaries that envtest runs, built by hack/envtest-assets.sh when the
// KUBEBUILDER_ASSETS environment variable does not point at them.
package testenv

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
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
		cmd := exec.Command("bash", filepath.Join(RepoRoot(), "hack", "envtest-assets.sh"))
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		cmd.Stderr = os.Stderr // progress of a cold build
		if err := cmd.Run(); err != nil {
			assetsErr = fmt.Errorf("providing kube-apiserver and etcd with hack/envtest-assets.sh: %w", err)
			return
		}
		assetsDir = strings.TrimSpace(stdout.String())
		assetsErr = os.Setenv("KUBEBUILDER_ASSETS", assetsDir)
	})
	return assetsDir, assetsErr
}

// CRDPaths are the generated CRDs to install in a test API server.
func CRDPaths() []string {
	return []string{filepath.Join(RepoRoot(), "config", "crd", "bases")}
}
