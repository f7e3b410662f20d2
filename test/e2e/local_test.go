package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// localReadyLine is what `infra-operator local` prints once the kubeconfig is written.
const localReadyLine = "infra-operator local is ready."

// localStartTimeout covers etcd, kube-apiserver, CRDs and the operator on a
// busy machine; the binaries themselves must already be built (testenv).
const localStartTimeout = 4 * time.Minute

// localResyncPeriod is the --resync-period of the e2e local runs: drift is
// healed within it.
const localResyncPeriod = 10 * time.Second

// TestLocalRunsEverythingAndSurvivesAKill is `infra-operator local` as a
// user meets it: one command brings up the API server, the emulator and the
// operator with the seed's examples; an API answers through the emulator's
// data plane; a SIGKILL leaves no etcd or kube-apiserver behind; a restart on
// the same data directory finds the same APIs.
func TestLocalRunsEverythingAndSurvivesAKill(t *testing.T) {
	dataDir := t.TempDir()
	emulatorURL := "http://127.0.0.1:" + freePort(t)
	// Not the README's 127.0.0.1:4567, which a local mode the user runs
	// beside the tests holds; the restart reuses it.
	services := []string{"--services-addr", "127.0.0.1:" + freePort(t)}

	first, firstOutput := startLocal(t, dataDir, emulatorURL, services...)
	kubeconfig := filepath.Join(dataDir, "kubeconfig")
	for name, message := range map[string]string{
		"default/private-api":      "endpointType EDGE and PRIVATE exist only for protocolType: REST",
		"default/cors-enabled-api": "allowCredentials: true cannot be combined with allowOrigins \"*\"",
	} {
		if !strings.Contains(firstOutput.String(), "refused APIGateway "+name) || !strings.Contains(firstOutput.String(), message) {
			t.Errorf("the output does not report %s refused with %q", name, message)
		}
	}
	before := readyGatewayIDs(t, kubeconfig)
	if want := servedSampleGateways(t, "private-api", "cors-enabled-api"); len(before) != want {
		t.Fatalf("want the %d APIGateways of config/samples but the 2 refused examples, got %d: %v", want, len(before), before)
	}

	// production-api allows https://app.example.com with credentials. The
	// operator makes no stage, so the emulator (like AWS) answers Not Found,
	// but the gateway's CORS headers are there.
	invoke := newCLIInvoker(t, emulatorURL, before["production/production-api"])
	preflight := invoke(t, "OPTIONS", "/orders", "-H", "Origin: https://app.example.com", "-H", "Access-Control-Request-Method: POST")
	for name, want := range map[string]string{
		"access-control-allow-origin":      "https://app.example.com",
		"access-control-allow-credentials": "true",
	} {
		if got := preflight.headers.Get(name); got != want {
			t.Errorf("preflight %s = %q, want %q\n%s", name, got, want, preflight.raw)
		}
	}
	stranger := invoke(t, "OPTIONS", "/orders", "-H", "Origin: https://evil.example", "-H", "Access-Control-Request-Method: POST")
	if origin := stranger.headers.Get("access-control-allow-origin"); origin != "" {
		t.Errorf("preflight from a disallowed origin got Access-Control-Allow-Origin %q", origin)
	}

	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	expectNoProcessUsing(t, dataDir)

	startLocal(t, dataDir, emulatorURL, services...)
	after := readyGatewayIDs(t, kubeconfig)
	for object, id := range before {
		if after[object] != id {
			t.Errorf("%s: API id %q after the restart, %q before", object, after[object], id)
		}
	}
}

// startLocal runs `infra-operator local` on dataDir, with extra flags if
// any, until the test ends (or the test kills it) and waits until it says
// it is ready.
func startLocal(t *testing.T, dataDir, emulatorURL string, extraArgs ...string) (*exec.Cmd, *lockedBuffer) {
	t.Helper()
	args := append([]string{"local", "--data-dir", dataDir,
		"--emulator-addr", strings.TrimPrefix(emulatorURL, "http://"), "--resync-period", localResyncPeriod.String()}, extraArgs...)
	cmd := exec.Command(infraOperatorBinary(t), args...)
	output := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = output, output
	cmd.Env = append(os.Environ(), "AWS_EC2_METADATA_DISABLED=true")
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting infra-operator local: %v", err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			stopProcess(cmd)
		}
		if t.Failed() {
			t.Logf("infra-operator local output:\n%s", output.String())
		}
	})
	deadline := time.Now().Add(localStartTimeout)
	for !strings.Contains(output.String(), localReadyLine) {
		// main prints "infra-operator local: ERROR" when it gives up.
		if strings.Contains(output.String(), "infra-operator local: ") || time.Now().After(deadline) {
			t.Fatalf("infra-operator local did not print %q within %s", localReadyLine, localStartTimeout)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "kubeconfig")); err != nil {
		t.Fatalf("ready, but no kubeconfig: %v", err)
	}
	return cmd, output
}

// readyGatewayIDs waits for every APIGateway to be Ready and returns their
// API ids by namespace/name.
func readyGatewayIDs(t *testing.T, kubeconfig string) map[string]string {
	t.Helper()
	if output, ok := kubectl(t, kubeconfig, "", "wait", "apigateways", "--all", "--all-namespaces",
		"--for=jsonpath={.status.ready}=true", "--timeout=120s"); !ok {
		t.Fatalf("APIGateways did not become ready:\n%s", output)
	}
	ids := map[string]string{}
	for _, gw := range listGateways(t, kubeconfig) {
		ids[gw.Object] = gw.APIID
	}
	return ids
}

// expectNoProcessUsing fails when a process still names dir on its command
// line (etcd's --data-dir, kube-apiserver's --cert-dir), once the kernel has
// had a moment to deliver their parent-death signal; it kills what it finds
// so the test leaves nothing behind either.
func expectNoProcessUsing(t *testing.T, dir string) {
	t.Helper()
	var left []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if left = processesNaming(dir); len(left) == 0 {
			return
		}
	}
	for _, process := range left {
		pid, _, _ := strings.Cut(process, " ")
		_ = exec.Command("kill", "-KILL", pid).Run()
	}
	t.Errorf("processes outlived the SIGKILLed infra-operator local:\n%s", strings.Join(left, "\n"))
}

// processesNaming returns "PID COMMAND LINE" of every process whose command
// line contains s.
func processesNaming(s string) []string {
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var found []string
	for _, path := range cmdlines {
		cmdline, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(cmdline, []byte(s)) {
			continue
		}
		pid := filepath.Base(filepath.Dir(path))
		found = append(found, pid+" "+string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
	}
	return found
}
