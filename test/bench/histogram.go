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
	byBound := map[float64]float64{}
	err := eachSample(r, name+"_bucket", wantLabels, func(labels map[string]string, value float64) error {
		bound, err := strconv.ParseFloat(labels["le"], 64)
		if err != nil {
			return fmt.Errorf("bucket bound %q: %w", labels["le"], err)
		}
		byBound[bound] += value
		return nil
	})
	if err != nil {
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
	var sum float64
	found := false
	err := eachSample(r, name, wantLabels, func(_ map[string]string, value float64) error {
		sum += value
		found = true
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("no %s%v in /metrics", name, wantLabels)
	}
	return sum, err
}

// eachSample calls use with every sample of the series name (with labels)
// that carries every wanted label, in the Prometheus text format.
func eachSample(r io.Reader, name string, wantLabels map[string]string, use func(labels map[string]string, value float64) error) error {
	prefix := name + "{"
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		line := scanner.Text()
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		labels, value, err := splitSample(line[len(prefix):])
		if err != nil {
			return fmt.Errorf("%w in %q", err, line)
		}
		if !hasLabels(labels, wantLabels) {
			continue
		}
		if err := use(labels, value); err != nil {
			return fmt.Errorf("%w in %q", err, line)
		}
	}
	return scanner.Err()
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
