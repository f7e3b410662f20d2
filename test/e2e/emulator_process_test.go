package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// The infra-operator binary is built once per test binary and shared by the
// tests that start an emulator process.
var (
	buildBinaryOnce sync.Once
	builtBinary     string
	buildErr        error
)

// listeningLine is what `infra-operator emulator` prints once it serves.
var listeningLine = regexp.MustCompile(`emulator listening on (http://\S+)`)

const emulatorStartTimeout = 60 * time.Second

// startEmulator builds ./cmd/infra-operator (once), starts
// `infra-operator emulator --listen 127.0.0.1:PORT args...` on a free port,
// waits for its "emulator listening on" line and returns the URL it prints.
// The process is stopped when the test ends; its output is logged then.
func startEmulator(t *testing.T, args ...string) (baseURL string) {
	t.Helper()
	binary := infraOperatorBinary(t)
	listen := "127.0.0.1:" + freePort(t)
	cmd := exec.Command(binary, append([]string{"emulator", "--listen", listen}, args...)...)
	var output lockedBuffer
	cmd.Stderr = &output
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() {
		stopProcess(cmd)
		if t.Failed() {
			t.Logf("emulator output:\n%s", output.String())
		}
	})
	found := make(chan string, 1)
	go scanForListeningLine(stdout, &output, found)
	select {
	case baseURL = <-found:
		return baseURL
	case <-time.After(emulatorStartTimeout):
		t.Fatalf("the emulator did not print %q within %s; output:\n%s", listeningLine, emulatorStartTimeout, output.String())
		return ""
	}
}

// scanForListeningLine copies the process's stdout into output, sending the
// listening URL the first time it appears.
func scanForListeningLine(stdout io.Reader, output *lockedBuffer, found chan<- string) {
	scanner := bufio.NewScanner(stdout)
	sent := false
	for scanner.Scan() {
		line := scanner.Text()
		fmt.Fprintln(output, line)
		if match := listeningLine.FindStringSubmatch(line); match != nil && !sent {
			found <- match[1]
			sent = true
		}
	}
}

// stopProcess asks the process to stop as a user's Ctrl-C would, and kills
// it when it lingers.
func stopProcess(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// infraOperatorBinary returns the path of the binary, building it the first
// time. It lives in the user cache directory under a name fixed for this
// checkout, so runs reuse one file instead of leaving a binary behind in /tmp
// each time, and a run in another clone or worktree (of another branch)
// never replaces the binary this run is about to start.
func infraOperatorBinary(t *testing.T) string {
	t.Helper()
	buildBinaryOnce.Do(func() { builtBinary, buildErr = buildInfraOperator() })
	if buildErr != nil {
		t.Fatalf("building infra-operator: %v", buildErr)
	}
	return builtBinary
}

func buildInfraOperator() (string, error) {
	moduleRoot := testenv.RepoRoot()
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	dir := filepath.Join(cacheDir, "infra-operator-e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Build beside the final name, then rename: a concurrent run that is
	// executing the previous binary keeps its file.
	partial, err := os.CreateTemp(dir, "infra-operator-*.partial")
	if err != nil {
		return "", err
	}
	partial.Close()
	defer os.Remove(partial.Name())
	build := exec.Command("go", "build", "-o", partial.Name(), "./cmd/infra-operator")
	build.Dir = moduleRoot
	if output, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%w\n%s", err, output)
	}
	checkout := sha256.Sum256([]byte(moduleRoot))
	binary := filepath.Join(dir, fmt.Sprintf("infra-operator-%x", checkout[:6]))
	return binary, os.Rename(partial.Name(), binary)
}

// freePort returns a port nothing listens on at the moment.
func freePort(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	_, port, _ := net.SplitHostPort(listener.Addr().String())
	return port
}

// lockedBuffer is a bytes.Buffer written by the process's output copiers
// and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
