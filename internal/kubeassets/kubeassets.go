// Package kubeassets provides the kube-apiserver and etcd binaries that
// envtest runs, for the tests and for `infra-operator local`. The builder is a
// bash script embedded in the binary, so a built infra-operator needs neither
// this repository nor a download: it builds both from the Go module proxy at
// pinned versions into the user's cache (about 10 minutes cold on 2 cores,
// instant afterwards).
package kubeassets

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// buildScript is the builder; hack/envtest-assets.sh runs the same file.
//
//go:embed build.sh
var buildScript string

// Ensure returns the directory holding kube-apiserver and etcd. The
// KUBEBUILDER_ASSETS environment variable wins when that directory holds
// both; otherwise they are built once into the cache
// (${INFRA_OPERATOR_CACHE:-$XDG_CACHE_HOME/infra-operator}/envtest/...),
// with the builder's progress, and how long a cold build takes, written to
// progress. WITH_KUBECTL=1 builds kubectl there too. Concurrent callers wait
// for one another (flock), so only one builds.
func Ensure(ctx context.Context, progress io.Writer) (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" && holdsControlPlane(dir) {
		return dir, nil
	}
	if progress == nil {
		progress = io.Discard
	}
	// bash -c reads the script from its argument: nothing is written to disk,
	// and "$@" stays empty as it is for hack/envtest-assets.sh.
	cmd := exec.CommandContext(ctx, "bash", "-c", buildScript, "kubeassets-build.sh")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = progress
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building kube-apiserver and etcd (needs bash, flock and the go toolchain): %w", err)
	}
	dir := lastLine(stdout.String())
	if !holdsControlPlane(dir) {
		return "", fmt.Errorf("the builder printed %q, which lacks kube-apiserver or etcd", dir)
	}
	return dir, nil
}

func holdsControlPlane(dir string) bool {
	return isExecutable(filepath.Join(dir, "kube-apiserver")) && isExecutable(filepath.Join(dir, "etcd"))
}

func isExecutable(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir() && info.Mode().Perm()&0o111 != 0
}

// lastLine is the directory the script prints last; go commands it runs
// write to stderr, but a stray line on stdout must not become the answer.
func lastLine(output string) string {
	lines := strings.Split(strings.TrimSpace(output), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
