// Package usageplans reads and writes API Gateway (v1) usage plans and API
// keys, and the attachments of keys to plans.
package usageplans

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

// Throttle is a rate and a burst.
type Throttle struct {
	RateLimit  float64
	BurstLimit int32
}

// Quota is a number of requests per period.
type Quota struct {
	Limit  int32
	Offset int32
	Period string
}

// Stage is an API stage a plan covers, with per-method throttles keyed as
// AWS keys them: "{resourcePath}/{httpMethod}".
type Stage struct {
	APIID    string
	Stage    string
	Throttle map[string]Throttle
}

func (s Stage) key() string { return s.APIID + ":" + s.Stage }

// Plan is a usage plan.
type Plan struct {
	ID          string
	Name        string
	Description string
	Stages      []Stage
	Throttle    *Throttle
	Quota       *Quota
	Tags        map[string]string
}

// OwnedBy reports whether the plan carries uid's owner mark.
func (p Plan) OwnedBy(uid string) bool { return ownership.OwnedBy(p.Tags, uid) }

// PlanDelta is what must change for a plan to match the spec: patch
// operations (one UpdateUsagePlan call), tags, and words for events.
type PlanDelta struct {
	Operations   []types.PatchOperation
	TagsToSet    map[string]string
	TagsToRemove []string
	Changes      []string
}

// Empty reports whether nothing must change.
func (d PlanDelta) Empty() bool { return len(d.Changes) == 0 }

// ComparePlans returns how observed must change to become desired.
func ComparePlans(observed, desired Plan) PlanDelta {
	var d PlanDelta
	replace := func(path, value, words string) {
		d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpReplace, Path: aws.String(path), Value: aws.String(value)})
		d.Changes = append(d.Changes, words)
	}
	if observed.Name != desired.Name {
		replace("/name", desired.Name, fmt.Sprintf("name: %q => %q", observed.Name, desired.Name))
	}
	if observed.Description != desired.Description {
		replace("/description", desired.Description, fmt.Sprintf("description: %q => %q", observed.Description, desired.Description))
	}
	switch {
	case desired.Throttle == nil && observed.Throttle != nil:
		d.remove("/throttle", "", "throttle: removed")
	case desired.Throttle != nil && (observed.Throttle == nil || *observed.Throttle != *desired.Throttle):
		replace("/throttle/rateLimit", formatRate(desired.Throttle.RateLimit), "throttle: "+describeThrottle(observed.Throttle)+" => "+describeThrottle(desired.Throttle))
		d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpReplace, Path: aws.String("/throttle/burstLimit"), Value: aws.String(strconv.Itoa(int(desired.Throttle.BurstLimit)))})
	}
	switch {
	case desired.Quota == nil && observed.Quota != nil:
		d.remove("/quota", "", "quota: removed")
	case desired.Quota != nil && (observed.Quota == nil || *observed.Quota != *desired.Quota):
		q := desired.Quota
		replace("/quota/limit", strconv.Itoa(int(q.Limit)), "quota: "+describeQuota(observed.Quota)+" => "+describeQuota(q))
		for path, value := range map[string]string{"/quota/period": q.Period, "/quota/offset": strconv.Itoa(int(q.Offset))} {
			d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpReplace, Path: aws.String(path), Value: aws.String(value)})
		}
	}
	d.compareStages(observed.Stages, desired.Stages)
	d.TagsToSet, d.TagsToRemove = ownership.Diff(observed.Tags, desired.Tags)
	d.Changes = append(d.Changes, tagChanges(observed.Tags, d.TagsToSet, d.TagsToRemove)...)
	return d
}

func (d *PlanDelta) remove(path, value, words string) {
	op := types.PatchOperation{Op: types.OpRemove, Path: aws.String(path)}
	if value != "" {
		op.Value = aws.String(value)
	}
	d.Operations = append(d.Operations, op)
	d.Changes = append(d.Changes, words)
}

// compareStages adds and removes API stages, and sets each stage's
// per-method throttles: the stage's throttle is removed whole and written
// again when it differs (AWS's patch paths name one method at a time).
func (d *PlanDelta) compareStages(observed, desired []Stage) {
	have := map[string]Stage{}
	for _, s := range observed {
		have[s.key()] = s
	}
	want := map[string]bool{}
	for _, s := range desired {
		want[s.key()] = true
		current, ok := have[s.key()]
		if !ok {
			d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpAdd, Path: aws.String("/apiStages"), Value: aws.String(s.key())})
			d.Changes = append(d.Changes, "apiStage "+s.key()+": added")
		}
		if maps.Equal(current.Throttle, s.Throttle) {
			continue
		}
		if len(current.Throttle) > 0 {
			d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpRemove, Path: aws.String("/apiStages/" + s.key() + "/throttle")})
		}
		for _, method := range slices.Sorted(maps.Keys(s.Throttle)) {
			t := s.Throttle[method]
			base := "/apiStages/" + s.key() + "/throttle/" + escapeMethodKey(method)
			d.Operations = append(d.Operations,
				types.PatchOperation{Op: types.OpReplace, Path: aws.String(base + "/rateLimit"), Value: aws.String(formatRate(t.RateLimit))},
				types.PatchOperation{Op: types.OpReplace, Path: aws.String(base + "/burstLimit"), Value: aws.String(strconv.Itoa(int(t.BurstLimit)))})
		}
		if ok {
			d.Changes = append(d.Changes, fmt.Sprintf("apiStage %s throttle: %s => %s", s.key(), describeMethods(current.Throttle), describeMethods(s.Throttle)))
		}
	}
	for _, s := range observed {
		if !want[s.key()] {
			d.remove("/apiStages", s.key(), "apiStage "+s.key()+": removed")
		}
	}
}

// escapeMethodKey turns "/pets/GET" into AWS's patch path segments
// "~1pets/GET": the resource path escaped as one JSON Pointer segment.
func escapeMethodKey(key string) string {
	i := strings.LastIndex(key, "/")
	path, method := key[:i], key[i+1:]
	return strings.ReplaceAll(strings.ReplaceAll(path, "~", "~0"), "/", "~1") + "/" + method
}

// MethodKey is AWS's per-method throttle key of a spec key: "GET /pets"
// (the route key form) becomes "/pets/GET"; "/pets/GET" stays; ANY is "*".
func MethodKey(specKey string) string {
	method, path, ok := strings.Cut(specKey, " ")
	if !ok {
		return specKey
	}
	if method == "ANY" {
		method = "*"
	}
	return path + "/" + method
}

func formatRate(rate float64) string { return strconv.FormatFloat(rate, 'f', -1, 64) }

func describeThrottle(t *Throttle) string {
	if t == nil {
		return "none"
	}
	return fmt.Sprintf("rate %s burst %d", formatRate(t.RateLimit), t.BurstLimit)
}

func describeQuota(q *Quota) string {
	if q == nil {
		return "none"
	}
	return fmt.Sprintf("%d per %s (offset %d)", q.Limit, q.Period, q.Offset)
}

func describeMethods(m map[string]Throttle) string {
	if len(m) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(m))
	for _, key := range slices.Sorted(maps.Keys(m)) {
		t := m[key]
		parts = append(parts, key+" "+describeThrottle(&t))
	}
	return strings.Join(parts, ", ")
}

// Key is an API key. Value is empty unless it was read with its value.
type Key struct {
	ID          string
	Name        string
	Description string
	Enabled     bool
	Value       string
	Tags        map[string]string
}

// OwnedBy reports whether the key carries uid's owner mark.
func (k Key) OwnedBy(uid string) bool { return ownership.OwnedBy(k.Tags, uid) }

// KeyDelta is what must change of a key in place (its value never can).
type KeyDelta struct {
	Operations   []types.PatchOperation
	TagsToSet    map[string]string
	TagsToRemove []string
	Changes      []string
}

// CompareKeys returns how observed must change in place to become desired.
func CompareKeys(observed, desired Key) KeyDelta {
	var d KeyDelta
	if observed.Name != desired.Name {
		d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpReplace, Path: aws.String("/name"), Value: aws.String(desired.Name)})
		d.Changes = append(d.Changes, fmt.Sprintf("name: %q => %q", observed.Name, desired.Name))
	}
	if observed.Description != desired.Description {
		d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpReplace, Path: aws.String("/description"), Value: aws.String(desired.Description)})
		d.Changes = append(d.Changes, fmt.Sprintf("description: %q => %q", observed.Description, desired.Description))
	}
	if observed.Enabled != desired.Enabled {
		d.Operations = append(d.Operations, types.PatchOperation{Op: types.OpReplace, Path: aws.String("/enabled"), Value: aws.String(strconv.FormatBool(desired.Enabled))})
		d.Changes = append(d.Changes, fmt.Sprintf("enabled: %t => %t", observed.Enabled, desired.Enabled))
	}
	d.TagsToSet, d.TagsToRemove = ownership.Diff(observed.Tags, desired.Tags)
	d.Changes = append(d.Changes, tagChanges(observed.Tags, d.TagsToSet, d.TagsToRemove)...)
	return d
}

// tagChanges words a tag diff for events.
func tagChanges(observed, set map[string]string, remove []string) []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(set)) {
		out = append(out, fmt.Sprintf("tag %s: %q => %q", key, observed[key], set[key]))
	}
	for _, key := range remove {
		out = append(out, fmt.Sprintf("tag %s: %q => removed", key, observed[key]))
	}
	return out
}
