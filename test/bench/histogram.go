package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// bucket is one cumulative histogram bucket: Count observations were at most
// UpperBound.
type bucket struct {
	UpperBound float64
	Count      float64
}

// histogramBuckets reads the cumulative buckets of one histogram from the
// Prometheus text format, keeping only series carrying every wanted label.
// The format is simple enough that a line scan suffices; it keeps the
// benchmark off prometheus/common, which the module only needs indirectly.
func histogramBuckets(r io.Reader, name string, wantLabels map[string]string) ([]bucket, error) {
	prefix := name + "_bucket{"
	byBound := map[float64]float64{}
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		line := scanner.Text()
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		labels, value, err := splitSample(line[len(prefix):])
		if err != nil {
			return nil, fmt.Errorf("%w in %q", err, line)
		}
		if !hasLabels(labels, wantLabels) {
			continue
		}
		bound, err := strconv.ParseFloat(labels["le"], 64)
		if err != nil {
			return nil, fmt.Errorf("bucket bound in %q: %w", line, err)
		}
		byBound[bound] += value
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	buckets := make([]bucket, 0, len(byBound))
	for bound, count := range byBound {
		buckets = append(buckets, bucket{UpperBound: bound, Count: count})
	}
	sort.Slice(buckets, func(i, j int) bool { return buckets[i].UpperBound < buckets[j].UpperBound })
	return buckets, nil
}

// counterSum adds up the samples of one counter (or gauge) from the
// Prometheus text format whose series carry every wanted label; it errs
// when there is none, so that a renamed metric is not read as zero.
func counterSum(r io.Reader, name string, wantLabels map[string]string) (float64, error) {
	prefix := name + "{"
	var sum float64
	found := false
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		line := scanner.Text()
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		labels, value, err := splitSample(line[len(prefix):])
		if err != nil {
			return 0, fmt.Errorf("%w in %q", err, line)
		}
		if hasLabels(labels, wantLabels) {
			sum += value
			found = true
		}
	}
	if err := scanner.Err(); err != nil {
		return 0, err
	}
	if !found {
		return 0, fmt.Errorf("no %s%v in /metrics", name, wantLabels)
	}
	return sum, nil
}

// splitSample parses `a="x",b="y"} 12` (the text after the metric name's
// brace) into its labels and value. Label values here never hold quotes or
// commas, which keeps the parser small.
func splitSample(rest string) (map[string]string, float64, error) {
	end := strings.LastIndex(rest, "}")
	if end < 0 {
		return nil, 0, fmt.Errorf("no closing brace")
	}
	labels := map[string]string{}
	for _, pair := range strings.Split(rest[:end], ",") {
		key, quoted, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		labels[key] = strings.Trim(quoted, `"`)
	}
	fields := strings.Fields(rest[end+1:])
	if len(fields) == 0 {
		return nil, 0, fmt.Errorf("no value")
	}
	value, err := strconv.ParseFloat(fields[0], 64)
	return labels, value, err
}

func hasLabels(labels, want map[string]string) bool {
	for key, value := range want {
		if labels[key] != value {
			return false
		}
	}
	return true
}

// quantile estimates the q-quantile from cumulative buckets the way
// Prometheus's histogram_quantile does: find the bucket holding the rank and
// interpolate linearly inside it (from 0 for the first bucket). A rank in the
// +Inf bucket answers the highest finite bound. NaN means no observations.
func quantile(q float64, buckets []bucket) float64 {
	if len(buckets) == 0 {
		return math.NaN()
	}
	total := buckets[len(buckets)-1].Count
	if total == 0 {
		return math.NaN()
	}
	rank := q * total
	lowerBound, lowerCount := 0.0, 0.0
	for _, b := range buckets {
		if b.Count >= rank {
			if math.IsInf(b.UpperBound, 1) {
				return lowerBound
			}
			if b.Count == lowerCount {
				return b.UpperBound
			}
			return lowerBound + (b.UpperBound-lowerBound)*(rank-lowerCount)/(b.Count-lowerCount)
		}
		lowerBound, lowerCount = b.UpperBound, b.Count
	}
	return lowerBound
}
