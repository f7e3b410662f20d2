// Command bench measures how well the operator spends AWS's fixed API Gateway
// control-plane quotas: it makes N APIGateways against the emulator (quotas
// on) with a real kube-apiserver, once in the operator's normal mode (batched
// observation, shared rate limiter) and once in a baseline mode (a Get per
// object, no shared limiter), and prints what each cost. Its serving modes
// (http, websocket, rest) make N APIs of one protocol with R routes, I
// integrations and one stage each, time them until every stage serves, and
// invoke every route through the emulator's data plane.
//
//	go run ./test/bench -n 500
//	go run ./test/bench -modes http,websocket,rest -serving-n 100 -serving-routes 10
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/testenv"
)

// config is the benchmark's flags.
type config struct {
	Modes                   string
	N                       int
	ServingN                int
	ServingRoutes           int
	ServingIntegrations     int
	QuotaTimeScale          float64
	Resync                  time.Duration // in AWS (emulated) time
	ServingResync           time.Duration // in AWS (emulated) time
	Timeout                 time.Duration // wall time, the whole run
	ReadyTimeout            time.Duration // wall time, per mode
	MaxConcurrentReconciles int
	KeepDir                 bool
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.Modes, "modes", defaultModes, "comma-separated modes to run: batched and baseline (APIs only), http, websocket and rest (serving)")
	flag.IntVar(&cfg.N, "n", 500, "APIGateway objects of the batched and baseline modes (1/3 HTTP, 1/3 WEBSOCKET, 1/3 REST REGIONAL)")
	flag.IntVar(&cfg.ServingN, "serving-n", 100, "APIGateway objects of each serving mode")
	flag.IntVar(&cfg.ServingRoutes, "serving-routes", 10, "routes of each serving object")
	flag.IntVar(&cfg.ServingIntegrations, "serving-integrations", 2, "HTTP_PROXY integrations of each serving object, shared by its routes in rotation")
	flag.DurationVar(&cfg.ServingResync, "serving-resync", 5*time.Minute, "operator resync period of the serving modes, in emulated AWS time (the operator's default)")
	flag.Float64Var(&cfg.QuotaTimeScale, "quota-time-scale", 10, "emulated AWS runs this many times faster than the wall clock; every quota and the resync scale with it")
	flag.DurationVar(&cfg.Resync, "resync", 60*time.Second, "operator resync period, in emulated AWS time")
	flag.DurationVar(&cfg.Timeout, "timeout", 30*time.Minute, "wall-clock bound of the whole run; reaching it fails the benchmark")
	flag.DurationVar(&cfg.ReadyTimeout, "ready-timeout", 12*time.Minute, "wall-clock bound of one mode's wait for every object to be ready")
	flag.IntVar(&cfg.MaxConcurrentReconciles, "max-concurrent-reconciles", 0, "passed to the operator when set; 0 keeps the operator's default")
	flag.BoolVar(&cfg.KeepDir, "keep", false, "keep the work directory (logs, kubeconfig) after the run")
	flag.Parse()
	return cfg
}

// defaultModes runs every mode.
const defaultModes = "batched,baseline,http,websocket,rest"

func (cfg config) validate() error {
	switch {
	case cfg.N < 1 || cfg.ServingN < 1:
		return errors.New("-n and -serving-n must be positive")
	case cfg.ServingRoutes < 1 || cfg.ServingIntegrations < 1 || cfg.ServingIntegrations > cfg.ServingRoutes:
		return errors.New("-serving-routes must be positive and -serving-integrations between 1 and -serving-routes (every integration has a route)")
	case cfg.QuotaTimeScale <= 0 || cfg.Resync <= 0 || cfg.ServingResync <= 0:
		return errors.New("-quota-time-scale, -resync and -serving-resync must be positive")
	}
	return nil
}

// resyncOf is the mode's resync period, in AWS time.
func (cfg config) resyncOf(m mode) time.Duration {
	if m.Serving != nil {
		return cfg.ServingResync
	}
	return cfg.Resync
}

func main() {
	cfg := parseFlags()
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "bench: "+err.Error())
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	err := run(ctx, cfg)
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
	cancel() // not deferred: os.Exit would skip it
	if timedOut {
		fmt.Fprintf(os.Stderr, "bench: FAILED: the global timeout of %s was reached\n", cfg.Timeout)
		os.Exit(1)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: FAILED: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	workDir, err := os.MkdirTemp("", "infra-operator-bench-")
	if err != nil {
		return err
	}
	if cfg.KeepDir {
		fmt.Printf("work directory (logs, kubeconfig): %s\n", workDir)
	} else {
		defer os.RemoveAll(workDir)
	}

	step("building ./cmd/infra-operator")
	binary, err := buildOperator(ctx, testenv.RepoRoot(), workDir)
	if err != nil {
		return err
	}
	operatorFlags := runFlags(binary)
	modes, err := selectModes(append(benchmarkModes(operatorFlags), servingModes(cfg.ServingRoutes, cfg.ServingIntegrations)...), cfg.Modes)
	if err != nil {
		return err
	}
	for _, note := range operatorNotes(operatorFlags, cfg.QuotaTimeScale) {
		fmt.Println("note: " + note)
	}

	step("starting kube-apiserver and etcd")
	kube, err := startCluster(workDir)
	if err != nil {
		return err
	}
	defer kube.stop()

	emulatorArgs := []string{"--quotas", "--quota-time-scale", fmt.Sprint(cfg.QuotaTimeScale)}
	for _, m := range modes {
		emulatorArgs = append(emulatorArgs, "--credentials", m.Account.emulatorFlag())
	}
	step("starting the emulator: " + strings.Join(emulatorArgs, " "))
	emulatorProcess, emulatorURL, err := startEmulator(binary, workDir, emulatorArgs...)
	if err != nil {
		return err
	}
	defer emulatorProcess.stop()

	fmt.Printf("quota time scale %g: emulated AWS runs %g× faster than the wall clock; times below are in AWS seconds (wall × %g) unless marked wall\n",
		cfg.QuotaTimeScale, cfg.QuotaTimeScale, cfg.QuotaTimeScale)

	backend, err := startBackend()
	if err != nil {
		return err
	}
	defer backend.stop()

	var results []modeResult
	var failures []string
	env := benchEnv{cfg: cfg, binary: binary, operatorFlags: operatorFlags, workDir: workDir, kube: kube, emulatorURL: emulatorURL, backendURL: backend.URL}
	for _, m := range modes {
		result, err := env.measure(ctx, m)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			failures = append(failures, fmt.Sprintf("%s: %v", m.Name, err))
		}
		results = append(results, result)
	}

	apiResults, servingResults := splitResults(results)
	if len(apiResults) > 0 {
		printTable(os.Stdout, cfg, apiResults)
		fmt.Println(summaryLine(cfg.N, cfg.QuotaTimeScale, apiResults))
	}
	if len(servingResults) > 0 {
		printServingTable(os.Stdout, cfg, servingResults)
		for _, r := range servingResults {
			fmt.Println(servingSummaryLine(cfg.QuotaTimeScale, r))
		}
	}
	if len(failures) > 0 {
		return fmt.Errorf("%s", strings.Join(failures, "; "))
	}
	return nil
}

func step(what string) {
	fmt.Printf("[%s] %s\n", time.Now().Format("15:04:05"), what)
}
