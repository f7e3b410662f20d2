// Package vpclinks is the VPC link family: v2 links (subnets and security
// groups, for HTTP APIs) and v1 links (one Network Load Balancer, for REST
// and WebSocket APIs) behind one model, the diff between a link and the
// spec, and the reads that tell whether an API's integrations still use a
// link. A link's targets cannot change in AWS; Replaced says when the spec
// asks for another link.
package vpclinks

import (
	"fmt"
	"maps"
	"slices"

	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

// Type is the family of a link.
type Type string

const (
	// V2 links serve HTTP APIs (apigatewayv2).
	V2 Type = "V2"
	// V1 links serve REST and WebSocket APIs (apigateway).
	V1 Type = "V1"
)

// States AWS reports.
const (
	StatePending   = "PENDING"
	StateAvailable = "AVAILABLE"
	StateDeleting  = "DELETING"
	StateFailed    = "FAILED"
	StateInactive  = "INACTIVE"
)

// Link is one VPC link of either family.
type Link struct {
	Type Type
	ID   string
	Name string
	// Description exists on V1 links only.
	Description string
	// SubnetIDs and SecurityGroupIDs are a V2 link's; TargetARNs a V1
	// link's. None can change once the link exists.
	SubnetIDs        []string
	SecurityGroupIDs []string
	TargetARNs       []string
	State            string
	StatusMessage    string
	Tags             map[string]string
}

// Available reports whether the link routes traffic.
func (l Link) Available() bool { return l.State == StateAvailable }

// OwnedBy reports whether the link's owner mark is the UID's.
func (l Link) OwnedBy(uid string) bool { return ownership.OwnedBy(l.Tags, uid) }

// Replaced lists how the link's targets differ from the desired ones,
// worded for events and messages ("subnetIDs: [a] => [b]"); any difference
// means another link must replace it. Order does not matter: AWS keeps
// sets.
func Replaced(observed, desired Link) []string {
	var changes []string
	for _, f := range []struct {
		name           string
		observed, want []string
	}{
		{"subnetIDs", observed.SubnetIDs, desired.SubnetIDs},
		{"securityGroupIDs", observed.SecurityGroupIDs, desired.SecurityGroupIDs},
		{"targetARNs", observed.TargetARNs, desired.TargetARNs},
	} {
		if !sameSet(f.observed, f.want) {
			changes = append(changes, fmt.Sprintf("%s: %v => %v", f.name, sorted(f.observed), sorted(f.want)))
		}
	}
	return changes
}

// Matches reports whether the link reaches what desired asks: the same
// family and targets.
func Matches(observed, desired Link) bool {
	return observed.Type == desired.Type && len(Replaced(observed, desired)) == 0
}

// Delta is what an update in place changes: the name, a V1 link's
// description, and tags.
type Delta struct {
	Name, Description *string
	TagsToSet         map[string]string
	TagsToRemove      []string
}

// Empty reports whether there is nothing to change.
func (d Delta) Empty() bool {
	return d.Name == nil && d.Description == nil && len(d.TagsToSet) == 0 && len(d.TagsToRemove) == 0
}

// Compare returns what must change for observed to match desired in place.
// Tags AWS reserves (aws:) are never removed.
func Compare(observed, desired Link) Delta {
	var d Delta
	if observed.Name != desired.Name {
		d.Name = &desired.Name
	}
	if desired.Type == V1 && observed.Description != desired.Description {
		d.Description = &desired.Description
	}
	d.TagsToSet, d.TagsToRemove = ownership.Diff(observed.Tags, desired.Tags)
	return d
}

// Changes words a delta for events: `name: "a" => "b"`, one entry a field.
func Changes(observed Link, d Delta) []string {
	var out []string
	if d.Name != nil {
		out = append(out, fmt.Sprintf("name: %q => %q", observed.Name, *d.Name))
	}
	if d.Description != nil {
		out = append(out, fmt.Sprintf("description: %q => %q", observed.Description, *d.Description))
	}
	for _, key := range slices.Sorted(maps.Keys(d.TagsToSet)) {
		out = append(out, fmt.Sprintf("tag %s: %q => %q", key, observed.Tags[key], d.TagsToSet[key]))
	}
	for _, key := range d.TagsToRemove {
		out = append(out, fmt.Sprintf("tag %s: %q => removed", key, observed.Tags[key]))
	}
	return out
}

func sameSet(a, b []string) bool {
	return slices.Equal(sorted(a), sorted(b))
}

func sorted(values []string) []string {
	out := slices.Clone(values)
	slices.Sort(out)
	return slices.Compact(out)
}
