package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
)

// awsSeconds converts wall seconds into emulated AWS seconds.
func awsSeconds(wallSeconds, scale float64) float64 { return wallSeconds * scale }

// ratio is ready time over the quota-bound minimum; with a zero minimum
// (everything fits the burst) it is not defined.
func ratio(readyAWSSeconds, quotaMin float64) float64 {
	if quotaMin <= 0 {
		return math.NaN()
	}
	return readyAWSSeconds / quotaMin
}

func printTable(w io.Writer, cfg config, results []modeResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	defer tw.Flush()
	fmt.Fprintln(tw)
	row(tw, "figure", results, func(r modeResult) string { return r.Mode.Name })
	row(tw, "all ready", results, func(r modeResult) string { return fmt.Sprint(r.AllReady) })
	row(tw, "ready_s (AWS s)", results, func(r modeResult) string { return f1(awsSeconds(r.Ready.Seconds(), cfg.QuotaTimeScale)) })
	row(tw, "ready (wall s)", results, func(r modeResult) string { return f1(r.Ready.Seconds()) })
	row(tw, "quota_min_s (AWS s)", results, func(r modeResult) string { return f1(quotaMinSeconds(r.Mix)) })
	row(tw, "ratio ready/quota_min", results, func(r modeResult) string {
		return f2(ratio(awsSeconds(r.Ready.Seconds(), cfg.QuotaTimeScale), quotaMinSeconds(r.Mix)))
	})
	row(tw, "API Gateway calls until ready", results, func(r modeResult) string { return fmt.Sprint(apiGatewayTotal(r.CreateCalls.Calls)) })
	row(tw, "  necessary (formula)", results, func(r modeResult) string { return fmt.Sprint(r.Mix.necessaryCreateCalls()) })
	opRows(tw, "  ", results, func(r modeResult) map[string]int64 { return r.CreateCalls.Calls })
	row(tw, "throttled (429) until ready", results, func(r modeResult) string { return fmt.Sprint(apiGatewayTotal(r.CreateCalls.Throttled)) })
	opRows(tw, "  429 ", results, func(r modeResult) map[string]int64 { return r.CreateCalls.Throttled })
	row(tw, fmt.Sprintf("steady_calls (one resync, %s AWS)", cfg.Resync), results, func(r modeResult) string { return fmt.Sprint(apiGatewayTotal(r.SteadyCalls.Calls)) })
	row(tw, "  one list walk (formula)", results, func(r modeResult) string { return fmt.Sprint(r.Mix.listWalkPages()) })
	opRows(tw, "  ", results, func(r modeResult) map[string]int64 { return r.SteadyCalls.Calls })
	row(tw, "steady throttled (429)", results, func(r modeResult) string { return fmt.Sprint(apiGatewayTotal(r.SteadyCalls.Throttled)) })
	row(tw, "reconcile p50 (wall ms)", results, func(r modeResult) string { return f1(r.ReconcileP50 * 1000) })
	row(tw, "reconcile p99 (wall ms)", results, func(r modeResult) string { return f1(r.ReconcileP99 * 1000) })
	row(tw, "reconcile p99 (AWS s)", results, func(r modeResult) string { return f2(awsSeconds(r.ReconcileP99, cfg.QuotaTimeScale)) })
	row(tw, "throttled_failures", results, func(r modeResult) string { return fmt.Sprint(r.ThrottledFailures) })
	row(tw, "not ready by reason", results, func(r modeResult) string { return reasons(r.NotReadyReasons) })
	row(tw, "peak RSS (MiB)", results, func(r modeResult) string { return f1(r.PeakRSSMiB) })
	tw.Flush()
	printMeasurementProblems(w, results)
}

func printMeasurementProblems(w io.Writer, results []modeResult) {
	for _, r := range results {
		for _, problem := range r.MeasurementProblems {
			fmt.Fprintf(w, "%s: could not measure %s\n", r.Mode.Name, problem)
		}
	}
}

func row(w io.Writer, label string, results []modeResult, cell func(modeResult) string) {
	cells := []string{label}
	for _, r := range results {
		cells = append(cells, cell(r))
	}
	fmt.Fprintln(w, strings.Join(cells, "\t")+"\t")
}

// opRows prints one row per AWS operation seen in any mode.
func opRows(w io.Writer, indent string, results []modeResult, counts func(modeResult) map[string]int64) {
	seen := map[string]bool{}
	for _, r := range results {
		for op := range counts(r) {
			seen[op] = true
		}
	}
	ops := make([]string, 0, len(seen))
	for op := range seen {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		label := indent + op
		if stsOperations[op] {
			label += " (STS, not counted)"
		}
		row(w, label, results, func(r modeResult) string { return fmt.Sprint(counts(r)[op]) })
	}
}

func reasons(counts map[string]int) string {
	if len(counts) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(counts))
	for reason, n := range counts {
		parts = append(parts, fmt.Sprintf("%s=%d", reason, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }
func f2(v float64) string { return fmt.Sprintf("%.2f", v) }

// summaryLine is the one machine-readable line the run ends with: the
// batched mode's figures, and the baseline's steady calls beside them.
func summaryLine(n int, scale float64, results []modeResult) string {
	batched := results[0]
	baselineSteady := "NaN"
	if len(results) > 1 {
		baselineSteady = fmt.Sprint(apiGatewayTotal(results[1].SteadyCalls.Calls))
	}
	ready := awsSeconds(batched.Ready.Seconds(), scale)
	quotaMin := quotaMinSeconds(batched.Mix)
	return fmt.Sprintf("bench: N=%d ready_s=%s quota_min_s=%s ratio=%s steady_calls=%d baseline_steady_calls=%s throttled_failures=%d peak_rss_mib=%s",
		n, f1(ready), f1(quotaMin), f2(ratio(ready, quotaMin)), apiGatewayTotal(batched.SteadyCalls.Calls), baselineSteady, batched.ThrottledFailures, f1(batched.PeakRSSMiB))
}

// splitResults separates the API-only modes from the serving modes, whose
// figures are different.
func splitResults(results []modeResult) (apis, serving []modeResult) {
	for _, r := range results {
		if r.Mode.Serving != nil {
			serving = append(serving, r)
		} else {
			apis = append(apis, r)
		}
	}
	return apis, serving
}

// bindingBound names the quota that sets the minimum.
func bindingBound(b servingBounds) string {
	switch b.minimum() {
	case 0:
		return "burst"
	case b.Deployments:
		return "CreateDeployment"
	case b.CreateRestAPI:
		return "CreateRestApi"
	default:
		return "account 10/s"
	}
}

// steadyPerAPIPerResync is the standing cost of one API: the steady calls
// over the objects and the periods counted.
func steadyPerAPIPerResync(r modeResult) float64 {
	return float64(apiGatewayTotal(r.SteadyCalls.Calls)) / float64(r.N) / float64(max(r.SteadyPeriods, 1))
}

func printServingTable(w io.Writer, cfg config, results []modeResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	defer tw.Flush()
	readyAWS := func(r modeResult) float64 { return awsSeconds(r.Ready.Seconds(), cfg.QuotaTimeScale) }
	bounds := func(r modeResult) servingBounds { return servingQuotaBounds(*r.Mode.Serving, r.N) }
	necessary := func(r modeResult) int { return r.Mode.Serving.necessaryCreateCalls(r.N) }
	made := func(r modeResult) int64 { return apiGatewayTotal(r.CreateCalls.Calls) }
	steady := func(r modeResult) float64 { return float64(apiGatewayTotal(r.SteadyCalls.Calls)) }
	fmt.Fprintln(tw)
	row(tw, "serving figure", results, func(r modeResult) string { return r.Mode.Name })
	row(tw, "N × (R routes, I integrations, 1 stage)", results, func(r modeResult) string {
		return fmt.Sprintf("%d × (%d, %d, 1)", r.N, r.Mode.Serving.Routes, r.Mode.Serving.Integrations)
	})
	row(tw, "all serving", results, func(r modeResult) string { return fmt.Sprint(r.AllReady) })
	row(tw, "serving_s (AWS s)", results, func(r modeResult) string { return f1(readyAWS(r)) })
	row(tw, "serving (wall s)", results, func(r modeResult) string { return f1(r.Ready.Seconds()) })
	row(tw, "quota_min_s (AWS s)", results, func(r modeResult) string { return f1(bounds(r).minimum()) })
	row(tw, "  bound by", results, func(r modeResult) string { return bindingBound(bounds(r)) })
	row(tw, "  CreateDeployment / CreateRestApi / account", results, func(r modeResult) string {
		b := bounds(r)
		return fmt.Sprintf("%s / %s / %s", f1(b.Deployments), f1(b.CreateRestAPI), f1(b.Total))
	})
	row(tw, "ratio serving/quota_min", results, func(r modeResult) string { return f2(ratio(readyAWS(r), bounds(r).minimum())) })
	row(tw, "API Gateway calls until serving", results, func(r modeResult) string { return fmt.Sprint(made(r)) })
	row(tw, "  necessary (formula)", results, func(r modeResult) string { return fmt.Sprint(necessary(r)) })
	row(tw, "  made / necessary", results, func(r modeResult) string { return f2(float64(made(r)) / float64(necessary(r))) })
	opRows(tw, "  ", results, func(r modeResult) map[string]int64 { return r.CreateCalls.Calls })
	row(tw, "APIGateway reconciles until serving", results, func(r modeResult) string {
		return fmt.Sprintf("%v (%v errors)", r.CreateReconciles.Passes, r.CreateReconciles.Errors)
	})
	row(tw, "throttled (429) until serving", results, func(r modeResult) string { return fmt.Sprint(apiGatewayTotal(r.CreateCalls.Throttled)) })
	opRows(tw, "  429 ", results, func(r modeResult) map[string]int64 { return r.CreateCalls.Throttled })
	row(tw, "steady_calls", results, func(r modeResult) string {
		return fmt.Sprintf("%d in %d × %s AWS", apiGatewayTotal(r.SteadyCalls.Calls), r.SteadyPeriods, cfg.resyncOf(r.Mode))
	})
	row(tw, "  per API per resync", results, func(r modeResult) string { return f1(steadyPerAPIPerResync(r)) })
	row(tw, "  APIGateway reconciles in it", results, func(r modeResult) string { return fmt.Sprint(r.SteadyReconciles) })
	row(tw, "  per reconcile", results, func(r modeResult) string { return f1(steady(r) / r.SteadyReconciles) })
	opRows(tw, "  ", results, func(r modeResult) map[string]int64 { return r.SteadyCalls.Calls })
	row(tw, "steady throttled (429)", results, func(r modeResult) string { return fmt.Sprint(apiGatewayTotal(r.SteadyCalls.Throttled)) })
	row(tw, "routes served / invoked", results, func(r modeResult) string {
		if r.Invoked == nil {
			return "-"
		}
		return fmt.Sprintf("%d / %d", r.Invoked.Served, r.Invoked.Invoked)
	})
	row(tw, "reconcile p50 / p99 (wall ms)", results, func(r modeResult) string {
		return f1(r.ReconcileP50*1000) + " / " + f1(r.ReconcileP99*1000)
	})
	row(tw, "not serving by Ready reason", results, func(r modeResult) string { return reasons(r.NotReadyReasons) })
	row(tw, "peak RSS (MiB)", results, func(r modeResult) string { return f1(r.PeakRSSMiB) })
	tw.Flush()
	printMeasurementProblems(w, results)
}

// servingSummaryLine is one serving mode's machine-readable line.
func servingSummaryLine(scale float64, r modeResult) string {
	shape := *r.Mode.Serving
	ready := awsSeconds(r.Ready.Seconds(), scale)
	quotaMin := servingQuotaBounds(shape, r.N).minimum()
	served := "-"
	if r.Invoked != nil {
		served = fmt.Sprintf("%d/%d", r.Invoked.Served, r.Invoked.Invoked)
	}
	return fmt.Sprintf("bench-serving: protocol=%s N=%d R=%d I=%d serving_s=%s quota_min_s=%s ratio=%s calls=%d necessary=%d throttled=%d steady_calls_per_api=%s served=%s peak_rss_mib=%s",
		r.Mode.Name, r.N, shape.Routes, shape.Integrations, f1(ready), f1(quotaMin), f2(ratio(ready, quotaMin)),
		apiGatewayTotal(r.CreateCalls.Calls), shape.necessaryCreateCalls(r.N), apiGatewayTotal(r.CreateCalls.Throttled),
		f1(steadyPerAPIPerResync(r)), served, f1(r.PeakRSSMiB))
}
