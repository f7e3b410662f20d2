package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEmulatorAccessLogFlag runs the emulator subcommand with --access-log
// to a file, which gets one line per invoke request and none for
// control-plane calls.
func TestEmulatorAccessLogFlag(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "access.log")
	addr := freeAddress(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runEmulator(ctx, []string{"--listen", addr, "--access-log", logPath}) }()
	waitListening(t, addr)

	invoke := mustRequest(t, "http://"+addr+"/prod/x")
	invoke.Host = "nosuchapi.execute-api.localhost"
	for _, request := range []*http.Request{invoke, mustRequest(t, "http://"+addr+"/v2/apis")} {
		response, err := http.DefaultClient.Do(request)
		if err != nil {
			t.Fatal(err)
		}
		response.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("emulator: %v", err)
	}
	written, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(written), "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], " host=nosuchapi.execute-api.localhost method=GET path=/prod/x status=403 ") {
		t.Fatalf("access log:\n%s", written)
	}
}

func freeAddress(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	return listener.Addr().String()
}

// waitListening waits until addr accepts connections.
func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the emulator does not listen on %s: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	request, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return request
}
