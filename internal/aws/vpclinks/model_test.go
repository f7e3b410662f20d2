package vpclinks

import (
	"slices"
	"testing"
)

func TestReplacedIgnoresOrderAndNamesEachTarget(t *testing.T) {
	base := Link{Type: V2, SubnetIDs: []string{"subnet-a", "subnet-b"}, SecurityGroupIDs: []string{"sg-1"}}
	cases := []struct {
		name    string
		desired Link
		want    []string
	}{
		{"same sets, other order", Link{Type: V2, SubnetIDs: []string{"subnet-b", "subnet-a"}, SecurityGroupIDs: []string{"sg-1"}}, nil},
		{"a subnet changed", Link{Type: V2, SubnetIDs: []string{"subnet-a", "subnet-c"}, SecurityGroupIDs: []string{"sg-1"}},
			[]string{"subnetIDs: [subnet-a subnet-b] => [subnet-a subnet-c]"}},
		{"groups removed", Link{Type: V2, SubnetIDs: []string{"subnet-a", "subnet-b"}}, []string{"securityGroupIDs: [sg-1] => []"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Replaced(base, tc.desired); !slices.Equal(got, tc.want) {
				t.Errorf("Replaced = %q, want %q", got, tc.want)
			}
			if Matches(base, tc.desired) != (len(tc.want) == 0) {
				t.Errorf("Matches disagrees with Replaced")
			}
		})
	}
	if Matches(Link{Type: V1, TargetARNs: []string{"arn"}}, Link{Type: V2}) {
		t.Error("links of two families match")
	}
}

func TestCompareChangesOnlyWhatDiffersAndKeepsAWSTags(t *testing.T) {
	observed := Link{Type: V1, Name: "a", Description: "d", Tags: map[string]string{"keep": "1", "old": "x", "aws:cloudformation:stack-name": "s"}}
	desired := Link{Type: V1, Name: "b", Description: "d", Tags: map[string]string{"keep": "1", "new": "y"}}
	d := Compare(observed, desired)
	if d.Name == nil || *d.Name != "b" || d.Description != nil {
		t.Errorf("attributes %+v", d)
	}
	if len(d.TagsToSet) != 1 || d.TagsToSet["new"] != "y" || !slices.Equal(d.TagsToRemove, []string{"old"}) {
		t.Errorf("tags to set %v, to remove %v", d.TagsToSet, d.TagsToRemove)
	}
	want := []string{`name: "a" => "b"`, `tag new: "" => "y"`, `tag old: "x" => removed`}
	if got := Changes(observed, d); !slices.Equal(got, want) {
		t.Errorf("Changes = %q, want %q", got, want)
	}
	if !Compare(desired, desired).Empty() {
		t.Error("a link equal to the spec has changes")
	}
	// A V2 link has no description: a spec without one changes nothing.
	if d := Compare(Link{Type: V2, Description: "x"}, Link{Type: V2}); d.Description != nil {
		t.Error("a V2 description was compared")
	}
}

func TestExportNames(t *testing.T) {
	doc := []byte(`{"paths":{"/{proxy+}":{"parameters":[],"x-amazon-apigateway-any-method":{"x-amazon-apigateway-integration":{"connectionId":"abc123","connectionType":"VPC_LINK"}}}}}`)
	if !exportNames(doc, "abc123") || exportNames(doc, "zzz999") {
		t.Error("connectionId not found as it should be")
	}
	if !exportNames([]byte("not json"), "abc123") {
		t.Error("an unreadable export must count as using the link")
	}
}
