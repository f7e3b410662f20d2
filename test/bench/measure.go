package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
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
	// backendURL is where the serving modes' integrations forward to.
	backendURL string
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
	// SteadyCalls are the AWS calls during SteadyPeriods resync periods
	// afterwards.
	SteadyCalls   callStats
	SteadyPeriods int
	// SteadyReconciles are the APIGateway reconciles in that period.
	SteadyReconciles float64
	// CreateReconciles are the APIGateway reconciles from applying until
	// every object was ready.
	CreateReconciles reconcileTally
	// N is how many objects the mode applied.
	N int
	// Invoked is what invoking every route of a serving mode found.
	Invoked             *invokeResult
	ReconcileP50        float64 // wall seconds
	ReconcileP99        float64
	ThrottledFailures   int
	NotReadyReasons     map[string]int
	PeakRSSMiB          float64
	OperatorLog         string
	MeasurementProblems []string
}

// wallResync is the mode's resync period in wall time.
func (e benchEnv) wallResync(m mode) time.Duration {
	return time.Duration(float64(e.cfg.resyncOf(m)) / e.cfg.QuotaTimeScale)
}

// measure runs one mode end to end: provider, operator, N objects, ready
// wait, one resync of steady state, metrics, then stops the operator.
func (e benchEnv) measure(ctx context.Context, m mode) (modeResult, error) {
	n := e.cfg.N
	if m.Serving != nil {
		n = e.cfg.ServingN
	}
	result := modeResult{Mode: m, Mix: mixOf(n), N: n}
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
	reconcilesAtStart, reconcilesAtStartErr := reconcileCount(ctx, metricsURL)
	start := time.Now()
	if err := e.apply(ctx, m, namespaces, result); err != nil {
		return result, err
	}
	readyCtx, cancel := context.WithTimeout(ctx, e.cfg.ReadyTimeout)
	last, readyErr := e.kube.waitAllReady(readyCtx, m.Name, n, doneWhen(m), progressPrinter(m.Name))
	cancel()
	result.Ready = time.Since(start)
	result.AllReady = readyErr == nil
	result.ThrottledFailures, result.NotReadyReasons = last.ThrottledFailures, last.NotReadyReasons
	afterCreate, err := fetchCallStats(ctx, e.emulatorURL, m.Account)
	if err != nil {
		return result, err
	}
	result.CreateCalls = afterCreate.since(before)
	reconcilesAtReady, err := reconcileCount(ctx, metricsURL)
	if err = errors.Join(reconcilesAtStartErr, err); err != nil {
		result.MeasurementProblems = append(result.MeasurementProblems, "reconciles until ready: "+err.Error())
		result.CreateReconciles = reconcileTally{math.NaN(), math.NaN()}
	} else {
		result.CreateReconciles = reconcilesAtReady.since(reconcilesAtStart)
	}

	if result.AllReady {
		result.SteadyPeriods = steadyPeriods(m)
		window := time.Duration(result.SteadyPeriods) * e.wallResync(m)
		step(fmt.Sprintf("%s: all ready after %.1f s wall; counting AWS calls over %d resync periods (%s wall)", m.Name, result.Ready.Seconds(), result.SteadyPeriods, window))
		reconcilesBefore, reconcilesErr := reconcileCount(ctx, metricsURL)
		result.SteadyCalls, err = e.callsOver(ctx, window, m.Account)
		if err != nil {
			return result, err
		}
		reconcilesAfter, err := reconcileCount(ctx, metricsURL)
		if err = errors.Join(reconcilesErr, err); err != nil {
			result.MeasurementProblems = append(result.MeasurementProblems, "steady reconciles: "+err.Error())
			result.SteadyReconciles = math.NaN()
		} else {
			result.SteadyReconciles = reconcilesAfter.since(reconcilesBefore).Passes
		}
		if m.Serving != nil {
			if err := e.invoke(ctx, m, &result); err != nil {
				return result, err
			}
		}
	}
	e.readOperatorFigures(ctx, operator, metricsURL, &result)
	if readyErr != nil {
		return result, fmt.Errorf("%d of %d ready: %w (operator log: %s)", last.Ready, n, readyErr, operator.logPath)
	}
	if result.Invoked != nil && result.Invoked.Served != result.Invoked.Invoked {
		return result, fmt.Errorf("%d of %d routes served as declared: %s", result.Invoked.Served, result.Invoked.Invoked, strings.Join(result.Invoked.Failures, "; "))
	}
	return result, nil
}

// steadyPeriods is how many resync periods the steady state is counted
// over: the API modes keep their one; a serving mode takes two, so that the
// ±10 % jitter of each object's resync moves fewer passes in or out of the
// window than one period would.
func steadyPeriods(m mode) int {
	if m.Serving != nil {
		return 2
	}
	return 1
}

// apply creates the mode's objects.
func (e benchEnv) apply(ctx context.Context, m mode, namespaces []string, result modeResult) error {
	if shape := m.Serving; shape != nil {
		step(fmt.Sprintf("%s: applying %d %s APIGateways of %d routes, %d integrations and one stage", m.Name, result.N, shape.Protocol, shape.Routes, shape.Integrations))
		return e.kube.applyServingGateways(ctx, m.Name, namespaces, result.N, *shape, e.backendURL)
	}
	step(fmt.Sprintf("%s: applying %d APIGateways (%d HTTP, %d WEBSOCKET, %d REST)", m.Name, result.N, result.Mix.HTTP, result.Mix.WebSocket, result.Mix.REST))
	return e.kube.applyGateways(ctx, m.Name, namespaces, result.N)
}

// doneWhen is when an object of the mode counts as done: Ready, and for a
// serving mode serving.
func doneWhen(m mode) func(*v1alpha1.APIGateway) bool {
	if m.Serving != nil {
		return isServing
	}
	return func(obj *v1alpha1.APIGateway) bool { return obj.Status.Ready }
}

// invoke calls every route of the mode's objects through the emulator's
// data plane: being Ready is what the operator says; answering is what
// serving means.
func (e benchEnv) invoke(ctx context.Context, m mode, result *modeResult) error {
	objects, err := e.kube.gateways(ctx, m.Name)
	if err != nil {
		return err
	}
	invoked := invokeAll(ctx, e.emulatorURL, *m.Serving, objects)
	result.Invoked = &invoked
	step(fmt.Sprintf("%s: %d of %d routes answered through the emulator's data plane as declared", m.Name, invoked.Served, invoked.Invoked))
	return nil
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
		"--resync-period", e.wallResync(m).String(),
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

// reconcileTotal counts the APIGateway reconciles, by result.
const reconcileTotal = "controller_runtime_reconcile_total"

// reconcileTally is controller-runtime's count of APIGateway reconciles:
// every pass, and those that returned an error.
type reconcileTally struct {
	Passes, Errors float64
}

func (t reconcileTally) since(earlier reconcileTally) reconcileTally {
	return reconcileTally{Passes: t.Passes - earlier.Passes, Errors: t.Errors - earlier.Errors}
}

func reconcileCount(ctx context.Context, metricsURL string) (reconcileTally, error) {
	body, err := fetch(ctx, metricsURL)
	if err != nil {
		return reconcileTally{}, err
	}
	passes, err := counterSum(bytes.NewReader(body), reconcileTotal, map[string]string{"controller": apiGatewayController})
	if err != nil {
		return reconcileTally{}, err
	}
	// controller-runtime registers every result label at start, so an
	// error series exists (at zero) before the first error.
	errs, err := counterSum(bytes.NewReader(body), reconcileTotal, map[string]string{"controller": apiGatewayController, "result": "error"})
	return reconcileTally{Passes: passes, Errors: errs}, err
}

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
