package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildOperator builds ./cmd/infra-operator into dir and returns its path.
func buildOperator(ctx context.Context, moduleRoot, dir string) (string, error) {
	binary := filepath.Join(dir, "infra-operator")
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, "./cmd/infra-operator")
	build.Dir = moduleRoot
	if output, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/infra-operator: %w\n%s", err, output)
	}
	return binary, nil
}

// process is a child process whose output goes to a log file.
type process struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed once the process has exited
}

// startProcess runs binary with args, output appended to logPath.
func startProcess(binary, logPath string, args ...string) (*process, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Nothing here should reach real AWS or its metadata service.
	cmd.Env = append(os.Environ(), "AWS_EC2_METADATA_DISABLED=true")
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting %s %s: %w", binary, args[0], err)
	}
	p := &process{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	return p, nil
}

// stop asks the process to stop as Ctrl-C would and kills it when it
// lingers for more than ten seconds.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// peakRSSMiB reads the process's high-water resident set (VmHWM) from /proc.
func (p *process) peakRSSMiB() (float64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	return vmHWMMiB(string(status))
}

func vmHWMMiB(procStatus string) (float64, error) {
	for _, line := range strings.Split(procStatus, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fields := strings.Fields(rest) // "123456 kB"
			if len(fields) != 2 || fields[1] != "kB" {
				return 0, fmt.Errorf("unexpected VmHWM line %q", line)
			}
			kib, err := strconv.ParseFloat(fields[0], 64)
			return kib / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc status")
}

// listeningLine is what `infra-operator emulator` prints once it serves.
var listeningLine = regexp.MustCompile(`emulator listening on (http://\S+)`)

// startEmulator starts the emulator on a free port with args and waits, at
// most a minute, for it to say where it listens.
func startEmulator(binary, logDir string, args ...string) (*process, string, error) {
	listen := "127.0.0.1:" + freePort()
	p, err := startProcess(binary, filepath.Join(logDir, "emulator.log"), append([]string{"emulator", "--listen", listen}, args...)...)
	if err != nil {
		return nil, "", err
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if url := firstMatch(p.logPath, listeningLine); url != "" {
			return p, url, nil
		}
		if p.exited() {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop()
	return nil, "", fmt.Errorf("the emulator did not start; see %s", p.logPath)
}

func firstMatch(path string, pattern *regexp.Regexp) string {
	file, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if match := pattern.FindStringSubmatch(scanner.Text()); match != nil {
			return match[1]
		}
	}
	return ""
}

// runFlags lists the flags `infra-operator run -h` documents, so that the
// benchmark uses the baseline switches only where the binary has them.
func runFlags(binary string) map[string]bool {
	// -h exits non-zero through flag.ErrHelp; the usage text is what matters.
	output, _ := exec.Command(binary, "run", "-h").CombinedOutput()
	flags := map[string]bool{}
	for _, match := range regexp.MustCompile(`(?m)^\s+-{1,2}([a-z0-9-]+)`).FindAllSubmatch(output, -1) {
		flags[string(match[1])] = true
	}
	return flags
}

// freePort returns a port nothing listens on at the moment.
func freePort() string {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("no free port on 127.0.0.1: %v", err))
	}
	defer listener.Close()
	_, port, _ := net.SplitHostPort(listener.Addr().String())
	return port
}
