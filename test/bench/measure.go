package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"
)

// namespacesPerMode spreads each mode's objects over a few namespaces, as a
// cluster with several teams would.
const namespacesPerMode = 4

// benchEnv is what every mode shares: the binary, the API server and the
// emulator.
type benchEnv struct {
	cfg           config
	binary        string
	operatorFlags map[string]bool
	workDir       string
	kube          *cluster
	emulatorURL   string
}

// modeResult is what one mode cost. Durations are wall time; the report
// converts them to AWS time.
type modeResult struct {
	Mode     mode
	Mix      gatewayMix
	AllReady bool
	Ready    time.Duration
	// CreateCalls are the AWS calls from applying the objects until every
	// one was ready.
	CreateCalls callStats
	// SteadyCalls are the AWS calls during one resync period afterwards.
	SteadyCalls         callStats
	ReconcileP50        float64 // wall seconds
	ReconcileP99        float64
	ThrottledFailures   int
	NotReadyReasons     map[string]int
	PeakRSSMiB          float64
	OperatorLog         string
	MeasurementProblems []string
}

func (e benchEnv) wallResync() time.Duration {
	return time.Duration(float64(e.cfg.Resync) / e.cfg.QuotaTimeScale)
}

// measure runs one mode end to end: provider, operator, N objects, ready
// wait, one resync of steady state, metrics, then stops the operator.
func (e benchEnv) measure(ctx context.Context, m mode) (modeResult, error) {
	result := modeResult{Mode: m, Mix: mixOf(e.cfg.N)}
	if m.Note != "" {
		fmt.Println("note: " + m.Note)
	}
	namespaces := make([]string, namespacesPerMode)
	for i := range namespaces {
		namespaces[i] = fmt.Sprintf("bench-%s-%d", m.Name, i)
	}
	step(fmt.Sprintf("%s: creating the AWSProvider (account %s)", m.Name, m.Account.Account))
	if err := e.kube.createProvider(ctx, namespaces, e.emulatorURL, m.Account, e.providerRateLimit()); err != nil {
		return result, err
	}

	operator, metricsURL, err := e.startOperator(m, namespaces)
	if err != nil {
		return result, err
	}
	result.OperatorLog = operator.logPath
	defer operator.stop()
	if err := e.kube.waitProviderReady(ctx, namespaces[0]); err != nil {
		return result, fmt.Errorf("%w (operator log: %s)", err, operator.logPath)
	}

	before, err := fetchCallStats(ctx, e.emulatorURL, m.Account)
	if err != nil {
		return result, err
	}
	step(fmt.Sprintf("%s: applying %d APIGateways (%d HTTP, %d WEBSOCKET, %d REST)", m.Name, e.cfg.N, result.Mix.HTTP, result.Mix.WebSocket, result.Mix.REST))
	start := time.Now()
	if err := e.kube.applyGateways(ctx, m.Name, namespaces, e.cfg.N); err != nil {
		return result, err
	}
	readyCtx, cancel := context.WithTimeout(ctx, e.cfg.ReadyTimeout)
	last, readyErr := e.kube.waitAllReady(readyCtx, m.Name, e.cfg.N, progressPrinter(m.Name))
	cancel()
	result.Ready = time.Since(start)
	result.AllReady = readyErr == nil
	result.ThrottledFailures, result.NotReadyReasons = last.ThrottledFailures, last.NotReadyReasons
	afterCreate, err := fetchCallStats(ctx, e.emulatorURL, m.Account)
	if err != nil {
		return result, err
	}
	result.CreateCalls = afterCreate.since(before)

	if result.AllReady {
		step(fmt.Sprintf("%s: all ready after %.1f s wall; counting AWS calls over one resync (%s wall)", m.Name, result.Ready.Seconds(), e.wallResync()))
		result.SteadyCalls, err = e.callsOver(ctx, e.wallResync(), m.Account)
		if err != nil {
			return result, err
		}
	}
	e.readOperatorFigures(ctx, operator, metricsURL, &result)
	if readyErr != nil {
		return result, fmt.Errorf("%d of %d ready: %w (operator log: %s)", last.Ready, e.cfg.N, readyErr, operator.logPath)
	}
	return result, nil
}

// providerRateLimit returns the provider's client-side limit: nil (AWS's
// 10 rps) when the operator scales its limiter itself, else 10 rps × scale
// so that the limiter does not hold the operator below the emulator's pace.
func (e benchEnv) providerRateLimit() *int32 {
	if e.operatorFlags[operatorScaleFlag] {
		return nil
	}
	scaled := int32(math.Round(awsTotalPerSecond * e.cfg.QuotaTimeScale))
	return &scaled
}

func (e benchEnv) startOperator(m mode, namespaces []string) (*process, string, error) {
	metricsAddress := "127.0.0.1:" + freePort()
	args := []string{"run",
		"--kubeconfig", e.kube.kubeconfig,
		"--namespaces", strings.Join(namespaces, ","),
		"--metrics-bind-address", metricsAddress,
		"--health-probe-bind-address", "127.0.0.1:" + freePort(),
		"--resync-period", e.wallResync().String(),
	}
	if e.cfg.MaxConcurrentReconciles > 0 {
		args = append(args, "--max-concurrent-reconciles", fmt.Sprint(e.cfg.MaxConcurrentReconciles))
	}
	if e.operatorFlags[operatorScaleFlag] {
		args = append(args, "--"+operatorScaleFlag, fmt.Sprint(e.cfg.QuotaTimeScale))
	}
	if e.operatorFlags["metrics-secure"] {
		// The benchmark reads /metrics itself, without a token.
		args = append(args, "--metrics-secure=false")
	}
	args = append(args, m.RunArgs...)
	step(fmt.Sprintf("%s: starting the operator: %v", m.Name, args[1:]))
	operator, err := startProcess(e.binary, filepath.Join(e.workDir, "operator-"+m.Name+".log"), args...)
	return operator, "http://" + metricsAddress + "/metrics", err
}

// callsOver returns the AWS calls made during the next window.
func (e benchEnv) callsOver(ctx context.Context, window time.Duration, account accountCredentials) (callStats, error) {
	before, err := fetchCallStats(ctx, e.emulatorURL, account)
	if err != nil {
		return callStats{}, err
	}
	select {
	case <-ctx.Done():
		return callStats{}, ctx.Err()
	case <-time.After(window):
	}
	after, err := fetchCallStats(ctx, e.emulatorURL, account)
	return after.since(before), err
}

// readOperatorFigures reads reconcile latency from /metrics and peak memory
// from /proc while the operator still runs. A figure that cannot be read is
// noted, not invented.
func (e benchEnv) readOperatorFigures(ctx context.Context, operator *process, metricsURL string, result *modeResult) {
	p50, p99, err := reconcileLatency(ctx, metricsURL)
	if err != nil {
		result.MeasurementProblems = append(result.MeasurementProblems, "reconcile latency: "+err.Error())
		p50, p99 = math.NaN(), math.NaN()
	}
	result.ReconcileP50, result.ReconcileP99 = p50, p99
	if result.PeakRSSMiB, err = operator.peakRSSMiB(); err != nil {
		result.MeasurementProblems = append(result.MeasurementProblems, "peak RSS: "+err.Error())
		result.PeakRSSMiB = math.NaN()
	}
}

// reconcileHistogram is controller-runtime's reconcile duration histogram;
// the APIGateway reconciler is registered as controller "apigateway".
const (
	reconcileHistogram   = "controller_runtime_reconcile_time_seconds"
	apiGatewayController = "apigateway"
)

func reconcileLatency(ctx context.Context, metricsURL string) (p50, p99 float64, err error) {
	body, err := fetch(ctx, metricsURL)
	if err != nil {
		return 0, 0, err
	}
	buckets, err := histogramBuckets(bytes.NewReader(body), reconcileHistogram, map[string]string{"controller": apiGatewayController})
	if err != nil {
		return 0, 0, err
	}
	if len(buckets) == 0 {
		return 0, 0, fmt.Errorf("no %s{controller=%q} in /metrics", reconcileHistogram, apiGatewayController)
	}
	return quantile(0.50, buckets), quantile(0.99, buckets), nil
}

// progressPrinter prints the ready count when it changes, at most every
// ten seconds, so a long run shows it is alive.
func progressPrinter(modeName string) func(readiness) {
	var lastPrinted time.Time
	lastReady := -1
	return func(r readiness) {
		if r.Ready == lastReady || time.Since(lastPrinted) < 10*time.Second {
			return
		}
		lastReady, lastPrinted = r.Ready, time.Now()
		step(fmt.Sprintf("%s: %d/%d ready", modeName, r.Ready, r.Total))
	}
}
